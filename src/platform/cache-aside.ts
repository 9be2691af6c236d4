// Read-through caching for repositories: values are stored as JSON with their Dates kept, a cache
// that fails or is slow is a miss, and a batch of ids costs one cache round trip and one query for
// the misses. Writes inside a transaction must not go through here (nothing is cached there).
import type { Cache } from './cache.js';

const DATE_TAG = '$date';

function encode(value: unknown): string {
  return JSON.stringify(value, function replace(this: Record<string, unknown>, key: string, current: unknown) {
    const original = this[key];
    return original instanceof Date ? { [DATE_TAG]: original.toISOString() } : current;
  });
}

function decode<T>(text: string): T {
  return JSON.parse(text, (_key, current: unknown) => {
    if (current && typeof current === 'object' && !Array.isArray(current)) {
      const tagged = current as Record<string, unknown>;
      if (Object.keys(tagged).length === 1 && typeof tagged[DATE_TAG] === 'string') return new Date(tagged[DATE_TAG]);
    }
    return current;
  }) as T;
}

export class ReadThrough {
  constructor(private readonly cache: Cache) {}

  /** The cached value of `key`, else `load()` stored for `ttlSeconds`. */
  async one<T>(key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
    const hit = await this.cache.get(key);
    if (hit !== undefined) return decode<T>(hit);
    const value = await load();
    // Not awaited: set never throws (a failed write is skipped), and one connection keeps commands
    // in order, so a miss need not wait a Redis round trip (or its timeout) to answer.
    void this.cache.set(key, encode(value), ttlSeconds);
    return value;
  }

  /**
   * Rows for `ids` (in no particular order, absent ones left out): cached ones from one cache
   * round trip, the rest from `loadMissing` and then cached one by one (in the background).
   */
  async many<T>(ids: readonly string[], keyOf: (id: string) => string, ttlSeconds: number, idOf: (row: T) => string, loadMissing: (ids: string[]) => Promise<T[]>): Promise<T[]> {
    const hits = await this.cache.getMany(ids.map(keyOf));
    const found: T[] = [];
    const missing: string[] = [];
    hits.forEach((hit, index) => (hit === undefined ? missing.push(ids[index]) : found.push(decode<T>(hit))));
    if (missing.length === 0) return found;
    const loaded = await loadMissing(missing);
    for (const row of loaded) void this.cache.set(keyOf(idOf(row)), encode(row), ttlSeconds); // not awaited: see one()
    return [...found, ...loaded];
  }
}
