// One collection: its documents in natural order, its indexes and validator. Every change is
// checked whole (validation, every unique index) before anything is touched, then journaled.
import { Binary, Decimal128, Long, ObjectId, UUID } from 'bson';
import { canonicalKey, isPlainObject, type Doc } from '../bson-values.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { compileJsonSchema } from '../json-schema.js';
import { compileFilter } from '../mql.js';
import { Index, type IndexEntry, type IndexSpec } from './index.js';
import { NO_CHANGE_LOG, type ChangeLog } from './journal.js';

export interface CollectionOptions {
  validator?: Doc;
  validationLevel?: 'off' | 'strict' | 'moderate';
  validationAction?: 'error' | 'warn';
}

export interface QueryPlan {
  /** The documents that may match; the caller still applies the whole filter. */
  candidates: Doc[];
  indexName?: string;
  keysExamined: number;
}

type ValidatorCheck = (doc: Doc) => { valid: true } | { valid: false; details: Doc };

const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };
const MAX_LOOKUP_COMBINATIONS = 1000;

export function idKey(id: unknown): string {
  return canonicalKey(id);
}

function isIndexableScalar(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && !Number.isNaN(value)) ||
    value instanceof Date ||
    value instanceof ObjectId ||
    value instanceof Binary ||
    value instanceof Long ||
    value instanceof Decimal128
  );
}

/** Fields that the filter pins to one or a few scalar values (`a: v`, `$eq`, `$in`, inside `$and`). */
function equalityConstraints(filter: Doc, into = new Map<string, unknown[]>()): Map<string, unknown[]> {
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const part of condition) if (isPlainObject(part)) equalityConstraints(part, into);
      continue;
    }
    if (field.startsWith('$') || into.has(field)) continue;
    if (isIndexableScalar(condition)) {
      into.set(field, [condition]);
    } else if (isPlainObject(condition)) {
      if ('$eq' in condition && isIndexableScalar(condition.$eq)) into.set(field, [condition.$eq]);
      else if (Array.isArray(condition.$in) && condition.$in.length > 0 && condition.$in.every(isIndexableScalar)) {
        into.set(field, condition.$in);
      }
    }
  }
  return into;
}

export class Collection {
  readonly uuid = new UUID();
  readonly docs = new Map<string, Doc>();
  readonly indexes = new Map<string, Index>();
  options: CollectionOptions = {};
  private validatorCheck?: ValidatorCheck;

  constructor(
    readonly db: string,
    readonly name: string,
    private readonly changes: ChangeLog,
  ) {
    this.indexes.set(ID_INDEX.name, new Index(ID_INDEX));
  }

  get namespace(): string {
    return `${this.db}.${this.name}`;
  }

  setOptions(options: CollectionOptions): void {
    const validator = options.validator;
    let check: ValidatorCheck | undefined;
    if (validator && Object.keys(validator).length > 0) {
      const keys = Object.keys(validator);
      if (keys.length === 1 && keys[0] === '$jsonSchema' && isPlainObject(validator.$jsonSchema)) {
        check = compileJsonSchema(validator.$jsonSchema);
      } else {
        const filter = compileFilter(validator);
        check = (doc) =>
          filter.test(doc) ? { valid: true } : { valid: false, details: { operatorName: '$and', clausesNotSatisfied: [] } };
      }
    }
    this.validatorCheck = check;
    this.options = options;
    this.changes.record({ op: 'options', db: this.db, coll: this.name, options });
  }

  private validate(doc: Doc, previous: Doc | undefined, bypass: boolean): void {
    const check = this.validatorCheck;
    const level = this.options.validationLevel ?? 'strict';
    if (!check || bypass || level === 'off') return;
    if (previous && level === 'moderate' && !check(previous).valid) return;
    const result = check(doc);
    if (result.valid || this.options.validationAction === 'warn') return;
    throw new MongoCommandError(ErrorCodes.DocumentValidationFailure, 'Document failed validation', {
      errInfo: { failingDocumentId: doc._id, details: result.details },
    });
  }

  /**
   * Entries of every index for `doc`, after proving that no unique index already holds them for
   * another document than `replacing` (the stored document that `doc` takes the place of, if any).
   */
  private checkedEntries(doc: Doc, replacing: string | undefined): Map<Index, IndexEntry[]> {
    const all = new Map<Index, IndexEntry[]>();
    for (const index of this.indexes.values()) {
      const entries = index.entriesFor(doc);
      const conflict = index.findConflict(replacing, entries);
      if (conflict) throw index.duplicateKeyError(this.namespace, conflict);
      all.set(index, entries);
    }
    return all;
  }

  /** Adds a new document: one whose `_id` is already stored is a duplicate key in `_id_`. */
  insert(doc: Doc, bypassValidation = false): void {
    this.validate(doc, undefined, bypassValidation);
    this.store(doc, false);
  }

  /** Stores `doc` under its `_id` (replay and replace): unique keys checked, indexes updated. */
  put(doc: Doc): void {
    this.store(doc, true);
  }

