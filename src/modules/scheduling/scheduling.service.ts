// Scheduling: free slots, booking (idempotent; PostgreSQL refuses double bookings), the visit's
// state machine, and schedules. Who may act on an appointment is checked here, against the
// appointment itself; the schema's rules only require a signed-in caller.
import type { Principal } from '../../auth/principal.js';
import type { RequestContext } from '../../context/context.js';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../errors/errors.js';
import { cursorShape, decodeCursor, encodeCursor, part, toPage, type Page } from '../../graphql/connection.js';
import { idOf, toGlobalId } from '../../graphql/global-id.js';
import { UniqueViolation } from '../../platform/prisma-errors.js';
import type { AppointmentStatus as DbStatus, Prisma } from '../../generated/prisma/client.js';
import { completionFields, encounterCompleted, type EncounterInput } from '../encounters/index.js';
import { appointmentBooked, appointmentCancelled, appointmentRescheduled, reminderChannelOf, type AppointmentEventPayload } from '../notifications/index.js';
import { outboxEvent, type OutboxEventInput, type OutboxTopic } from '../../platform/outbox-topics.js';
import { randomUUID } from 'node:crypto';
import type { VideoRooms } from '../../platform/video-rooms.js';
import { DoubleBooking, type AppointmentRow, type AppointmentTypeRow, type SchedulingRepository, type SlotRow } from './scheduling.repository.js';
import { AppointmentStatus, AppointmentType, ConsultationMode, statusName, type Appointment, type BookAppointmentInput, type JoinInfo, type Slot, type SlotSearchInput } from './scheduling.types.js';

const MAX_SEARCH_DAYS = 31;
const DAY = 24 * 60 * 60 * 1000;
/** Statuses after which there is nothing left to join. */
const OVER: AppointmentStatus[] = [AppointmentStatus.COMPLETED, AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW];
/** Appointment lists are in (startsAt, id) order. */
const APPOINTMENT_CURSOR = cursorShape(part.instant, part.uuid);

export function toAppointment(row: AppointmentRow): Appointment {
  return {
    dbId: row.id,
    patientDbId: row.patientId,
    doctorDbId: row.doctorId,
    clinicDbId: row.clinicId,
    typeDbId: row.appointmentTypeId,
    id: toGlobalId('Appointment', row.id),
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    status: row.status as AppointmentStatus,
    statusName: statusName(row.status),
    mode: row.mode as ConsultationMode,
    cancellationReason: row.cancellationReason,
    meetingUrl: row.meetingUrl,
  };
}

export function toAppointmentType(row: AppointmentTypeRow): AppointmentType {
  const modes = row.modes as ConsultationMode[];
  // An instance, because `name(language)` is a method on the class.
  return Object.assign(new AppointmentType(), {
    dbId: row.id,
    clinicDbId: row.clinicId,
    id: toGlobalId('AppointmentType', row.id),
    code: row.code,
    nameEn: row.nameEn,
    nameFr: row.nameFr,
    durationMinutes: row.durationMinutes,
    price: { amountMinor: row.priceMinor, currency: row.currency },
    modes,
    mode: modes[0],
    active: row.isActive,
  });
}

const toSlot = (row: SlotRow): Slot => ({ doctorDbId: row.doctorId, clinicDbId: row.clinicId, startsAt: row.startsAt, endsAt: row.endsAt });

/** Each step of a visit: the states it may start from, the state it leads to, and when it happened. */
const STEPS = {
  confirm: { from: ['booked'], to: 'confirmed', at: 'confirmedAt' },
  checkIn: { from: ['booked', 'confirmed'], to: 'checked_in', at: 'checkedInAt' },
  startConsultation: { from: ['checked_in'], to: 'in_consultation', at: 'startedAt' },
  complete: { from: ['in_consultation'], to: 'completed', at: 'completedAt' },
  cancel: { from: ['booked', 'confirmed'], to: 'cancelled', at: 'cancelledAt' },
  markNoShow: { from: ['booked', 'confirmed'], to: 'no_show', at: undefined },
} as const satisfies Record<string, { from: DbStatus[]; to: DbStatus; at?: string }>;

export type Step = keyof typeof STEPS;

