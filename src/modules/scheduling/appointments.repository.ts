// Appointments in PostgreSQL, each written with its outbox events in one transaction. Two
// exclusion constraints refuse a doctor or a patient two overlapping appointments; every write
// bumps the doctor's slot version after it commits (see slot-cache.ts).
import type { AppointmentStatus, ConsultationMode, Prisma, PrismaClient } from '../../generated/prisma/client.js';
import type { ReadThrough } from '../../platform/cache-aside.js';
import { exclusionViolation, uniqueViolation } from '../../platform/prisma-errors.js';
import { slotsVersion } from './slot-cache.js';

import type { OutboxEventInput } from '../../platform/outbox-topics.js';

export type AppointmentRow = Prisma.AppointmentGetPayload<object>;

export interface NewAppointment {
  id: string;
  patientId: string;
  doctorId: string;
  clinicId: string;
  appointmentTypeId: string;
  startsAt: Date;
  endsAt: Date;
  mode: ConsultationMode;
  meetingUrl: string | null;
  /** The user who booked, and the key they may retry the booking with. */
  bookedBy: string;
  idempotencyKey: string | null;
}

/** What a step of the visit, or a new time, changes of an appointment: a field left out stays. */
export interface AppointmentChange {
  status: AppointmentStatus;
  confirmedAt?: Date | null;
  checkedInAt?: Date;
  startedAt?: Date;
  completedAt?: Date;
  cancelledAt?: Date;
  cancellationReason?: string;
  startsAt?: Date;
  endsAt?: Date;
}

/** Which appointments a list holds: every condition given must hold. */
export interface AppointmentFilter {
  patientId?: string;
  doctorId?: string;
  /** The doctor's user account. */
  doctorUserId?: string;
  clinicIds?: readonly string[];
  status?: AppointmentStatus;
  /** Starting at or after `from`, before `to`. */
  startsIn?: { from: Date; to: Date };
  /** Ending after this instant (still ahead or under way). */
  endsAfter?: Date;
  /** Ended at or before this instant. */
  endedBy?: Date;
}

const ACTIVE: AppointmentStatus[] = ['booked', 'confirmed', 'checked_in', 'in_consultation', 'completed'];

/** The doctor, or the patient, already has an appointment overlapping the one written (the exclusion constraints refused it). */
export class DoubleBooking extends Error {
  constructor(readonly clash: 'doctor' | 'patient') {
    super(`the ${clash} already has an appointment at that time`);
  }
}

/** A refused appointment write as a typed error: DoubleBooking, UniqueViolation (the idempotency key), or the error itself. */
function appointmentError(error: unknown): unknown {
  const excluded = exclusionViolation(error);
  if (excluded) return new DoubleBooking(excluded.constraint.endsWith('_patient') ? 'patient' : 'doctor');
  return uniqueViolation(error) ?? error;
}

function appointmentWhere(filter: AppointmentFilter): Prisma.AppointmentWhereInput {
  const { endsAfter, endedBy } = filter;
  return {
    ...(filter.patientId !== undefined ? { patientId: filter.patientId } : {}),
    ...(filter.doctorId !== undefined ? { doctorId: filter.doctorId } : {}),
    ...(filter.doctorUserId !== undefined ? { doctor: { is: { userId: filter.doctorUserId } } } : {}),
    ...(filter.clinicIds ? { clinicId: { in: [...filter.clinicIds] } } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.startsIn ? { startsAt: { gte: filter.startsIn.from, lt: filter.startsIn.to } } : {}),
    ...(endsAfter || endedBy ? { endsAt: { ...(endsAfter ? { gt: endsAfter } : {}), ...(endedBy ? { lte: endedBy } : {}) } } : {}),
  };
}

