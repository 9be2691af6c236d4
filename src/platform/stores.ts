// Opens the three data stores, wherever discovery finds them: PostgreSQL migrated, MongoDB's
// collections set up, Redis or an in-process cache. Says once which it chose and why.
import type { Logger } from 'pino';
import { memoryCache, redisCache, type Cache } from './cache.js';
import { findMongo } from './discovery/mongo.js';
import { findPostgres } from './discovery/postgres.js';
import { findRedis } from './discovery/redis.js';
import type { Choice } from './discovery/probes.js';
import { migrate } from './migrations.js';
import { memoryRateLimiter, redisRateLimiter, type RateLimiter } from './rate-limiter.js';
import { connectRedis } from './redis.js';
import { applyCollectionSpecs, connectMongo, type CollectionSpec, type Mongo } from './mongo.js';
import { openDatabase, type Database } from './postgres.js';

export interface StoreSettings {
  postgres: { url?: string; database: string; embeddedDir?: string };
  mongo: { url?: string; database: string; standinDataDir?: string };
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

export async function openStores(settings: StoreSettings, log: Logger): Promise<Stores> {
  const choices: Choice[] = [];
  const [postgres, mongoServer, redis] = await Promise.all([
    findPostgres(settings.postgres),
    findMongo({ url: settings.mongo.url, standinDataDir: settings.mongo.standinDataDir }),
    findRedis(settings.redis),
  ]);
  choices.push(postgres, mongoServer, redis);
  log.info(
    { postgres: { uses: postgres.label, because: postgres.reason }, mongodb: { uses: mongoServer.label, because: mongoServer.reason }, redis: { uses: redis.label, because: redis.reason } },
    'data stores chosen',
  );
  if (!redis.url) log.warn('no Redis: the cache is per process; rate limits and token revocation across processes need Redis');

  const applied = await migrate(postgres.target);
  if (applied.length > 0) log.info({ migrations: applied }, 'PostgreSQL migrations applied');
  const database = openDatabase(postgres.target, { onConnectionError: (error) => log.warn({ err: error }, 'PostgreSQL closed an idle connection') });
  const mongo = await connectMongo(mongoServer.uri, settings.mongo.database);
  await applyCollectionSpecs(mongo.db, settings.collections);
  const client = redis.url ? connectRedis(redis.url, log) : undefined;
  const cache = client ? redisCache(client, settings.redis.keyPrefix) : memoryCache();
  const rateLimiter = client ? redisRateLimiter(client, settings.redis.keyPrefix) : memoryRateLimiter();

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
      for (const choice of choices.reverse()) await choice.stop();
    },
  };
}
