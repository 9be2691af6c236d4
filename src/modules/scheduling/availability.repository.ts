// Doctors' hours in PostgreSQL: weekly windows with their breaks, and one-time exceptions (time
// off, extra hours). Every change bumps the doctor's slot version after it commits (see
// slot-cache.ts); weekly hours also bump DOCTORS_VERSION, since they decide which searches find
// the doctor.
import type { AvailabilityExceptionKind, Prisma, PrismaClient } from '../../generated/prisma/client.js';
import type { ReadThrough } from '../../platform/cache-aside.js';
import { DOCTORS_VERSION } from '../doctors/index.js';
import { slotsVersion } from './slot-cache.js';

export type WindowRow = Prisma.AvailabilityWindowGetPayload<{ include: { breaks: true } }>;
export type ExceptionRow = Prisma.AvailabilityExceptionGetPayload<object>;

export interface NewException {
  doctorId: string;
  /** Required for extra hours; time off without one applies at every clinic. */
  clinicId: string | null;
  kind: AvailabilityExceptionKind;
  startsAt: Date;
  endsAt: Date;
}

export class AvailabilityRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cache: ReadThrough,
  ) {}

  async replaceWeeklyWindows(
    doctorId: string,
    clinicId: string,
    windows: Array<{
      dayOfWeek: number;
      startsAt: Date;
      endsAt: Date;
      validFrom: Date | null;
      validUntil: Date | null;
      breaks: Array<{ startsAt: Date; endsAt: Date }>;
    }>,
  ): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.availabilityWindow.deleteMany({ where: { doctorId, clinicId } });
      for (const { breaks, ...window } of windows) {
        await tx.availabilityWindow.create({ data: { ...window, doctorId, clinicId, breaks: { create: breaks } } });
      }
    });
    // Hours also decide which searches find the doctor (searchScope).
    await this.cache.bump([DOCTORS_VERSION, slotsVersion(doctorId)]);
  }

  /** Each doctor's weekly windows with their breaks, by clinic, day and start. */
  weeklyWindows(doctorIds: readonly string[]): Promise<WindowRow[]> {
    return this.prisma.availabilityWindow.findMany({
      where: { doctorId: { in: [...doctorIds] } },
      include: { breaks: { orderBy: { startsAt: 'asc' } } },
      orderBy: [{ clinicId: 'asc' }, { dayOfWeek: 'asc' }, { startsAt: 'asc' }, { id: 'asc' }],
    });
  }

  /** A doctor's exceptions that overlap [from, to), by start. */
  exceptions(doctorId: string, from: Date, to: Date): Promise<ExceptionRow[]> {
    return this.prisma.availabilityException.findMany({
      where: { doctorId, startsAt: { lt: to }, endsAt: { gt: from } },
      orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
      take: 500,
    });
  }

  async addException(exception: NewException): Promise<void> {
    await this.prisma.availabilityException.create({ data: exception });
    await this.cache.bump([slotsVersion(exception.doctorId)]);
  }
}
