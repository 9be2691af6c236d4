// Clinics from PostgreSQL, read through the cache (directory data: public and the same for every
// caller, so its keys carry no user or tenant). Nothing in the API changes a clinic yet; one that
// does must read these keys under a version it bumps (see cache-aside.ts), and bump DOCTORS_VERSION
// too: slot searches read clinics' places, time zones and state.
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { ReadThrough } from '../../platform/cache-aside.js';

export type ClinicRow = Awaited<ReturnType<PrismaClient['clinic']['findFirstOrThrow']>>;

const TTL_SECONDS = 300;
const LIST_KEY = 'clinics:active';
const keyOf = (id: string) => `clinic:${id}`;

export class ClinicsRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cache: ReadThrough,
  ) {}

  listActive(): Promise<ClinicRow[]> {
    return this.cache.one(LIST_KEY, TTL_SECONDS, () =>
      this.prisma.clinic.findMany({ where: { isActive: true }, orderBy: [{ city: 'asc' }, { name: 'asc' }, { id: 'asc' }] }),
    );
  }

  /** Active clinics by id (an inactive one is cached too, and left out). */
  async findByIds(ids: readonly string[]): Promise<ClinicRow[]> {
    const rows = await this.cache.many(
      ids,
      keyOf,
      TTL_SECONDS,
      (row: ClinicRow) => row.id,
      (missing) => this.prisma.clinic.findMany({ where: { id: { in: missing } } }),
    );
    return rows.filter((row) => row.isActive);
  }
}
