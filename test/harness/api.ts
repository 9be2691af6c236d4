// The whole API for a test file: its own PostgreSQL database and MongoDB database, the real HTTP
// server on an ephemeral port, and helpers to call it as anyone.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { print, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { pino } from 'pino';
import { afterAll, beforeAll, inject } from 'vitest';
import { createApi, type Api } from '../../src/app.js';
import type { Role } from '../../src/auth/principal.js';
import { loadConfig } from '../../src/config/config.js';
import { collectionSpecs } from '../../src/modules/collections.js';
import { memoryCache } from '../../src/platform/cache.js';
import { applyCollectionSpecs, connectMongo, type Mongo } from '../../src/platform/mongo.js';
import { openDatabase, type Database } from '../../src/platform/postgres.js';
import type { Stores } from '../../src/platform/stores.js';
import { seedDemoData } from '../../src/seed/demo-data.js';
import { createTestDatabase } from './postgres.js';

export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> & { code?: string } }>;
  headers: Headers;
}

export interface TestApi {
  url: string;
  database: Database;
  mongo: Mongo;
  /** Runs an operation over HTTP, as the holder of `token` when given. */
  graphql<T = Record<string, unknown>, V = Record<string, unknown>>(document: TypedDocumentNode<T, V> | DocumentNode | string, variables?: V, token?: string): Promise<GraphQLResponse<T>>;
  /** An access token for a user that exists (or any principal, for rule tests). */
  token(principal: { userId: string; role: Role; clinicIds?: string[] }): Promise<string>;
  /** A token for a seeded account, by email. */
  tokenFor(email: string): Promise<string>;
}

export function useTestApi(options: { seed?: boolean; production?: boolean } = {}): TestApi {
  let api: Api | undefined;
  let stores: Stores | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  let url = '';

  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: options.production ? 'production' : 'test', LOG_LEVEL: 'silent', TOKEN_SECRET: 'test-secret-that-is-at-least-32-characters-long' });
    const created = await createTestDatabase();
    dropDatabase = created.drop;
    const database = openDatabase(created.target, { poolSize: 4 });
    const mongo = await connectMongo(inject('mongoUri'), `api_${randomBytes(6).toString('hex')}`);
    await applyCollectionSpecs(mongo.db, collectionSpecs);
    const cache = memoryCache();
    stores = {
      database,
      mongo,
      cache,
      async close() {
        await mongo.db.dropDatabase().catch(() => {});
        await mongo.close();
        await database.close();
      },
    };
    if (options.seed) await seedDemoData(database.prisma, mongo.db);
    api = await createApi(config, stores, pino({ level: 'silent' }));
    await new Promise<void>((resolve) => api!.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    await api?.stop();
    await stores?.close();
    await dropDatabase?.();
  });

  const current = () => {
    if (!api || !stores) throw new Error('useTestApi(): used outside a test');
    return { api, stores };
  };

  return {
    get url() {
      return url;
    },
    get database() {
      return current().stores.database;
    },
    get mongo() {
      return current().stores.mongo;
    },
    async graphql(document, variables, token) {
      const query = typeof document === 'string' ? document : print(document);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResponse<never>, 'status' | 'headers'>;
      return { status: response.status, headers: response.headers, ...body } as GraphQLResponse<never>;
    },
    token(principal) {
      return current().api.tokens.issue({ userId: principal.userId, role: principal.role, clinicIds: principal.clinicIds ?? [] });
    },
    async tokenFor(email) {
      const user = await current().stores.database.prisma.user.findUniqueOrThrow({ where: { email }, include: { staffMemberships: true } });
      return current().api.tokens.issue({ userId: user.id, role: user.role, clinicIds: user.staffMemberships.map((m) => m.clinicId) });
    },
  };
}