export class AppointmentsRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cache: ReadThrough,
  ) {}

  byIds(ids: readonly string[]): Promise<AppointmentRow[]> {
    return this.prisma.appointment.findMany({ where: { id: { in: [...ids] } } });
  }

  /**
   * Inserts an appointment and its outbox events in one transaction: DoubleBooking on a clash,
   * UniqueViolation on an idempotency key used before.
   */
  async create(appointment: NewAppointment, events: OutboxEventInput[] = []): Promise<AppointmentRow> {
    let row: AppointmentRow;
    try {
      [row] = (await this.prisma.$transaction([
        this.prisma.appointment.create({ data: appointment }),
        ...events.map((event) => this.prisma.outboxEvent.create({ data: event })),
      ])) as [AppointmentRow];
    } catch (error) {
      throw appointmentError(error);
    }
    await this.cache.bump([slotsVersion(row.doctorId)]);
    return row;
  }

  findByIdempotencyKey(bookedBy: string, idempotencyKey: string): Promise<AppointmentRow | null> {
    return this.prisma.appointment.findUnique({ where: { bookedBy_idempotencyKey: { bookedBy, idempotencyKey } } });
  }

  /** The active appointment of this doctor or patient that overlaps [startsAt, endsAt). */
  findClash(who: 'doctor' | 'patient', id: string, startsAt: Date, endsAt: Date): Promise<AppointmentRow | null> {
    return this.prisma.appointment.findFirst({
      where: {
        ...(who === 'doctor' ? { doctorId: id } : { patientId: id }),
        status: { in: ACTIVE },
        startsAt: { lt: endsAt },
        endsAt: { gt: startsAt },
      },
    });
  }

  /**
   * Applies `change` to an appointment only if it is still in one of `from` (a concurrent change loses);
   * returns the row after the change, or null when it was not in an allowed state. DoubleBooking
   * when a new time clashes.
   */
  async transition(
    id: string,
    from: AppointmentStatus[],
    change: AppointmentChange,
    events: OutboxEventInput[] = [],
  ): Promise<AppointmentRow | null> {
    let moved: AppointmentRow | null;
    try {
      moved = await this.prisma.$transaction(async (tx) => {
        const { count } = await tx.appointment.updateMany({ where: { id, status: { in: from } }, data: change });
        if (count === 0) return null;
        for (const event of events) await tx.outboxEvent.create({ data: event });
        return tx.appointment.findUnique({ where: { id } });
      });
    } catch (error) {
      throw appointmentError(error);
    }
    // Cancelling, a no-show or a new time frees or takes a slot; bumping on the other steps costs a miss.
    if (moved) await this.cache.bump([slotsVersion(moved.doctorId)]);
    return moved;
  }

  /** A page of appointments by start time (keyset on (startsAt, id)). */
  page(filter: AppointmentFilter, direction: 'asc' | 'desc', after: [Date, string] | undefined, take: number): Promise<AppointmentRow[]> {
    const where = appointmentWhere(filter);
    const [startsAt, id] = after ?? [];
    const cmp = direction === 'asc' ? 'gt' : 'lt';
    const keyset: Prisma.AppointmentWhereInput | undefined = after
      ? { OR: [{ startsAt: { [cmp]: startsAt } }, { startsAt, id: { [cmp]: id } }] }
      : undefined;
    return this.prisma.appointment.findMany({
      where: { AND: [where, ...(keyset ? [keyset] : [])] },
      orderBy: [{ startsAt: direction }, { id: direction }],
      take,
    });
  }

  /** How many appointments match `filter` (a whole list, for totalCount). */
  count(filter: AppointmentFilter): Promise<number> {
    return this.prisma.appointment.count({ where: appointmentWhere(filter) });
  }

  /** Instants bounding a local date in a time zone (PostgreSQL's rules). */
  async dayBounds(date: string, timeZone: string): Promise<{ from: Date; to: Date }> {
    const [row] = await this.prisma.$queryRaw<Array<{ from: Date; to: Date }>>`
      SELECT (${date}::date::timestamp AT TIME ZONE ${timeZone}) AS "from", ((${date}::date + 1)::timestamp AT TIME ZONE ${timeZone}) AS "to"`;
    return row;
  }
}
