// With Redis unreachable, sign-in is refused (RATE_LIMITED) rather than left unthrottled.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisRateLimiter } from '../../src/platform/rate-limiter.js';
import { useTestApi } from '../harness/api.js';

// Nothing listens on port 1: every command fails at once (no offline queue), as with Redis down.
const unreachable = new Redis('redis://127.0.0.1:1', {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  lazyConnect: true,
  retryStrategy: () => null,
});
unreachable.on('error', () => {}); // expected: nothing listens there
const api = useTestApi({ rateLimiter: redisRateLimiter(unreachable, 'down:') });

afterAll(() => unreachable.disconnect());

describe('sign-in without Redis', () => {
  it('fails closed with RATE_LIMITED and no hint about the account', async () => {
    const response = await api.graphql(`mutation { login(email: "someone@example.cm", password: "Whatever-Pass-1") { accessToken } }`);
    expect(response.errors?.[0]).toMatchObject({ message: 'Too many attempts. Try again later.', extensions: { code: 'RATE_LIMITED' } });
  });
});
