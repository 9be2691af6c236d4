// Appointment types in PostgreSQL. Directory data, cached; clinic admins' changes bump
// TYPES_VERSION after they commit.
import type { ConsultationMode, Prisma, PrismaClient } from '../../generated/prisma/client.js';
import type { ReadThrough } from '../../platform/cache-aside.js';
import { uniqueViolation } from '../../platform/prisma-errors.js';

export type AppointmentTypeRow = Prisma.AppointmentTypeGetPayload<object>;

/** A clinic's own appointment type, as its admins set it. */
export interface AppointmentTypeFields {
  code: string;
  nameEn: string;
  nameFr: string;
  durationMinutes: number;
  priceMinor: number;
  currency: string;
  modes: ConsultationMode[];
}

/** What an admin changes of their clinic's type (a field left out stays), activation included. */
export type AppointmentTypeChanges = Partial<AppointmentTypeFields> & { isActive?: boolean };

const TYPES_TTL_SECONDS = 300;
const ACTIVE_TYPES_KEY = 'appointment-types:active';
const typeKey = (id: string) => `appointment-type:${id}`;
const TYPES_VERSION = 'version:appointment-types';

export class AppointmentTypesRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cache: ReadThrough,
  ) {}

  byIds(ids: readonly string[]): Promise<AppointmentTypeRow[]> {
    return this.cache.many(
      ids,
      typeKey,
      TYPES_TTL_SECONDS,
      (row: AppointmentTypeRow) => row.id,
      (missing) => this.prisma.appointmentType.findMany({ where: { id: { in: missing } } }),
      [TYPES_VERSION],
    );
  }

  /** Every active type, of every clinic (few: filtered by the caller). */
  active(): Promise<AppointmentTypeRow[]> {
    return this.cache.one(
      ACTIVE_TYPES_KEY,
      TYPES_TTL_SECONDS,
      () =>
        this.prisma.appointmentType.findMany({
          where: { isActive: true },
          orderBy: [{ durationMinutes: 'asc' }, { nameEn: 'asc' }, { id: 'asc' }],
        }),
      [TYPES_VERSION],
    );
  }

  /** A clinic's own type; UniqueViolation when its code is taken. */
  async create(clinicId: string, fields: AppointmentTypeFields): Promise<AppointmentTypeRow> {
    let row: AppointmentTypeRow;
    try {
      row = await this.prisma.appointmentType.create({ data: { ...fields, clinicId } });
    } catch (error) {
      throw uniqueViolation(error) ?? error;
    }
    await this.cache.bump([TYPES_VERSION]);
    return row;
  }

  /** Changes a clinic's own type (null when `clinicId` has no such type); UniqueViolation when the new code is taken. */
  async update(id: string, clinicId: string, changes: AppointmentTypeChanges): Promise<AppointmentTypeRow | null> {
    let row: AppointmentTypeRow | null;
    try {
      row = await this.prisma.$transaction(async (tx) => {
        const { count } = await tx.appointmentType.updateMany({ where: { id, clinicId }, data: changes });
        return count === 0 ? null : tx.appointmentType.findUnique({ where: { id } });
      });
    } catch (error) {
      throw uniqueViolation(error) ?? error;
    }
    // A new duration changes every slot search for it: their cache keys carry the duration.
    if (row) await this.cache.bump([TYPES_VERSION]);
    return row;
  }
}