/** Who may take each step, besides nobody: the patient, the appointment's doctor, clinic staff by role. */
const ACTORS: Record<Step | 'reschedule', { patient: boolean; doctor: boolean; clinicRoles: Principal['role'][] }> = {
  confirm: { patient: false, doctor: true, clinicRoles: ['receptionist', 'admin'] },
  checkIn: { patient: false, doctor: false, clinicRoles: ['receptionist', 'nurse'] },
  startConsultation: { patient: false, doctor: true, clinicRoles: [] },
  complete: { patient: false, doctor: true, clinicRoles: [] },
  cancel: { patient: true, doctor: true, clinicRoles: ['receptionist', 'admin'] },
  markNoShow: { patient: false, doctor: true, clinicRoles: ['receptionist'] },
  reschedule: { patient: true, doctor: false, clinicRoles: ['receptionist', 'admin'] },
};

export interface SchedulingSettings {
  /** How long before its start an appointment may be checked in (CHECK_IN_WINDOW_MINUTES). */
  checkInWindowMinutes: number;
}

export const DEFAULT_SCHEDULING_SETTINGS: SchedulingSettings = { checkInWindowMinutes: 60 };

export class SchedulingService {
  constructor(
    private readonly repository: SchedulingRepository,
    private readonly videoRooms: VideoRooms,
    /** Called after a transaction that wrote outbox events commits (wakes the relay). */
    private readonly afterCommit: () => void = () => {},
    private readonly settings: SchedulingSettings = DEFAULT_SCHEDULING_SETTINGS,
  ) {}

  /** A step the clock does not allow yet, as a CONFLICT saying from when it is possible; null when it is. */
  private tooEarly(step: Step, row: AppointmentRow, now: Date): ConflictError | null {
    const start = row.startsAt.getTime();
    const opensAt =
      step === 'checkIn' ? new Date(start - this.settings.checkInWindowMinutes * 60_000)
        : step === 'complete' || step === 'markNoShow' ? row.startsAt
          : null;
    if (!opensAt || now >= opensAt) return null;
    const what = { checkIn: `Check-in opens ${this.settings.checkInWindowMinutes} minutes before the appointment's start`, complete: 'A visit can be completed only after the appointment\'s start', markNoShow: 'A patient can be marked as not having come only after the appointment\'s start' }[step as 'checkIn' | 'complete' | 'markNoShow'];
    return new ConflictError(`${what} (${opensAt.toISOString()}).`, [], { status: statusName(row.status), notBefore: opensAt.toISOString() });
  }

  /** What reminders need to know about an appointment (no health data). */
  private async appointmentEvent(context: RequestContext, topic: OutboxTopic<AppointmentEventPayload>, row: { id: string; patientId: string; startsAt: Date }): Promise<OutboxEventInput> {
    const patient = await context.loaders.patientById.load(row.patientId);
    return outboxEvent(topic, { appointmentId: row.id, patientId: row.patientId, startsAt: row.startsAt.toISOString(), language: patient?.preferredLanguage ?? 'fr', channel: patient ? reminderChannelOf(patient) : 'email' });
  }

  /** Bookable types: every clinic's, and a clinic's own when `clinicId` is given (else every clinic's own too). */
  async types(clinicGlobalId: string | null | undefined): Promise<AppointmentType[]> {
    const clinicId = clinicGlobalId ? idOf('Clinic', clinicGlobalId, ['clinicId']) : undefined;
    const rows = await this.repository.activeTypes();
    return rows.filter((row) => !clinicId || row.clinicId === null || row.clinicId === clinicId).map(toAppointmentType);
  }

  private async type(globalId: string, path: Array<string | number>): Promise<AppointmentTypeRow> {
    const [row] = await this.repository.typesByIds([idOf('AppointmentType', globalId, path)]);
    if (!row || !row.isActive) throw new BadUserInputError([{ path, message: 'is not an appointment type that can be booked' }]);
    return row;
  }

