// The Redis cache's failure handling, over a stand-in for the client that can be made to fail: a
// version bump Redis did not take is sent again before the next command once Redis answers.
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { redisCache } from '../../src/platform/cache.js';

function flakyRedis() {
  const values = new Map<string, string>();
  const redis = {
    down: false,
    async incr(key: string) {
      if (redis.down) throw new Error('Connection is closed.');
      values.set(key, String(Number(values.get(key) ?? 0) + 1));
    },
    async mget(...keys: string[]) {
      if (redis.down) throw new Error('Connection is closed.');
      return keys.map((key) => values.get(key) ?? null);
    },
  };
  return redis;
}

describe('redisCache', () => {
  it('sends a bump that failed before the next command, once Redis answers again', async () => {
    const redis = flakyRedis();
    const cache = redisCache(redis as unknown as Redis, 'test:', 50);
    await cache.bump(['v']);
    expect(await cache.getMany(['v'])).toEqual(['1']);

    redis.down = true;
    await cache.bump(['v', 'w']);
    redis.down = false;
    expect(await cache.getMany(['v', 'w'])).toEqual([undefined, undefined]); // still leaving Redis alone
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await cache.getMany(['v', 'w'])).toEqual(['2', '1']);
  });
});
