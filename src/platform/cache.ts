// A cache that never breaks a request: Redis when there is one (errors and timeouts count as
// misses, commands are never queued while disconnected), else a bounded in-process LRU.
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

export interface Cache {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(...keys: string[]): Promise<void>;
  /** True when the cache answers (a down Redis leaves the API degraded, not down). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export function memoryCache(maxEntries = 10_000): Cache {
  const lru = new LRUCache<string, string>({ max: maxEntries, ttlAutopurge: false });
  return {
    kind: 'memory',
    get: async (key) => lru.get(key),
    set: async (key, value, ttlSeconds) => {
      lru.set(key, value, { ttl: ttlSeconds * 1000 });
    },
    delete: async (...keys) => {
      for (const key of keys) lru.delete(key);
    },
    ping: async () => true,
    close: async () => lru.clear(),
  };
}

export function redisCache(url: string, keyPrefix: string, onError: (error: Error) => void): Cache {
  const redis = new Redis(url, {
    keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1000,
    commandTimeout: 250,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    lazyConnect: false,
  });
  let lastReported = 0;
  redis.on('error', (error: Error) => {
    if (Date.now() - lastReported > 10_000) {
      lastReported = Date.now();
      onError(error);
    }
  });
  const quietly = async <T>(work: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await work();
    } catch {
      return fallback;
    }
  };
  return {
    kind: 'redis',
    get: (key) => quietly(async () => (await redis.get(key)) ?? undefined, undefined),
    set: (key, value, ttlSeconds) => quietly(async () => void (await redis.set(key, value, 'EX', ttlSeconds)), undefined),
    delete: (...keys) => quietly(async () => void (keys.length > 0 && (await redis.del(...keys))), undefined),
    ping: () => quietly(async () => (await redis.ping()) === 'PONG', false),
    close: async () => {
      redis.disconnect();
    },
  };
}
