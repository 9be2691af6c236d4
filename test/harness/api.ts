// The whole API for a test file: its own PostgreSQL database and MongoDB database, the real HTTP
// server on an ephemeral port, and helpers to call it as anyone.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { print, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { pino, type Logger } from 'pino';
import { afterAll, beforeAll, inject } from 'vitest';
import { createApi, type Api } from '../../src/app.js';
import type { Services } from '../../src/context/services.js';
import type { Role } from '../../src/auth/principal.js';
import { loadConfig } from '../../src/config/config.js';
import { collectionSpecs } from '../../src/modules/collections.js';
import type { JobQueue } from '../../src/platform/jobs.js';
import type { Mongo } from '../../src/platform/mongo.js';
import { SimulatedNotifier } from '../../src/platform/notifier.js';
import type { Database } from '../../src/platform/postgres.js';
import type { RateLimiter } from '../../src/platform/rate-limiter.js';
import { connectStores, type Stores } from '../../src/platform/stores.js';
import { seedDemoData } from '../../src/seed/demo-data.js';
import { NO_CACHE } from './no-cache.js';
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
  graphql<T = Record<string, unknown>, V = Record<string, unknown>>(
    document: TypedDocumentNode<T, V> | DocumentNode | string,
    variables?: V,
    token?: string,
  ): Promise<GraphQLResponse<T>>;
  /** What the simulated email / SMS provider was asked to send. */
  notifier: SimulatedNotifier;
  /** An access token for a user that exists (a session is opened for it, as at sign-in). */
  token(user: { userId: string; role?: Role; clinicIds?: string[] }): Promise<string>;
  /** A token for a seeded account, by email. */
  tokenFor(email: string): Promise<string>;
  /** The API's job queue (pg-boss). */
  jobs: JobQueue;
  /** The API's services (for what jobs do on a schedule: call it now). */
  services: Services;
  /** Applies pending outbox events now. */
  relayOutbox(): Promise<number>;
  sendDueReminders(now?: Date): Promise<number>;
}

export interface TestApiOptions {
  seed?: boolean;
  production?: boolean;
  rateLimiter?: RateLimiter;
  manualJobs?: boolean;
  /** A Redis of the test's own, instead of the shared one. */
  redisUrl?: string;
  /** No caching at all: for tests that count the statements each query costs the database. */
  uncached?: boolean;
  /** A MongoDB of the test's own (e.g. one it freezes, started in an earlier beforeAll), instead of the run's. */
  mongoUri?: () => string;
  /**
   * The longest a MongoDB operation waits. Production's 2 s by default is for a MongoDB of its own:
   * tests share one stand-in, in the run's main process, which a large insert can keep busy for
   * seconds, so they wait longer unless they test the timeout itself.
   */
  mongoTimeoutMs?: number;
  /** More configuration, as environment variables (e.g. EXPLORER, MAX_CONCURRENT_REQUESTS). */
  env?: Record<string, string>;
  /** Where the API logs (silent by default): for tests that read what was logged. */
  log?: Logger;
}

/** The client name graphql() sends: first-party, so it may send documents in production too. */
export const TEST_CLIENT = 'clinic-graph-tests';

export function useTestApi(options: TestApiOptions = {}): TestApi {
  const notifier = new SimulatedNotifier();
  let api: Api | undefined;
  let stores: Stores | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  let url = '';

  beforeAll(async () => {
    const config = loadConfig({
      NODE_ENV: options.production ? 'production' : 'test',
      LOG_LEVEL: 'silent',
      TOKEN_SECRET: 'test-secret-that-is-at-least-32-characters-long',
      // Production requires its stores named; the harness hands the API its own below.
      ...(options.production
        ? {
            DATABASE_URL: 'postgresql://harness/unused',
            MONGODB_URL: 'mongodb://harness',
            REDIS_URL: 'redis://harness',
            APP_URL: 'https://app.example.org',
            PRESCRIPTION_SIGNING_KEY: 'rx-test-1:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc',
          }
        : {}),
      FIRST_PARTY_CLIENTS: TEST_CLIENT,
      // Tests fire bursts (50 bookings at once) to test the API's answers, not its shedding.
      MAX_CONCURRENT_REQUESTS: '0',
      ...options.env,
    });
    const created = await createTestDatabase();
    dropDatabase = created.drop;
    // Wired as the server wires them, in databases and a key prefix of this file's own.
    const connected = await connectStores(
      {
        postgres: created.target,
        mongo: {
          uri: options.mongoUri?.() ?? inject('mongoUri'),
          database: `api_${randomBytes(6).toString('hex')}`,
          timeoutMs: options.mongoTimeoutMs ?? (options.mongoUri ? undefined : 10_000),
        },
        redis: { url: options.redisUrl ?? (inject('redisUrl') || undefined), keyPrefix: `test:${randomBytes(6).toString('hex')}:` },
        collections: collectionSpecs,
      },
      pino({ level: 'silent' }),
      { poolSize: 4 },
    );
    stores = {
      ...connected,
      cache: options.uncached ? NO_CACHE : connected.cache,
      rateLimiter: options.rateLimiter ?? connected.rateLimiter,
      async close() {
        await connected.mongo.db.dropDatabase().catch(() => {});
        await connected.close();
      },
    };
    if (options.seed) await seedDemoData(stores.database.prisma, stores.mongo.db, { prescriptionSigning: config.prescriptionSigning });
    api = await createApi(config, stores, options.log ?? pino({ level: 'silent' }), { notifier, manualJobs: options.manualJobs });
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
        headers: {
          'content-type': 'application/json',
          'apollographql-client-name': TEST_CLIENT,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResponse<never>, 'status' | 'headers'>;
      return { status: response.status, headers: response.headers, ...body } as GraphQLResponse<never>;
    },
    notifier,
    get jobs() {
      return current().api.jobs;
    },
    get services() {
      return current().api.services;
    },
    relayOutbox: () => current().api.relayOutbox(),
    sendDueReminders: (now) => current().api.sendDueReminders(now),
    async token(user) {
      return (await current().api.services.sessions.openSession(user.userId, { ip: '127.0.0.1', userAgent: 'test' })).accessToken;
    },
    async tokenFor(email) {
      const user = await current().stores.database.prisma.user.findUniqueOrThrow({ where: { email } });
      return (await current().api.services.sessions.openSession(user.id, { ip: '127.0.0.1', userAgent: 'test' })).accessToken;
    },
  };
}
