// Embedded PostgreSQL (PGlite), with the extensions the migrations use (btree_gist for the
// no-double-booking exclusion constraints).
import type { PGlite } from '@electric-sql/pglite';

export async function createPGlite(dataDir?: string): Promise<PGlite> {
  const [{ PGlite: Embedded }, { btree_gist }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite/contrib/btree_gist')]);
  return Embedded.create({ dataDir, extensions: { btree_gist } });
}