  async availableSlots(context: RequestContext, input: SlotSearchInput): Promise<Slot[]> {
    const { from, to } = input;
    if (!(to > from)) throw new BadUserInputError([{ path: ['input', 'to'], message: 'to must be after from' }]);
    if (to.getTime() - from.getTime() > MAX_SEARCH_DAYS * DAY) throw new BadUserInputError([{ path: ['input', 'to'], message: `the range may cover at most ${MAX_SEARCH_DAYS} days` }]);
    const chosen = [input.doctorId, input.specialty, input.near].filter((criterion) => criterion != null).length;
    if (chosen !== 1) throw new BadUserInputError([{ path: ['input'], message: 'give exactly one of doctorId, specialty (with clinicId) or near' }]);
    if (input.specialty && !input.clinicId) throw new BadUserInputError([{ path: ['input', 'clinicId'], message: 'clinicId is required with specialty' }]);
    const type = await this.type(input.appointmentTypeId, ['input', 'appointmentTypeId']);
    const { near } = input;
    const scope = await this.repository.searchScope({
      doctorId: input.doctorId ? idOf('Doctor', input.doctorId, ['input', 'doctorId']) : undefined,
      specialtyCode: input.specialty ?? undefined,
      clinicId: input.clinicId ? idOf('Clinic', input.clinicId, ['input', 'clinicId']) : undefined,
      near: near ? { latitude: near.latitude, longitude: near.longitude, radiusKm: near.radiusKm } : undefined,
    });
    // A clinic's own type is booked at that clinic only.
    const clinicIds = type.clinicId ? (scope.clinicIds ?? [type.clinicId]).filter((id) => id === type.clinicId) : scope.clinicIds;
    const rows = await this.repository.freeSlots({ ...scope, clinicIds, from, to, durationMinutes: type.durationMinutes });
    return rows.map(toSlot);
  }

  /** The patient a booking is for: the caller, or (front desk) a patient of the clinic. */
  private async bookingPatient(context: RequestContext, principal: Principal, input: BookAppointmentInput, clinicId: string): Promise<string> {
    if (!input.patientId) {
      if (principal.patientId) return principal.patientId;
      throw new BadUserInputError([{ path: ['input', 'patientId'], message: 'patientId is required when booking for someone else' }]);
    }
    const patientId = idOf('Patient', input.patientId, ['input', 'patientId']);
    if (patientId === principal.patientId) return patientId;
    const staffOfClinic = ['receptionist', 'admin', 'nurse', 'doctor'].includes(principal.role) && principal.clinicIds.includes(clinicId);
    const ties = await context.loaders.tiesToPatient.load(patientId);
    if (!staffOfClinic || !ties.clinicCare) throw new ForbiddenError('You can book for patients of your clinic only.');
    return patientId;
  }

  async book(context: RequestContext, input: BookAppointmentInput): Promise<Appointment> {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    const doctorId = idOf('Doctor', input.doctorId, ['input', 'doctorId']);
    const clinicId = idOf('Clinic', input.clinicId, ['input', 'clinicId']);
    const patientId = await this.bookingPatient(context, principal, input, clinicId);

    if (input.idempotencyKey) {
      const earlier = await this.repository.findByIdempotencyKey(principal.userId, input.idempotencyKey);
      if (earlier) return this.sameBooking(earlier, { doctorId, clinicId, patientId, startsAt: input.startsAt });
    }
    const type = await this.type(input.appointmentTypeId, ['input', 'appointmentTypeId']);
    if (type.clinicId && type.clinicId !== clinicId) throw new BadUserInputError([{ path: ['input', 'appointmentTypeId'], message: 'is not offered at this clinic' }]);
    const mode = input.mode ?? (type.modes[0] as ConsultationMode);
    if (!(type.modes as string[]).includes(mode)) throw new BadUserInputError([{ path: ['input', 'mode'], message: 'must be one of the appointment type\'s modes' }]);
    const startsAt = input.startsAt;
    const endsAt = await this.slotEnd(doctorId, clinicId, startsAt, type, ['input', 'startsAt']);
    try {
      const id = randomUUID();
      const reminders = await this.appointmentEvent(context, appointmentBooked, { id, patientId, startsAt });
      const meetingUrl = mode === ConsultationMode.VIDEO ? (await this.videoRooms.create({ id, startsAt, endsAt })).url : null;
      const row = await context.audit.around(patientId, 'Appointment', ['doctorId', 'clinicId', 'appointmentTypeId', 'startsAt', 'mode'], 'create', 'normal', () =>
        this.repository.createAppointment({
          id, patientId, doctorId, clinicId, appointmentTypeId: type.id, startsAt, endsAt, mode, meetingUrl, bookedBy: principal.userId, idempotencyKey: input.idempotencyKey ?? null,
        }, [reminders]),
      );
      this.afterCommit();
      context.loaders.tiesToPatient.clear(patientId);
      return toAppointment(row);
    } catch (error) {
      const outcome = await this.bookingFailure(error, { principal, input, doctorId, clinicId, patientId, startsAt, endsAt });
      if ('appointment' in outcome) return outcome.appointment;
      throw outcome.error;
    }
  }

