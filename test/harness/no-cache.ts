// A cache that never holds anything: every read a miss, every write dropped. For tests that count
// what each query costs the stores, and for the benchmark's cache-miss case.
import type { Cache } from '../../src/platform/cache.js';

export const NO_CACHE: Cache = {
  get: async () => undefined,
  getMany: async (keys) => keys.map(() => undefined),
  set: async () => {},
  bump: async () => {},
  ping: async () => true,
  close: async () => {},
};
