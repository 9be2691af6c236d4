// Databases and their collections: creation (explicit or implicit), drops, name rules, and the
// replay and export of the whole state as changes for persistence.
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { Collection, idKey, type CollectionOptions } from './collection.js';
import type { Change, ChangeLog } from './journal.js';

const INVALID_DB_CHARACTERS = /[/\\. "$*<>:|?\0]/;

export function checkDbName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 63 || INVALID_DB_CHARACTERS.test(name)) {
    throw new MongoCommandError(ErrorCodes.InvalidNamespace, `Invalid database name: '${String(name)}'`);
  }
  return name;
}

export function checkCollectionName(db: string, name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || name.includes('\0') || name.includes('$') || name.startsWith('system.')) {
    throw new MongoCommandError(ErrorCodes.InvalidNamespace, `Invalid collection name: ${db}.${String(name)}`);
  }
  return name;
}

export class Catalog {
  private readonly databases = new Map<string, Map<string, Collection>>();
  private replaying = false;
  private readonly changeLog: ChangeLog;

  constructor(changes: ChangeLog) {
    this.changeLog = { record: (change) => (this.replaying ? undefined : changes.record(change)) };
  }

  databaseNames(): string[] {
    return [...this.databases.keys()];
  }

  collections(db: string): Collection[] {
    return [...(this.databases.get(db)?.values() ?? [])];
  }

  collection(db: string, name: string): Collection | undefined {
    return this.databases.get(db)?.get(name);
  }

  /** The collection, created implicitly (as MongoDB does on a first write) when missing. */
  obtain(db: string, name: string): { collection: Collection; created: boolean } {
    const existing = this.collection(db, name);
    if (existing) return { collection: existing, created: false };
    checkDbName(db);
    checkCollectionName(db, name);
    let collections = this.databases.get(db);
    if (!collections) this.databases.set(db, (collections = new Map()));
    const collection = new Collection(db, name, this.changeLog);
    collections.set(name, collection);
    this.changeLog.record({ op: 'create', db, coll: name });
    return { collection, created: true };
  }

  create(db: string, name: string, options: CollectionOptions): Collection {
    if (this.collection(db, name)) throw new MongoCommandError(ErrorCodes.NamespaceExists, `Collection ${db}.${name} already exists.`);
    const { collection } = this.obtain(db, name);
    if (Object.keys(options).length > 0) collection.setOptions(options);
    return collection;
  }

  drop(db: string, name: string): Collection | undefined {
    const collections = this.databases.get(db);
    const collection = collections?.get(name);
    if (!collections || !collection) return undefined;
    collections.delete(name);
    if (collections.size === 0) this.databases.delete(db);
    this.changeLog.record({ op: 'drop', db, coll: name });
    return collection;
  }

  dropDatabase(db: string): void {
    if (!this.databases.delete(db)) return;
    this.changeLog.record({ op: 'dropDb', db });
  }

  /** Re-applies a recorded change without recording it again. */
  replay(changes: Iterable<Change>): void {
    this.replaying = true;
    try {
      for (const change of changes) this.apply(change);
    } finally {
      this.replaying = false;
    }
  }

  private apply(change: Change): void {
    switch (change.op) {
      case 'create':
        this.obtain(change.db, change.coll);
        return;
      case 'drop':
        this.drop(change.db, change.coll);
        return;
      case 'dropDb':
        this.dropDatabase(change.db);
        return;
      case 'options':
        this.obtain(change.db, change.coll).collection.setOptions(change.options);
        return;
      case 'index':
        this.obtain(change.db, change.coll).collection.createIndex(change.spec);
        return;
      case 'indexSpec':
        this.collection(change.db, change.coll)?.updateIndexSpec(change.spec.name, change.spec);
        return;
      case 'dropIndex':
        this.collection(change.db, change.coll)?.dropIndex(change.name);
        return;
      case 'put':
        this.obtain(change.db, change.coll).collection.put(change.doc);
        return;
      case 'del': {
        const collection = this.collection(change.db, change.coll);
        const doc = collection?.docs.get(idKey(change.id));
        if (collection && doc) collection.remove(doc);
      }
    }
  }

  /** The whole state as the shortest list of changes that rebuilds it. */
  *state(): Generator<Change> {
    for (const [db, collections] of this.databases) {
      for (const collection of collections.values()) {
        const coll = collection.name;
        yield { op: 'create', db, coll };
        if (Object.keys(collection.options).length > 0) yield { op: 'options', db, coll, options: collection.options };
        for (const doc of collection.docs.values()) yield { op: 'put', db, coll, doc };
        for (const index of collection.indexes.values()) {
          if (index.name !== '_id_') yield { op: 'index', db, coll, spec: index.spec };
        }
      }
    }
  }
}