  /** When a slot starting at `startsAt` ends; BAD_USER_INPUT at `path` unless it is a future slot in the doctor's hours at the clinic. */
  private async slotEnd(doctorId: string, clinicId: string, startsAt: Date, type: AppointmentTypeRow, path: Array<string | number>): Promise<Date> {
    const endsAt = new Date(startsAt.getTime() + type.durationMinutes * 60_000);
    if (startsAt.getTime() <= Date.now()) throw new BadUserInputError([{ path, message: 'startsAt must be in the future' }]);
    // Booked times count as slots here: a clash is for the exclusion constraints to report, with what it clashes with.
    const [slot] = await this.repository.slots({ doctorIds: [doctorId], clinicIds: [clinicId], from: startsAt, to: endsAt, durationMinutes: type.durationMinutes, includeBooked: true, limit: 1 });
    if (!slot || slot.startsAt.getTime() !== startsAt.getTime()) throw new BadUserInputError([{ path, message: 'startsAt is not a slot in the doctor\'s hours at this clinic' }]);
    return endsAt;
  }

  /** The CONFLICT for a double booking, with the appointment it clashes with (when it is still there). */
  private async clashConflict(error: DoubleBooking, appointment: { doctorId: string; patientId: string; startsAt: Date; endsAt: Date }): Promise<ConflictError> {
    const { clash } = error;
    const other = await this.repository.findClash(clash, clash === 'doctor' ? appointment.doctorId : appointment.patientId, appointment.startsAt, appointment.endsAt);
    const window = other ? { startsAt: other.startsAt.toISOString(), endsAt: other.endsAt.toISOString() } : null;
    const who = clash === 'doctor' ? 'The doctor' : 'The patient';
    return new ConflictError(`${who} already has an appointment at that time${window ? ` (${window.startsAt} to ${window.endsAt})` : ''}.`, [], { clashesWith: window, clash });
  }

  /** A retried booking: the same appointment if it is the same request, else a CONFLICT. */
  private sameBooking(earlier: AppointmentRow, request: { doctorId: string; clinicId: string; patientId: string; startsAt: Date }): Appointment {
    const same = earlier.doctorId === request.doctorId && earlier.clinicId === request.clinicId && earlier.patientId === request.patientId && earlier.startsAt.getTime() === request.startsAt.getTime();
    if (!same) throw new ConflictError('This idempotency key was used for a different booking.');
    return toAppointment(earlier);
  }

  /** What a failed insert means: the earlier booking of a parallel retry, or the error to give. */
  private async bookingFailure(error: unknown, booking: { principal: Principal; input: BookAppointmentInput; doctorId: string; clinicId: string; patientId: string; startsAt: Date; endsAt: Date }): Promise<{ appointment: Appointment } | { error: unknown }> {
    // A parallel retry with the same key got there first (its insert clashes on the key, or on the
    // very slot it took): answer with what it created.
    if (booking.input.idempotencyKey && (error instanceof DoubleBooking || error instanceof UniqueViolation)) {
      const earlier = await this.repository.findByIdempotencyKey(booking.principal.userId, booking.input.idempotencyKey);
      if (earlier) return { appointment: this.sameBooking(earlier, booking) };
    }
    return { error: error instanceof DoubleBooking ? await this.clashConflict(error, booking) : error };
  }

