// A cache that never breaks a request: Redis when there is one (errors and timeouts count as
// misses), else a bounded in-process LRU.
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

export interface Cache {
  get(key: string): Promise<string | undefined>;
  /** One round trip for many keys; a miss (or an unreachable cache) is undefined. */
  getMany(keys: readonly string[]): Promise<Array<string | undefined>>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /**
   * Moves each version counter on (see cache-aside.ts): entries stored under the old versions are
   * stale from then on. Never throws; a bump Redis did not take is sent again before this
   * process's next command to it.
   */
  bump(keys: readonly string[]): Promise<void>;
  /** True when the cache answers (a down Redis leaves the API degraded, not down). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export function memoryCache(maxEntries = 10_000): Cache {
  const lru = new LRUCache<string, string>({ max: maxEntries, ttlAutopurge: false });
  return {
    get: async (key) => lru.get(key),
    getMany: async (keys) => keys.map((key) => lru.get(key)),
    set: async (key, value, ttlSeconds) => {
      lru.set(key, value, { ttl: ttlSeconds * 1000 });
    },
    bump: async (keys) => {
      for (const key of keys) lru.set(key, String(Number(lru.get(key) ?? 0) + 1));
    },
    ping: async () => true,
    close: async () => lru.clear(),
  };
}

/**
 * Redis as a cache: a failed or slow command is a miss (a write is skipped), never an error. After
 * a failure the cache stays away from Redis for `pauseMs` (a frozen Redis then costs one command
 * timeout, not one per request), then tries again by itself.
 */
export function redisCache(redis: Redis, keyPrefix: string, pauseMs = 5000): Cache {
  const key = (name: string) => `${keyPrefix}cache:${name}`;
  // Bumps Redis has not taken (it was down or slow): sent before any later command, so that once
  // Redis is back this process never reads an entry that a write made stale. (A timed-out INCR may
  // still land when a frozen Redis thaws: counted twice, which only costs a miss.)
  const unsentBumps = new Set<string>();
  const sendBumps = async () => {
    const names = [...unsentBumps];
    unsentBumps.clear();
    try {
      await Promise.all(names.map((name) => redis.incr(key(name))));
    } catch (error) {
      for (const name of names) unsentBumps.add(name);
      throw error;
    }
  };
  let pausedUntil = 0;
  const quietly = async <T>(work: () => Promise<T>, fallback: T): Promise<T> => {
    if (Date.now() < pausedUntil) return fallback;
    try {
      if (unsentBumps.size > 0) await sendBumps();
      return await work();
    } catch {
      pausedUntil = Date.now() + pauseMs;
      return fallback;
    }
  };
  return {
    get: (name) => quietly(async () => (await redis.get(key(name))) ?? undefined, undefined),
    getMany: (names) =>
      quietly(
        async () => (names.length === 0 ? [] : (await redis.mget(...names.map(key))).map((value) => value ?? undefined)),
        names.map(() => undefined),
      ),
    set: (name, value, ttlSeconds) => quietly(async () => void (await redis.set(key(name), value, 'EX', ttlSeconds)), undefined),
    bump: (names) => {
      for (const name of names) unsentBumps.add(name);
      return quietly(async () => {}, undefined);
    },
    // Asks Redis itself (not paused): readiness must see it come back.
    ping: async () => {
      try {
        return (await redis.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    close: async () => {},
  };
}
