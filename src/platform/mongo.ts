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

/** How long a request waits on MongoDB before it fails (MONGODB_TIMEOUT_MS). */
export const DEFAULT_MONGO_TIMEOUT_MS = 2000;

/**
 * A frozen or unreachable MongoDB must cost a request a bounded wait, not the OS's TCP timeouts
 * (a chart read once hung 68 s): finding the server, opening a connection and every reply each
 * wait at most `timeoutMs`. The driver's `timeoutMS` would bound a whole operation but has no
 * effect in this driver major (deprecated), so the socket timeout does it: an answer that sends
 * nothing for that long fails with MongoNetworkTimeoutError (no operation the API runs may take
 * that long on a healthy server: a long one, like an index build, needs a client of its own).
 */
export async function connectMongo(uri: string, database: string, options: { timeoutMs?: number } = {}): Promise<Mongo> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_MONGO_TIMEOUT_MS;
  const client = await MongoClient.connect(uri, {
    appName: 'clinic-graph',
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    socketTimeoutMS: timeoutMs,
    // The driver's one retry after a network error would wait again, on the same frozen server
    // (measured on the stand-in under SIGSTOP: a read 6.4 s with it, 2.0 s without; an insert the
    // same). The audit writer and the outbox relay retry on their own terms (checking what a write
    // without a reply stored); any other failed read or write reaches its client as an error.
    retryReads: false,
    retryWrites: false,
  });
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
      if (!(error instanceof MongoServerError) || (error.code !== INDEX_OPTIONS_CONFLICT && error.code !== INDEX_KEY_SPECS_CONFLICT))
        throw error;
      for (const index of spec.indexes) {
        if (index.expireAfterSeconds === undefined || !index.name) continue;
        await db.command({ collMod: spec.name, index: { name: index.name, expireAfterSeconds: index.expireAfterSeconds } });
      }
      await db.collection(spec.name).createIndexes(spec.indexes);
    }
  }
}
