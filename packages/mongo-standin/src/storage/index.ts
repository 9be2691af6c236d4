// One secondary index: the keys a document produces (multikey, compound, sparse, partial), the
// maps from key prefixes to documents that serve equality lookups, and unique-key conflicts.
import { canonicalKey, isPlainObject, renderValue, type Doc } from '../bson-values.js';
import { ErrorCodes, MongoCommandError, notImplemented } from '../errors.js';
import { compileFilter, type CompiledFilter } from '../mql.js';
import { EMPTY_ARRAY, hasPath, valuesAt } from '../paths.js';

export interface IndexSpec {
  v: number;
  key: Doc;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: number;
  hidden?: boolean;
  [option: string]: unknown;
}

/** One key a document contributes: the values of each indexed field, and the joined prefixes. */
export interface IndexEntry {
  values: unknown[];
  prefixKeys: string[];
}

const EMPTY_ARRAY_KEY = 'u';
const SEPARATOR = '\u0001'; // canonical keys JSON-escape control characters, so this never collides
const UNSUPPORTED_KINDS = new Set(['text', '2d', '2dsphere', 'geoHaystack']);
/** Options MongoDB accepts on createIndexes; anything else is refused as MongoDB refuses it. */
const KNOWN_OPTIONS = new Set([
  'v',
  'key',
  'name',
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'hidden',
  'background',
  'ns',
]);

export function validateIndexSpec(spec: Doc): IndexSpec {
  const { key, name } = spec;
  if (!isPlainObject(key) || Object.keys(key).length === 0) {
    throw new MongoCommandError(ErrorCodes.CannotCreateIndex, 'Index keys cannot be empty.');
  }
  if (typeof name !== 'string' || name.length === 0) {
    throw new MongoCommandError(ErrorCodes.CannotCreateIndex, 'The index name cannot be empty');
  }
  for (const [field, kind] of Object.entries(key)) {
    if (field.includes('$**')) throw notImplemented('Wildcard indexes');
    if (typeof kind === 'string') {
      if (UNSUPPORTED_KINDS.has(kind)) throw notImplemented(`'${kind}' indexes`);
      if (kind !== 'hashed') throw new MongoCommandError(ErrorCodes.CannotCreateIndex, `Unknown index plugin '${kind}'`);
    } else if (typeof kind !== 'number' || kind === 0 || Number.isNaN(kind)) {
      throw new MongoCommandError(ErrorCodes.CannotCreateIndex, `Values in the index key pattern can't be 0 or NaN: ${field}`);
    }
  }
  for (const option of Object.keys(spec)) {
    if (option === 'collation') throw notImplemented('Index collation');
    if (!KNOWN_OPTIONS.has(option)) {
      throw new MongoCommandError(ErrorCodes.InvalidOptions, `The field '${option}' is not valid for an index specification.`);
    }
  }
  if (spec.expireAfterSeconds !== undefined) {
    const ttl = spec.expireAfterSeconds;
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0) {
      throw new MongoCommandError(ErrorCodes.CannotCreateIndex, "TTL index 'expireAfterSeconds' option must be a non-negative integer");
    }
    if (Object.keys(key).length !== 1) {
      throw new MongoCommandError(
        ErrorCodes.CannotCreateIndex,
        'TTL indexes are single-field indexes, compound indexes do not support TTL.',
      );
    }
  }
  if (spec.partialFilterExpression !== undefined && !isPlainObject(spec.partialFilterExpression)) {
    throw new MongoCommandError(ErrorCodes.TypeMismatch, 'partialFilterExpression must be an object');
  }
  const { background: _background, ns: _ns, ...kept } = spec;
  return { ...kept, v: 2, key, name } as IndexSpec;
}

function keyOf(value: unknown): string {
  return value === EMPTY_ARRAY ? EMPTY_ARRAY_KEY : canonicalKey(value);
}

