// One Redis connection per process, set up so that Redis can never hang a request: short connect
// and command timeouts, no queue of commands while disconnected, reconnection in the background.
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export function connectRedis(url: string, log: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1000,
    commandTimeout: 100, // Redis on the same network answers in about a millisecond
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let lastReported = 0;
  redis.on('error', (error: Error) => {
    if (Date.now() - lastReported < 10_000) return;
    lastReported = Date.now();
    log.warn({ err: error.message }, 'Redis unavailable');
  });
  return redis;
}
