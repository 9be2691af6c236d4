// The only code that reads clinics from PostgreSQL.
import type { PrismaClient } from '../../generated/prisma/client.js';

export type ClinicRow = Awaited<ReturnType<PrismaClient['clinic']['findFirstOrThrow']>>;

export class ClinicsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  listActive(): Promise<ClinicRow[]> {
    return this.prisma.clinic.findMany({ where: { isActive: true }, orderBy: [{ city: 'asc' }, { name: 'asc' }, { id: 'asc' }] });
  }

  findByIds(ids: readonly string[]): Promise<ClinicRow[]> {
    return this.prisma.clinic.findMany({ where: { id: { in: [...ids] }, isActive: true } });
  }
}