export class Index {
  spec: IndexSpec;
  readonly fields: string[];
  private readonly paths: string[][];
  private readonly partial?: CompiledFilter;
  /** maps[L - 1]: joined canonical key of the first L fields -> ids of the documents holding it. */
  private readonly maps: Map<string, Set<string>>[];

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.fields = Object.keys(spec.key);
    this.paths = this.fields.map((field) => field.split('.'));
    this.partial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression) : undefined;
    this.maps = this.fields.map(() => new Map());
  }

  get name(): string {
    return this.spec.name;
  }

  get unique(): boolean {
    return this.spec.unique === true || this.name === '_id_';
  }

  /** Whether equality lookups may use this index (every matching document has a key in it). */
  get servesEquality(): boolean {
    return !this.partial && !this.spec.hidden;
  }

  /** The keys `doc` contributes; empty when the index leaves it out (sparse or partial). */
  entriesFor(doc: Doc): IndexEntry[] {
    if (this.partial && !this.partial.test(doc)) return [];
    const perField = this.paths.map((path) => valuesAt(doc, path));
    if (this.spec.sparse && this.paths.every((path) => !hasPath(doc, path))) {
      return [];
    }
    const arrayFields = this.fields.filter((_, i) => perField[i].viaArray);
    if (arrayFields.length > 1) {
      throw new MongoCommandError(
        ErrorCodes.CannotIndexParallelArrays,
        `cannot index parallel arrays [${arrayFields[1]}] [${arrayFields[0]}]`,
      );
    }
    let tuples: unknown[][] = [[]];
    for (const field of perField) {
      const unique = new Map(field.values.map((value) => [keyOf(value), value]));
      tuples = tuples.flatMap((tuple) => [...unique.values()].map((value) => [...tuple, value]));
    }
    return tuples.map((values) => {
      const prefixKeys: string[] = [];
      let joined = '';
      values.forEach((value, i) => {
        joined = i === 0 ? keyOf(value) : `${joined}${SEPARATOR}${keyOf(value)}`;
        prefixKeys.push(joined);
      });
      return { values: values.map((v) => (v === EMPTY_ARRAY ? undefined : v)), prefixKeys };
    });
  }

  /** The first entry that a document other than `docId` (if given) already holds in this unique index. */
  findConflict(docId: string | undefined, entries: IndexEntry[]): IndexEntry | undefined {
    if (!this.unique) return undefined;
    const full = this.maps[this.fields.length - 1];
    return entries.find((entry) => {
      const holders = full.get(entry.prefixKeys[entry.prefixKeys.length - 1]);
      return holders !== undefined && (holders.size > 1 || docId === undefined || !holders.has(docId));
    });
  }

  add(docId: string, entries: IndexEntry[]): void {
    for (const entry of entries) {
      entry.prefixKeys.forEach((key, i) => {
        const holders = this.maps[i].get(key);
        if (holders) holders.add(docId);
        else this.maps[i].set(key, new Set([docId]));
      });
    }
  }

  remove(docId: string, entries: IndexEntry[]): void {
    for (const entry of entries) {
      entry.prefixKeys.forEach((key, i) => {
        const holders = this.maps[i].get(key);
        if (!holders) return;
        holders.delete(docId);
        if (holders.size === 0) this.maps[i].delete(key);
      });
    }
  }

  clear(): void {
    for (const map of this.maps) map.clear();
  }

  /** Ids of documents whose first `values.length` fields equal `values` (values as canonical keys). */
  lookup(canonicalValues: string[]): Set<string> | undefined {
    return this.maps[canonicalValues.length - 1].get(canonicalValues.join(SEPARATOR));
  }

  /** MongoDB's duplicate key error for `entry` in collection `namespace`. */
  duplicateKeyError(namespace: string, entry: IndexEntry): MongoCommandError {
    const keyPattern: Doc = {};
    const keyValue: Doc = {};
    this.fields.forEach((field, i) => {
      keyPattern[field] = this.spec.key[field];
      keyValue[field] = entry.values[i] ?? null;
    });
    const rendered = this.fields.map((field) => `${field}: ${renderValue(keyValue[field])}`).join(', ');
    return new MongoCommandError(
      ErrorCodes.DuplicateKey,
      `E11000 duplicate key error collection: ${namespace} index: ${this.name} dup key: { ${rendered} }`,
      { keyPattern, keyValue },
    );
  }
}
