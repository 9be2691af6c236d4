// A cache that never breaks a request: Redis when there is one (errors and timeouts count as
// misses), else a bounded in-process LRU.
import type { Redis } from 'ioredis';
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

/** Redis as a cache: a failed or slow command is a miss (a write is skipped), never an error. */
export function redisCache(redis: Redis, keyPrefix: string): Cache {
  const quietly = async <T>(work: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await work();
    } catch {
      return fallback;
    }
  };
  const key = (name: string) => `${keyPrefix}cache:${name}`;
  return {
    kind: 'redis',
    get: (name) => quietly(async () => (await redis.get(key(name))) ?? undefined, undefined),
    set: (name, value, ttlSeconds) => quietly(async () => void (await redis.set(key(name), value, 'EX', ttlSeconds)), undefined),
    delete: (...names) => quietly(async () => void (names.length > 0 && (await redis.del(...names.map(key)))), undefined),
    ping: () => quietly(async () => (await redis.ping()) === 'PONG', false),
    close: async () => {},
  };
}
