// Read-through caching for repositories: values are stored as JSON with their Dates kept, a cache
// that fails or is slow is a miss, and a batch of ids costs one cache round trip and one query for
// the misses. Nothing inside a transaction goes through here.
//
// Invalidation is by version: a value that writes change is stored with the versions of its
// `versionKeys` as they were read just before it was loaded (in the same round trip as the value),
// and is a miss once any of them moved on. A write bumps them after it commits, so a value loaded
// before the commit is never served after the bump, even if it was stored after it. A bump that
// does not reach the cache is retried (see cache.ts); until then, and if Redis loses a counter,
// what is stale stays so for at most its TTL.
import { createHash } from 'node:crypto';
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

/** A cache key for a value that depends on `parts` (hashed: its length and characters stay safe whatever a client sent). */
export function hashedKey(prefix: string, parts: unknown): string {
  return `${prefix}:${createHash('sha256').update(JSON.stringify(parts)).digest('base64url')}`;
}

/** What is stored under a key: the value and the versions it was loaded under. */
interface Entry<T> {
  versions: Array<string | null>;
  value: T;
}

const sameVersions = (a: Array<string | null>, b: Array<string | null>) =>
  a.length === b.length && a.every((version, index) => version === b[index]);

export class ReadThrough {
  constructor(private readonly cache: Cache) {}

  /** The cached value of `key` (still current for `versionKeys`), else `load()` stored for `ttlSeconds`. */
  async one<T>(key: string, ttlSeconds: number, load: () => Promise<T>, versionKeys: readonly string[] = []): Promise<T> {
    const {
      values: [hit],
      versions,
    } = await this.read<T>([key], versionKeys);
    if (hit !== undefined) return hit;
    const value = await load();
    this.store(key, value, versions, ttlSeconds);
    return value;
  }

  /**
   * Rows for `ids` (in no particular order, absent ones left out): cached ones (still current for
   * `versionKeys`) from one cache round trip, the rest from `loadMissing` and then cached one by one.
   */
  async many<T>(
    ids: readonly string[],
    keyOf: (id: string) => string,
    ttlSeconds: number,
    idOf: (row: T) => string,
    loadMissing: (ids: string[]) => Promise<T[]>,
    versionKeys: readonly string[] = [],
  ): Promise<T[]> {
    const { values, versions } = await this.read<T>(ids.map(keyOf), versionKeys);
    const found: T[] = [];
    const missing: string[] = [];
    values.forEach((hit, index) => (hit === undefined ? missing.push(ids[index]) : found.push(hit)));
    if (missing.length === 0) return found;
    const loaded = await loadMissing(missing);
    for (const row of loaded) this.store(keyOf(idOf(row)), row, versions, ttlSeconds);
    return [...found, ...loaded];
  }

  /** Makes every value stored under the current versions of `versionKeys` stale. Call it after the write's transaction commits, never inside it. */
  bump(versionKeys: readonly string[]): Promise<void> {
    return this.cache.bump(versionKeys);
  }

  /** The current entries of `keys` (undefined: missing or stale) and the versions of `versionKeys`, in one round trip. */
  private async read<T>(
    keys: readonly string[],
    versionKeys: readonly string[],
  ): Promise<{ values: Array<T | undefined>; versions: Array<string | null> }> {
    const found = await this.cache.getMany([...keys, ...versionKeys]);
    const versions = found.slice(keys.length).map((version) => version ?? null);
    const values = found.slice(0, keys.length).map((text) => {
      if (text === undefined) return undefined;
      const entry = decode<Entry<T>>(text);
      return sameVersions(entry.versions, versions) ? entry.value : undefined;
    });
    return { values, versions };
  }

  /**
   * Not awaited: set never throws (a failed write is skipped), and one connection keeps commands in
   * order, so a miss need not wait a Redis round trip (or its timeout) to answer.
   */
  private store<T>(key: string, value: T, versions: Array<string | null>, ttlSeconds: number): void {
    const entry: Entry<T> = { versions, value };
    void this.cache.set(key, encode(entry), ttlSeconds);
  }
}
