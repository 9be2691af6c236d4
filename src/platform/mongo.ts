// MongoDB through the official driver, and the idempotent setup of collections (validators and
// indexes) that every module declares.
import { MongoClient, MongoServerError, type Db, type IndexDescription } from 'mongodb';

export interface CollectionSpec {
  name: string;
  /** A `$jsonSchema` validator; documents that fail it are rejected by the server (121). */
  validator: Record<string, unknown>;
  indexes: IndexDescription[];
}

export interface Mongo {
  client: MongoClient;
  db: Db;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function connectMongo(uri: string, database: string): Promise<Mongo> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000, appName: 'clinic-graph' });
  const db = client.db(database);
  return {
    client,
    db,
    async ping() {
      await db.command({ ping: 1 });
    },
    close: () => client.close(),
  };
}

/** What the server is, for logs: "MongoDB 7.0.14", or the project's stand-in and the version it follows. */
export async function describeServer(client: MongoClient): Promise<string> {
  const info = await client.db('admin').command({ buildInfo: 1 });
  return info.standIn ? `mongo-standin (MongoDB ${info.version} semantics)` : `MongoDB ${info.version}`;
}

const NAMESPACE_EXISTS = 48;
const INDEX_OPTIONS_CONFLICT = 85;
const INDEX_KEY_SPECS_CONFLICT = 86;

/** Creates or updates each collection's validator and indexes; safe to run any number of times. */
export async function applyCollectionSpecs(db: Db, specs: CollectionSpec[]): Promise<void> {
  for (const spec of specs) {
    try {
      await db.createCollection(spec.name, { validator: spec.validator, validationLevel: 'strict', validationAction: 'error' });
    } catch (error) {
      if (!(error instanceof MongoServerError) || error.code !== NAMESPACE_EXISTS) throw error;
      await db.command({ collMod: spec.name, validator: spec.validator, validationLevel: 'strict', validationAction: 'error' });
    }
    if (spec.indexes.length === 0) continue;
    try {
      await db.collection(spec.name).createIndexes(spec.indexes);
    } catch (error) {
      // A TTL index whose retention changed: MongoDB refuses to re-create it, so change it in place.
      if (!(error instanceof MongoServerError) || (error.code !== INDEX_OPTIONS_CONFLICT && error.code !== INDEX_KEY_SPECS_CONFLICT)) throw error;
      for (const index of spec.indexes) {
        if (index.expireAfterSeconds === undefined || !index.name) continue;
        await db.command({ collMod: spec.name, index: { name: index.name, expireAfterSeconds: index.expireAfterSeconds } });
      }
      await db.collection(spec.name).createIndexes(spec.indexes);
    }
  }
}