  /** The appointment, if the caller may act on it as `step` (FORBIDDEN otherwise, NOT_FOUND when unknown). */
  private async authorised(context: RequestContext, appointmentId: string, step: Step | 'reschedule'): Promise<AppointmentRow> {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    const [row] = await this.repository.appointmentsByIds([idOf('Appointment', appointmentId, ['appointmentId'])]);
    if (!row) throw new NotFoundError('Appointment');
    const actors = ACTORS[step];
    const doctor = await context.loaders.doctorById.load(row.doctorId);
    const allowed =
      (actors.patient && principal.patientId === row.patientId) ||
      (actors.doctor && principal.role === 'doctor' && doctor?.userId === principal.userId) ||
      (actors.clinicRoles.includes(principal.role) && principal.clinicIds.includes(row.clinicId));
    if (!allowed) {
      const involved = principal.patientId === row.patientId || principal.clinicIds.includes(row.clinicId);
      throw involved ? new ForbiddenError('Your role cannot take this step.') : new NotFoundError('Appointment');
    }
    return row;
  }

  async step(context: RequestContext, appointmentId: string, step: Step, options: { reason?: string; encounter?: EncounterInput } = {}): Promise<Appointment> {
    const reason = options.reason?.trim();
    if (step === 'cancel' && !reason) throw new BadUserInputError([{ path: ['reason'], message: 'give the reason for cancelling' }]);
    if (reason && reason.length > 500) throw new BadUserInputError([{ path: ['reason'], message: 'at most 500 characters' }]);
    const row = await this.authorised(context, appointmentId, step);
    const { from, to, at } = STEPS[step];
    const now = new Date();
    const data = { status: to, ...(at ? { [at]: now } : {}), ...(step === 'cancel' ? { cancellationReason: reason } : {}) };
    const events: OutboxEventInput[] = [];
    if (step === 'cancel') events.push(await this.appointmentEvent(context, appointmentCancelled, row));
    if (step === 'complete' && options.encounter) {
      const keys = { appointmentId: row.id, patientId: row.patientId, doctorId: row.doctorId, clinicId: row.clinicId };
      events.push(outboxEvent(encounterCompleted, { keys, fields: completionFields(options.encounter, context.principal!.userId, now) }));
    }
    const audited = step === 'complete' ? ['status', 'encounter'] : ['status'];
    // Refusals are thrown inside the audited work, so that the audit records them as failures.
    const moved = await context.audit.around(row.patientId, 'Appointment', audited, 'update', 'normal', async () => {
      const early = this.tooEarly(step, row, now);
      if (early && (from as readonly DbStatus[]).includes(row.status)) throw early;
      const changed = await this.repository.transition(row.id, [...from], data, events);
      if (!changed) {
        const [current] = await this.repository.appointmentsByIds([row.id]);
        const status = statusName(current?.status ?? row.status);
        throw new ConflictError(`An appointment that is ${status} cannot be moved to ${statusName(to)}.`, [], { status });
      }
      return changed;
    });
    if (events.length > 0) this.afterCommit();
    return toAppointment(moved);
  }

  async reschedule(context: RequestContext, appointmentId: string, startsAt: Date): Promise<Appointment> {
    const row = await this.authorised(context, appointmentId, 'reschedule');
    const [type] = await this.repository.typesByIds([row.appointmentTypeId]);
    const endsAt = await this.slotEnd(row.doctorId, row.clinicId, startsAt, type, ['startsAt']);
    try {
      const moved = await context.audit.around(row.patientId, 'Appointment', ['startsAt', 'status'], 'update', 'normal', async () => {
        if (!['booked', 'confirmed'].includes(row.status)) throw new ConflictError(`An appointment that is ${statusName(row.status)} cannot be rescheduled.`, [], { status: statusName(row.status) });
        const changed = await this.repository.transition(row.id, ['booked', 'confirmed'], { startsAt, endsAt, status: 'booked', confirmedAt: null }, [await this.appointmentEvent(context, appointmentRescheduled, { ...row, startsAt })]);
        if (!changed) throw new ConflictError('The appointment changed meanwhile; look at it again.');
        return changed;
      });
      this.afterCommit();
      return toAppointment(moved);
    } catch (error) {
      throw error instanceof DoubleBooking ? await this.clashConflict(error, { ...row, startsAt, endsAt }) : error;
    }
  }

