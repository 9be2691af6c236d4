// Appointment types, doctors' availability and appointments in PostgreSQL. Free slots are
// computed by PostgreSQL in one statement, with its own time-zone rules for each clinic.
//
// Slot searches are cached for SLOTS_TTL_SECONDS (public: the same for every caller). Each result
// is stored under the versions of the doctors' slots it covers (slotsVersion) and of the directory
// (DOCTORS_VERSION: who is listed, where they have hours, clinics); every write here bumps them
// after its transaction commits, so the next search sees it. A bump lost to a Redis outage is
// retried, and in any case leaves a stale result for at most SLOTS_TTL_SECONDS.
import { Prisma, type AppointmentStatus, type AvailabilityExceptionKind, type ConsultationMode, type PrismaClient } from '../../generated/prisma/client.js';
import { hashedKey, type ReadThrough } from '../../platform/cache-aside.js';
import { exclusionViolation, uniqueViolation } from '../../platform/prisma-errors.js';
import { DOCTORS_VERSION } from '../doctors/index.js';

export type AppointmentRow = Prisma.AppointmentGetPayload<object>;
export type AppointmentTypeRow = Prisma.AppointmentTypeGetPayload<object>;
export type WindowRow = Prisma.AvailabilityWindowGetPayload<{ include: { breaks: true } }>;
export type ExceptionRow = Prisma.AvailabilityExceptionGetPayload<object>;

/** An event for MongoDB, written in the same transaction (see platform/outbox.ts). */
export interface OutboxEventInput {
  topic: string;
  payload: Prisma.InputJsonValue;
}

export interface SlotQuery {
  doctorIds: string[];
  /** Limit to these clinics (null: any clinic where the doctors have hours). */
  clinicIds: string[] | null;
  from: Date;
  to: Date;
  durationMinutes: number;
  /** Also list times already booked (to tell "outside availability" from "taken"). */
  includeBooked?: boolean;
  limit?: number;
}

/** How a search chooses doctors: one doctor, a specialty, clinics near a point; `clinicId` limits to one clinic. */
export interface SlotSearch {
  doctorId?: string;
  specialtyCode?: string;
  clinicId?: string;
  near?: { latitude: number; longitude: number; radiusKm: number };
}

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

export interface NewException {
  doctorId: string;
  /** Required for extra hours; time off without one applies at every clinic. */
  clinicId: string | null;
  kind: AvailabilityExceptionKind;
  startsAt: Date;
  endsAt: Date;
}

