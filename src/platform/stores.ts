// Opens the three data stores, wherever discovery finds them: PostgreSQL migrated, MongoDB's
// collections set up, Redis or an in-process cache. Says once which it chose and why.
import type { Logger } from 'pino';
import { memoryCache, redisCache, type Cache } from './cache.js';
import { findMongo } from './discovery/mongo.js';
import { findPostgres } from './discovery/postgres.js';
import { findRedis } from './discovery/redis.js';
import { migrate } from './migrations.js';
import { createPGlite } from './pglite.js';
import { memoryRateLimiter, redisRateLimiter, type RateLimiter } from './rate-limiter.js';
import { connectRedis } from './redis.js';
import { applyCollectionSpecs, connectMongo, describeServer, type CollectionSpec, type Mongo } from './mongo.js';
import { openDatabase, type Database, type PostgresTarget } from './postgres.js';

export interface StoreSettings {
  postgres: { url?: string; database: string; embeddedDir?: string };
  mongo: { url?: string; database: string; standinDataDir?: string; timeoutMs?: number };
  redis: { url?: string; keyPrefix: string };
  collections: CollectionSpec[];
}

export interface Stores {
  database: Database;
  mongo: Mongo;
  cache: Cache;
  rateLimiter: RateLimiter;
  close(): Promise<void>;
}

/** Stores already found (and PostgreSQL already migrated, or about to be). */
export interface StoreLocations {
  postgres: PostgresTarget;
  /** `timeoutMs`: the longest a MongoDB operation waits (see connectMongo). */
  mongo: { uri: string; database: string; timeoutMs?: number };
  /** No url: no Redis; the cache and the rate limits are per process. */
  redis: { url?: string; keyPrefix: string };
  collections: CollectionSpec[];
}

/**
 * Connects to stores already found: MongoDB's collections set up, the cache and the rate limiter on
 * Redis when there is one. close() lets go of the connections; the stores themselves stay up.
 */
export async function connectStores(where: StoreLocations, log: Logger, options: { poolSize?: number } = {}): Promise<Stores> {
  const database = openDatabase(where.postgres, {
    poolSize: options.poolSize,
    onConnectionError: (error) => log.warn({ err: error }, 'PostgreSQL closed an idle connection'),
  });
  const mongo = await connectMongo(where.mongo.uri, where.mongo.database, { timeoutMs: where.mongo.timeoutMs });
  await applyCollectionSpecs(mongo.db, where.collections);
  const client = where.redis.url ? connectRedis(where.redis.url, log) : undefined;
  const cache = client ? redisCache(client, where.redis.keyPrefix) : memoryCache();
  const rateLimiter = client ? redisRateLimiter(client, where.redis.keyPrefix) : memoryRateLimiter();
  return {
    database,
    mongo,
    cache,
    rateLimiter,
    async close() {
      await cache.close();
      client?.disconnect();
      await mongo.close();
      await database.close();
    },
  };
}

export async function openStores(settings: StoreSettings, log: Logger): Promise<Stores> {
  const [postgres, mongoServer, redis] = await Promise.all([
    findPostgres(settings.postgres),
    findMongo({ url: settings.mongo.url, standinDataDir: settings.mongo.standinDataDir }),
    findRedis(settings.redis),
  ]);
  const target: PostgresTarget = postgres.url
    ? { kind: 'server', url: postgres.url }
    : { kind: 'embedded', pglite: await createPGlite(settings.postgres.embeddedDir) };
  const stores = await connectStores(
    {
      postgres: target,
      mongo: { uri: mongoServer.uri, database: settings.mongo.database, timeoutMs: settings.mongo.timeoutMs },
      redis: { url: redis.url, keyPrefix: settings.redis.keyPrefix },
      collections: settings.collections,
    },
    log,
  );
  // Said before migrating, so that a failing migration follows the line naming the database.
  log.info(
    {
      postgres: { uses: postgres.label, because: postgres.reason },
      mongodb: { uses: await describeServer(stores.mongo.client), because: mongoServer.reason },
      redis: { uses: redis.label, because: redis.reason },
    },
    'data stores chosen',
  );
  if (!redis.url) log.warn('no Redis: the cache is per process; rate limits and token revocation across processes need Redis');

  // The PostgreSQL connections open lazily: nothing has queried the database before this.
  const applied = await migrate(target);
  if (applied.length > 0) log.info({ migrations: applied }, 'PostgreSQL migrations applied');

  return {
    ...stores,
    async close() {
      await stores.close();
      if (target.kind === 'embedded') await target.pglite.close();
      for (const choice of [redis, mongoServer, postgres]) await choice.stop();
    },
  };
}
