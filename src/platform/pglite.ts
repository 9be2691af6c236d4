// Embedded PostgreSQL (PGlite), with the extensions the migrations use (btree_gist for the
// no-double-booking exclusion constraints, pg_trgm for the patient search).
import type { PGlite } from '@electric-sql/pglite';

export async function createPGlite(dataDir?: string): Promise<PGlite> {
  const [{ PGlite: Embedded }, { btree_gist }, { pg_trgm }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/btree_gist'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
  ]);
  return Embedded.create({ dataDir, extensions: { btree_gist, pg_trgm } });
}