  /** How to join a VIDEO or PHONE appointment that is still ahead or under way (null otherwise). */
  async joinInfo(context: RequestContext, appointment: Appointment): Promise<JoinInfo | null> {
    if (OVER.includes(appointment.status)) return null;
    if (appointment.mode === ConsultationMode.VIDEO) return { mode: appointment.mode, url: appointment.meetingUrl, phone: null };
    if (appointment.mode !== ConsultationMode.PHONE) return null;
    const clinic = await context.loaders.clinicById.load(appointment.clinicDbId);
    return { mode: appointment.mode, url: null, phone: clinic?.phone ?? null };
  }

  /** A doctor's appointments on a local date of the clinic (the doctor's first clinic when not given). */
  async doctorSchedule(context: RequestContext, doctorGlobalId: string, date: string, clinicGlobalId: string | null | undefined, first: number, after: string | null | undefined): Promise<Page<Appointment>> {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    const doctorId = idOf('Doctor', doctorGlobalId, ['doctorId']);
    const doctor = await context.loaders.doctorById.load(doctorId);
    if (!doctor) throw new NotFoundError('Doctor');
    const doctorClinicIds = await context.loaders.clinicIdsByDoctorUserId.load(doctor.userId); // in the order they joined
    const clinicId = clinicGlobalId ? idOf('Clinic', clinicGlobalId, ['clinicId']) : doctorClinicIds[0];
    const sees = doctor.userId === principal.userId || (principal.role !== 'patient' && doctorClinicIds.some((id) => principal.clinicIds.includes(id)));
    if (!sees || !clinicId) throw new ForbiddenError('Schedules are for the doctor and the staff of their clinics.');
    const timeZone = (await context.loaders.clinicById.load(clinicId))?.timeZone ?? 'Africa/Douala';
    const { from, to } = await this.repository.dayBounds(date, timeZone);
    return this.page({ doctorId, startsAt: { gte: from, lt: to } }, 'asc', first, after);
  }

  /**
   * "My" appointments, by role: a patient's own; a doctor's as the doctor (at the clinics they
   * work in now); every other staff member's clinics' appointments.
   */
  async myAppointments(context: RequestContext, upcoming: boolean, first: number, after: string | null | undefined): Promise<Page<Appointment>> {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    if (principal.role === 'patient' && !principal.patientId) throw new ForbiddenError();
    const clinicId = { in: [...principal.clinicIds] };
    const mine: Prisma.AppointmentWhereInput =
      principal.role === 'patient' ? { patientId: principal.patientId } : principal.role === 'doctor' ? { doctor: { is: { userId: principal.userId } }, clinicId } : { clinicId };
    const now = new Date();
    return this.page({ ...mine, ...(upcoming ? { endsAt: { gt: now } } : { endsAt: { lte: now } }) }, upcoming ? 'asc' : 'desc', first, after);
  }

  async clinicAppointments(context: RequestContext, clinicGlobalId: string, from: Date, to: Date, status: AppointmentStatus | null | undefined, first: number, after: string | null | undefined): Promise<Page<Appointment>> {
    const clinicId = idOf('Clinic', clinicGlobalId, ['clinicId']);
    const principal = context.principal;
    if (!principal || principal.role === 'patient' || !principal.clinicIds.includes(clinicId)) throw new ForbiddenError('This is for the clinic\'s staff.');
    if (!(to > from) || to.getTime() - from.getTime() > MAX_SEARCH_DAYS * DAY) throw new BadUserInputError([{ path: ['to'], message: `to must be after from, within ${MAX_SEARCH_DAYS} days` }]);
    return this.page({ clinicId, startsAt: { gte: from, lt: to }, ...(status ? { status } : {}) }, 'asc', first, after);
  }

  private async page(where: Parameters<SchedulingRepository['page']>[0], direction: 'asc' | 'desc', first: number, after: string | null | undefined): Promise<Page<Appointment>> {
    const key = after ? decodeCursor(after, APPOINTMENT_CURSOR) : undefined;
    const rows = await this.repository.page(where, direction, key, first + 1);
    return toPage(rows, first, Boolean(after), (row) => encodeCursor([row.startsAt.toISOString(), row.id]), toAppointment, () => this.repository.count(where));
  }
}
