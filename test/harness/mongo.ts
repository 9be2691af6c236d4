// What a test file needs to talk to the run's MongoDB: a client and databases of its own.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { MongoClient, type Db } from 'mongodb';

export const mongoLabel = (): string => inject('mongoLabel');

export interface TestMongo {
  client: MongoClient;
  /** A database no other test file uses; dropped when the connection closes. */
  db: Db;
  /** Another fresh database, also dropped then. */
  newDb(): Db;
  /** A second, independent client (its own connection pool). */
  newClient(): Promise<MongoClient>;
}

/** A TestMongo its caller closes: close() drops its databases and closes its clients. */
export interface ConnectedTestMongo extends TestMongo {
  close(): Promise<void>;
}

export async function connectTestMongo(): Promise<ConnectedTestMongo> {
  const uri = inject('mongoUri');
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
  const dbs: Db[] = [];
  const clients: MongoClient[] = [];
  const newDb = () => {
    const db = client.db(`t_${randomBytes(6).toString('hex')}`);
    dbs.push(db);
    return db;
  };
  return {
    client,
    db: newDb(),
    newDb,
    async newClient() {
      const other = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
      clients.push(other);
      return other;
    },
    async close() {
      for (const db of dbs) await db.dropDatabase().catch(() => {});
      for (const other of clients) await other.close();
      await client.close();
    },
  };
}

/** Connects before the file's tests and closes after them; use at the top of a test file. */
export function useTestMongo(): TestMongo {
  let connected: ConnectedTestMongo | undefined;
  beforeAll(async () => {
    connected = await connectTestMongo();
  });
  afterAll(async () => {
    await connected?.close();
  });
  const current = (): TestMongo => {
    if (!connected) throw new Error('useTestMongo(): used outside a test');
    return connected;
  };
  return {
    get client() {
      return current().client;
    },
    get db() {
      return current().db;
    },
    newDb: () => current().newDb(),
    newClient: () => current().newClient(),
  };
}
