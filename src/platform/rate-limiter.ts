// Counting attempts in fixed windows. With Redis the counts are shared by every process, and an
// unreachable Redis fails closed (RateLimiterUnavailable: callers refuse the attempt). Without
// Redis the counts are per process, which the startup log says.
import type { Redis } from 'ioredis';

export class RateLimiterUnavailable extends Error {}

export interface RateLimiter {
  /** Adds one; returns the new count and the seconds until the window ends. */
  hit(key: string, windowSeconds: number): Promise<{ count: number; resetsInSeconds: number }>;
  /** Takes one back (an attempt that turned out fine). */
  release(key: string): Promise<void>;
  clear(key: string): Promise<void>;
}

export function redisRateLimiter(redis: Redis, keyPrefix: string): RateLimiter {
  const key = (name: string) => `${keyPrefix}rate:${name}`;
  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch {
      throw new RateLimiterUnavailable();
    }
  };
  return {
    hit: (name, windowSeconds) =>
      guarded(async () => {
        const results = await redis.multi().incr(key(name)).expire(key(name), windowSeconds, 'NX').ttl(key(name)).exec();
        if (!results || results.some(([error]) => error)) throw new Error('rate limit transaction failed');
        return { count: Number(results[0][1]), resetsInSeconds: Math.max(1, Number(results[2][1])) };
      }),
    release: (name) => guarded(async () => void (await redis.decr(key(name)))),
    clear: (name) => guarded(async () => void (await redis.del(key(name)))),
  };
}

export function memoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { count: number; endsAt: number }>();
  const current = (name: string) => {
    const window = windows.get(name);
    if (window && window.endsAt <= now()) {
      windows.delete(name);
      return undefined;
    }
    return window;
  };
  return {
    hit: async (name, windowSeconds) => {
      const window = current(name) ?? { count: 0, endsAt: now() + windowSeconds * 1000 };
      window.count += 1;
      windows.set(name, window);
      return { count: window.count, resetsInSeconds: Math.max(1, Math.ceil((window.endsAt - now()) / 1000)) };
    },
    release: async (name) => {
      const window = current(name);
      if (window && window.count > 0) window.count -= 1;
    },
    clear: async (name) => void windows.delete(name),
  };
}