  private store(doc: Doc, mayReplace: boolean): void {
    const id = idKey(doc._id);
    const previous = this.docs.get(id);
    const entries = this.checkedEntries(doc, mayReplace ? id : undefined);
    if (previous) for (const index of this.indexes.values()) index.remove(id, index.entriesFor(previous));
    for (const [index, indexEntries] of entries) index.add(id, indexEntries);
    this.docs.set(id, doc);
    this.changes.record({ op: 'put', db: this.db, coll: this.name, doc });
  }

  replace(previous: Doc, next: Doc, bypassValidation = false): void {
    this.validate(next, previous, bypassValidation);
    this.put(next);
  }

  remove(doc: Doc): void {
    const id = idKey(doc._id);
    if (!this.docs.has(id)) return;
    for (const index of this.indexes.values()) index.remove(id, index.entriesFor(doc));
    this.docs.delete(id);
    this.changes.record({ op: 'del', db: this.db, coll: this.name, id: doc._id });
  }

  /**
   * Replaces every document (as `$out` does): the new set is checked whole against this
   * collection's validator and unique indexes first, so a failure leaves the old contents.
   */
  replaceContents(docs: Doc[], bypassValidation = false): void {
    const trial = new Collection(this.db, this.name, NO_CHANGE_LOG);
    if (Object.keys(this.options).length > 0) trial.setOptions(this.options);
    for (const index of this.indexes.values()) if (index.name !== '_id_') trial.createIndex(index.spec);
    for (const doc of docs) trial.insert(doc, bypassValidation);
    for (const doc of [...this.docs.values()]) this.remove(doc);
    for (const doc of trial.docs.values()) this.put(doc);
  }

  /** Builds a new index over the current documents; a duplicate leaves the collection unchanged. */
  createIndex(spec: IndexSpec): void {
    const index = new Index(spec);
    for (const [id, doc] of this.docs) {
      const entries = index.entriesFor(doc);
      const conflict = index.findConflict(id, entries);
      if (conflict) {
        index.clear();
        throw index.duplicateKeyError(this.namespace, conflict);
      }
      index.add(id, entries);
    }
    this.indexes.set(spec.name, index);
    this.changes.record({ op: 'index', db: this.db, coll: this.name, spec });
  }

  dropIndex(name: string): void {
    this.indexes.delete(name);
    this.changes.record({ op: 'dropIndex', db: this.db, coll: this.name, name });
  }

  updateIndexSpec(name: string, spec: IndexSpec): void {
    const index = this.indexes.get(name);
    if (!index) return;
    index.spec = spec;
    this.changes.record({ op: 'indexSpec', db: this.db, coll: this.name, spec });
  }

  /** Picks the index that narrows an equality filter the most, or scans the collection. */
  plan(filter: Doc | undefined): QueryPlan {
    const constraints = filter ? equalityConstraints(filter) : new Map<string, unknown[]>();
    let best: { index: Index; ids: Set<string>; keys: number } | undefined;
    if (constraints.size > 0) {
      for (const index of this.indexes.values()) {
        if (!index.servesEquality) continue;
        const usable: unknown[][] = [];
        for (const field of index.fields) {
          const values = constraints.get(field);
          if (!values) break;
          usable.push(values);
        }
        if (usable.length === 0) continue;
        if (usable.reduce((product, values) => product * values.length, 1) > MAX_LOOKUP_COMBINATIONS) continue;
        let combinations: string[][] = [[]];
        for (const values of usable) {
          combinations = combinations.flatMap((prefix) => values.map((value) => [...prefix, canonicalKey(value)]));
        }
        const ids = new Set<string>();
        let keys = 0;
        for (const combination of combinations) {
          const found = index.lookup(combination);
          if (!found) continue;
          keys += found.size;
          for (const id of found) ids.add(id);
        }
        if (!best || ids.size < best.ids.size) best = { index, ids, keys };
      }
    }
    if (!best) return { candidates: Array.from(this.docs.values()), keysExamined: 0 };
    const candidates: Doc[] = [];
    for (const id of best.ids) {
      const doc = this.docs.get(id);
      if (doc) candidates.push(doc);
    }
    return { candidates, indexName: best.index.name, keysExamined: best.keys };
  }

  /** Documents whose TTL has passed, by index: a date, or the earliest date of an array. */
  expired(now: number): Doc[] {
    const expired: Doc[] = [];
    for (const index of this.indexes.values()) {
      const ttl = index.spec.expireAfterSeconds;
      if (typeof ttl !== 'number') continue;
      const field = index.fields[0];
      for (const doc of this.docs.values()) {
        const value = field.split('.').reduce<unknown>((at, part) => (isPlainObject(at) ? at[part] : undefined), doc);
        const dates = (Array.isArray(value) ? value : [value]).filter((v): v is Date => v instanceof Date);
        if (dates.length === 0) continue;
        const earliest = Math.min(...dates.map((d) => d.getTime()));
        if (earliest + ttl * 1000 <= now) expired.push(doc);
      }
    }
    return expired;
  }
}