export interface SlotRow {
  doctorId: string;
  clinicId: string;
  startsAt: Date;
  endsAt: Date;
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

/** Appointment types are directory data, cached; clinic admins' changes bump TYPES_VERSION after they commit. */
const TYPES_TTL_SECONDS = 300;
const ACTIVE_TYPES_KEY = 'appointment-types:active';
const typeKey = (id: string) => `appointment-type:${id}`;
const TYPES_VERSION = 'version:appointment-types';

/** Slots change with every booking: kept briefly, which also bounds any staleness (see above). */
const SLOTS_TTL_SECONDS = 30;
/** The version of a doctor's free times: bumped by bookings, every change of an appointment, hours and exceptions. */
const slotsVersion = (doctorId: string) => `version:slots:${doctorId}`;

export class SchedulingRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cache: ReadThrough,
  ) {}

  typesByIds(ids: readonly string[]): Promise<AppointmentTypeRow[]> {
    return this.cache.many(ids, typeKey, TYPES_TTL_SECONDS, (row: AppointmentTypeRow) => row.id, (missing) => this.prisma.appointmentType.findMany({ where: { id: { in: missing } } }), [TYPES_VERSION]);
  }

  /** Every active type, of every clinic (few: filtered by the caller). */
  activeTypes(): Promise<AppointmentTypeRow[]> {
    return this.cache.one(ACTIVE_TYPES_KEY, TYPES_TTL_SECONDS, () => this.prisma.appointmentType.findMany({ where: { isActive: true }, orderBy: [{ durationMinutes: 'asc' }, { nameEn: 'asc' }, { id: 'asc' }] }), [TYPES_VERSION]);
  }

  /** A clinic's own type; UniqueViolation when its code is taken. */
  async createType(clinicId: string, fields: AppointmentTypeFields): Promise<AppointmentTypeRow> {
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
  async updateType(id: string, clinicId: string, changes: AppointmentTypeChanges): Promise<AppointmentTypeRow | null> {
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

  appointmentsByIds(ids: readonly string[]): Promise<AppointmentRow[]> {
    return this.prisma.appointment.findMany({ where: { id: { in: [...ids] } } });
  }

  /** The doctors (active, with hours at a matching clinic) and clinics (null: any) a search covers. */
  searchScope(search: SlotSearch): Promise<{ doctorIds: string[]; clinicIds: string[] | null }> {
    return this.cache.one(hashedKey('slot-scope', search), SLOTS_TTL_SECONDS, async () => {
      const { doctorId, specialtyCode, clinicId, near } = search;
      const clinicIds = near ? await this.clinicsNear(near.latitude, near.longitude, near.radiusKm) : clinicId ? [clinicId] : null;
      return { doctorIds: await this.doctorsFor({ doctorId, specialtyCode, clinicIds }), clinicIds };
    }, [DOCTORS_VERSION]);
  }

  /** Free slots (booked times left out) as slots() finds them, through the cache. */
  async freeSlots(query: Omit<SlotQuery, 'includeBooked'>): Promise<SlotRow[]> {
    if (query.doctorIds.length === 0) return [];
    const doctorIds = [...query.doctorIds].sort();
    const key = hashedKey('slots', { ...query, doctorIds, clinicIds: query.clinicIds && [...query.clinicIds].sort() });
    const rows = await this.cache.one(key, SLOTS_TTL_SECONDS, () => this.slots(query), [DOCTORS_VERSION, ...doctorIds.map(slotsVersion)]);
    // Kept up to SLOTS_TTL_SECONDS: a slot that has started since is no longer free.
    const now = Date.now();
    return rows.filter((row) => row.startsAt.getTime() > now);
  }

  private async doctorsFor(filter: { doctorId?: string; specialtyCode?: string; clinicIds: string[] | null }): Promise<string[]> {
    const doctors = await this.prisma.doctorProfile.findMany({
      where: {
        ...(filter.doctorId ? { id: filter.doctorId } : {}),
        ...(filter.specialtyCode ? { specialties: { some: { specialty: { code: filter.specialtyCode } } } } : {}),
        user: { is: { status: 'active' } },
        windows: { some: filter.clinicIds ? { clinicId: { in: filter.clinicIds } } : {} },
      },
      select: { id: true },
      take: 200,
    });
    return doctors.map((doctor) => doctor.id);
  }

  /** Active clinics within `radiusKm` of a point (great-circle distance). */
  private async clinicsNear(latitude: number, longitude: number, radiusKm: number): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM clinics
      WHERE is_active AND latitude IS NOT NULL AND longitude IS NOT NULL
        AND 2 * 6371 * asin(sqrt(power(sin(radians(latitude - ${latitude}) / 2), 2)
          + cos(radians(${latitude})) * cos(radians(latitude)) * power(sin(radians(longitude - ${longitude}) / 2), 2))) <= ${radiusKm}`;
    return rows.map((row) => row.id);
  }

  /** Free slots: weekly windows and extra hours, cut by the type's duration, minus breaks, time off and (unless asked) bookings. Uncached: what a booking checks against. */
  async slots(query: SlotQuery): Promise<SlotRow[]> {
    if (query.doctorIds.length === 0) return [];
    const step = Prisma.sql`(${query.durationMinutes}::int * interval '1 minute')`;
    const clinicFilter = query.clinicIds ? Prisma.sql`AND w.clinic_id = ANY(${query.clinicIds}::uuid[])` : Prisma.empty;
    const extraClinicFilter = query.clinicIds ? Prisma.sql`AND e.clinic_id = ANY(${query.clinicIds}::uuid[])` : Prisma.empty;
    const bookedFilter = query.includeBooked
      ? Prisma.empty
      : Prisma.sql`AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.doctor_id = x.doctor_id
          AND a.status NOT IN ('cancelled', 'no_show') AND tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange(x.starts_at, x.ends_at, '[)'))`;
    return this.prisma.$queryRaw<SlotRow[]>`
      WITH days AS (
        SELECT generate_series((${query.from}::timestamptz AT TIME ZONE 'UTC')::date - 1,
                               (${query.to}::timestamptz AT TIME ZONE 'UTC')::date + 1, interval '1 day')::date AS day
      ),
      spans AS (
        SELECT w.id AS window_id, w.doctor_id, w.clinic_id, c.time_zone, d.day, w.starts_at AS local_start,
               (d.day + w.starts_at) AT TIME ZONE c.time_zone AS span_start,
               ((CASE WHEN w.ends_at <= w.starts_at THEN d.day + 1 ELSE d.day END) + w.ends_at) AT TIME ZONE c.time_zone AS span_end
        FROM availability_windows w
        JOIN clinics c ON c.id = w.clinic_id AND c.is_active
        JOIN days d ON extract(dow FROM d.day) = w.day_of_week
        WHERE w.doctor_id = ANY(${query.doctorIds}::uuid[]) ${clinicFilter}
          AND (w.valid_from IS NULL OR d.day >= w.valid_from) AND (w.valid_until IS NULL OR d.day <= w.valid_until)
        UNION ALL
        SELECT NULL, e.doctor_id, e.clinic_id, c.time_zone, NULL, NULL, e.starts_at, e.ends_at
        FROM availability_exceptions e JOIN clinics c ON c.id = e.clinic_id AND c.is_active
        WHERE e.kind = 'extra_hours' AND e.doctor_id = ANY(${query.doctorIds}::uuid[]) ${extraClinicFilter}
          AND e.ends_at > ${query.from} AND e.starts_at < ${query.to}
      ),
      candidates AS (
        SELECT s.*, g AS starts_at, g + ${step} AS ends_at
        FROM spans s, generate_series(s.span_start, s.span_end - ${step}, ${step}) g
      )
      SELECT doctor_id AS "doctorId", clinic_id AS "clinicId", starts_at AS "startsAt", ends_at AS "endsAt" FROM (
        SELECT DISTINCT ON (x.doctor_id, x.starts_at) x.doctor_id, x.clinic_id, x.starts_at, x.ends_at
        FROM candidates x
        WHERE x.starts_at >= ${query.from} AND x.ends_at <= ${query.to} AND x.starts_at > now()
          AND NOT EXISTS (
            SELECT 1 FROM availability_breaks b WHERE b.window_id = x.window_id
              AND tstzrange(
                    ((CASE WHEN b.starts_at < x.local_start THEN x.day + 1 ELSE x.day END) + b.starts_at) AT TIME ZONE x.time_zone,
                    ((CASE WHEN b.ends_at <= x.local_start THEN x.day + 1 ELSE x.day END) + b.ends_at) AT TIME ZONE x.time_zone, '[)')
                  && tstzrange(x.starts_at, x.ends_at, '[)'))
          AND NOT EXISTS (
            SELECT 1 FROM availability_exceptions e WHERE e.doctor_id = x.doctor_id AND e.kind = 'time_off'
              AND tstzrange(e.starts_at, e.ends_at, '[)') && tstzrange(x.starts_at, x.ends_at, '[)'))
          ${bookedFilter}
        ORDER BY x.doctor_id, x.starts_at
      ) free
      ORDER BY starts_at, doctor_id
      LIMIT ${query.limit ?? 500}`;
  }

  /**
   * Inserts an appointment and its outbox events in one transaction: DoubleBooking on a clash,
   * UniqueViolation on an idempotency key used before.
   */
  async createAppointment(appointment: NewAppointment, events: OutboxEventInput[] = []): Promise<AppointmentRow> {
    let row: AppointmentRow;
    try {
      [row] = (await this.prisma.$transaction([this.prisma.appointment.create({ data: appointment }), ...events.map((event) => this.prisma.outboxEvent.create({ data: event }))])) as [AppointmentRow];
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
      where: { ...(who === 'doctor' ? { doctorId: id } : { patientId: id }), status: { in: ACTIVE }, startsAt: { lt: endsAt }, endsAt: { gt: startsAt } },
    });
  }

  /**
   * Moves an appointment to `next` only if it is still in one of `from` (a concurrent change loses);
   * returns the row after the change, or null when it was not in an allowed state. DoubleBooking
   * when a new time clashes.
   */
  async transition(id: string, from: AppointmentStatus[], change: AppointmentChange, events: OutboxEventInput[] = []): Promise<AppointmentRow | null> {
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
    return this.prisma.appointment.findMany({ where: { AND: [where, ...(keyset ? [keyset] : [])] }, orderBy: [{ startsAt: direction }, { id: direction }], take });
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

  async replaceWeeklyWindows(doctorId: string, clinicId: string, windows: Array<{ dayOfWeek: number; startsAt: Date; endsAt: Date; validFrom: Date | null; validUntil: Date | null; breaks: Array<{ startsAt: Date; endsAt: Date }> }>): Promise<void> {
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
    return this.prisma.availabilityException.findMany({ where: { doctorId, startsAt: { lt: to }, endsAt: { gt: from } }, orderBy: [{ startsAt: 'asc' }, { id: 'asc' }], take: 500 });
  }

  async addException(exception: NewException): Promise<void> {
    await this.prisma.availabilityException.create({ data: exception });
    await this.cache.bump([slotsVersion(exception.doctorId)]);
  }
}
