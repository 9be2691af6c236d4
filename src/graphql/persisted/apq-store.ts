// Automatic persisted queries (first-party clients only, see admission.ts) keep their documents in
// the cache: a hash the cache has lost (evicted, or Redis unreachable) is PERSISTED_QUERY_NOT_FOUND
// and the client simply sends the document again, so Redis is never needed for an answer.
// Documents are not anyone's data: the key is the document's hash and nothing else. The manifest's
// operations are answered from the manifest (no cache round trip, and no copy in Redis).
import type { Cache } from '../../platform/cache.js';
import type { PersistedOperations } from './manifest.js';

const DAY_SECONDS = 24 * 60 * 60;

/** The shape Apollo Server's `persistedQueries.cache` takes. */
export interface DocumentStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, document: string, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean>;
}

/** Apollo asks for `apq:<sha256>` (it prefixes the hash itself). */
const hashIn = (key: string) => key.slice(key.lastIndexOf(':') + 1);

export function apqStore(cache: Cache, manifest: PersistedOperations): DocumentStore {
  return {
    get: async (key) => manifest.body(hashIn(key)) ?? cache.get(key),
    set: async (key, document, options) => {
      if (manifest.body(hashIn(key)) === undefined) await cache.set(key, document, options?.ttl ?? DAY_SECONDS);
    },
    // Apollo only deletes what it cannot use; an entry left behind expires with its TTL.
    delete: async () => false,
  };
}
