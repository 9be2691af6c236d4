// The visit's state machine: confirm, check in, start, complete (with the encounter), cancel, mark
// as a no-show, and move to another time. Who may take each step is checked here, against the
// appointment itself; the schema's rules only require a signed-in caller.
import type { Principal } from '../../auth/principal.js';
import type { RequestContext } from '../../context/context.js';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../errors/errors.js';
import { idOf } from '../../graphql/global-id.js';
import type { AppointmentStatus as DbStatus } from '../../generated/prisma/client.js';
import { completionFields, encounterCompleted, type EncounterInput } from '../encounters/index.js';
import { appointmentCancelled, appointmentRescheduled } from '../notifications/index.js';
import { outboxEvent, type OutboxEventInput } from '../../platform/outbox-topics.js';
import { appointmentEvent } from './appointment-events.js';
import { clashConflict } from './double-booking.js';
import { toAppointment } from './scheduling.mapper.js';
import type { AppointmentTypesRepository } from './appointment-types.repository.js';
import { DoubleBooking, type AppointmentChange, type AppointmentRow, type AppointmentsRepository } from './appointments.repository.js';
import { statusName, type Appointment } from './scheduling.types.js';
import type { SlotsService } from './slots.service.js';

/** Each step of a visit: the states it may start from, the state it leads to, and when it happened. */
const STEPS = {
  confirm: { from: ['booked'], to: 'confirmed', at: 'confirmedAt' },
  checkIn: { from: ['booked', 'confirmed'], to: 'checked_in', at: 'checkedInAt' },
  startConsultation: { from: ['checked_in'], to: 'in_consultation', at: 'startedAt' },
  complete: { from: ['in_consultation'], to: 'completed', at: 'completedAt' },
  cancel: { from: ['booked', 'confirmed'], to: 'cancelled', at: 'cancelledAt' },
  markNoShow: { from: ['booked', 'confirmed'], to: 'no_show', at: undefined },
} as const satisfies Record<string, { from: DbStatus[]; to: DbStatus; at?: keyof AppointmentChange }>;

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

export class AppointmentStepsService {
  constructor(
    private readonly repository: AppointmentsRepository,
    private readonly types: AppointmentTypesRepository,
    private readonly slots: SlotsService,
    /** Called after a transaction that wrote outbox events commits (wakes the relay). */
    private readonly afterCommit: () => void,
    private readonly settings: SchedulingSettings,
  ) {}

  async step(
    context: RequestContext,
    appointmentId: string,
    step: Step,
    options: { reason?: string; encounter?: EncounterInput } = {},
  ): Promise<Appointment> {
    const reason = options.reason?.trim();
    if (step === 'cancel' && !reason) throw new BadUserInputError([{ path: ['reason'], message: 'give the reason for cancelling' }]);
    if (reason && reason.length > 500) throw new BadUserInputError([{ path: ['reason'], message: 'at most 500 characters' }]);
    const row = await this.authorised(context, appointmentId, step);
    const { from, to, at } = STEPS[step];
    const now = new Date();
    const change: AppointmentChange = {
      status: to,
      ...(at ? { [at]: now } : {}),
      ...(step === 'cancel' ? { cancellationReason: reason } : {}),
    };
    const events: OutboxEventInput[] = [];
    if (step === 'cancel') events.push(await appointmentEvent(context, appointmentCancelled, row));
    if (step === 'complete' && options.encounter) {
      const keys = { appointmentId: row.id, patientId: row.patientId, doctorId: row.doctorId, clinicId: row.clinicId };
      events.push(outboxEvent(encounterCompleted, { keys, fields: completionFields(options.encounter, context.principal!.userId, now) }));
    }
    const audited = step === 'complete' ? ['status', 'encounter'] : ['status'];
    // Refusals are thrown inside the audited work, so that the audit records them as failures.
    const moved = await context.patients.write(
      // The module's own rule decided (authorised, above); the purpose is the visit's, not break-the-glass.
      { patientId: row.patientId, resource: 'Appointment', fields: audited, action: 'update', purpose: 'normal' },
      async () => {
        const early = this.tooEarly(step, row, now);
        if (early && (from as readonly DbStatus[]).includes(row.status)) throw early;
        const changed = await this.repository.transition(row.id, [...from], change, events);
        if (!changed) {
          const [current] = await this.repository.byIds([row.id]);
          const status = statusName(current?.status ?? row.status);
          throw new ConflictError(`An appointment that is ${status} cannot be moved to ${statusName(to)}.`, [], { status });
        }
        return changed;
      },
    );
    if (events.length > 0) this.afterCommit();
    return toAppointment(moved);
  }

  async reschedule(context: RequestContext, appointmentId: string, startsAt: Date): Promise<Appointment> {
    const row = await this.authorised(context, appointmentId, 'reschedule');
    const [type] = await this.types.byIds([row.appointmentTypeId]);
    const endsAt = await this.slots.slotEnd(row.doctorId, row.clinicId, startsAt, type, ['startsAt']);
    try {
      const moved = await context.patients.write(
        { patientId: row.patientId, resource: 'Appointment', fields: ['startsAt', 'status'], action: 'update', purpose: 'normal' },
        async () => {
          if (!['booked', 'confirmed'].includes(row.status))
            throw new ConflictError(`An appointment that is ${statusName(row.status)} cannot be rescheduled.`, [], {
              status: statusName(row.status),
            });
          const changed = await this.repository.transition(
            row.id,
            ['booked', 'confirmed'],
            { startsAt, endsAt, status: 'booked', confirmedAt: null },
            [await appointmentEvent(context, appointmentRescheduled, { ...row, startsAt })],
          );
          if (!changed) throw new ConflictError('The appointment changed meanwhile; look at it again.');
          return changed;
        },
      );
      this.afterCommit();
      return toAppointment(moved);
    } catch (error) {
      throw error instanceof DoubleBooking ? await clashConflict(this.repository, error, { ...row, startsAt, endsAt }) : error;
    }
  }

  /** The appointment, if the caller may act on it as `step` (FORBIDDEN otherwise, NOT_FOUND when unknown). */
  private async authorised(context: RequestContext, appointmentId: string, step: Step | 'reschedule'): Promise<AppointmentRow> {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    const [row] = await this.repository.byIds([idOf('Appointment', appointmentId, ['appointmentId'])]);
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

  /** A step the clock does not allow yet, as a CONFLICT saying from when it is possible; null when it is. */
  private tooEarly(step: Step, row: AppointmentRow, now: Date): ConflictError | null {
    const start = row.startsAt.getTime();
    const opensAt =
      step === 'checkIn'
        ? new Date(start - this.settings.checkInWindowMinutes * 60_000)
        : step === 'complete' || step === 'markNoShow'
          ? row.startsAt
          : null;
    if (!opensAt || now >= opensAt) return null;
    const what = {
      checkIn: `Check-in opens ${this.settings.checkInWindowMinutes} minutes before the appointment's start`,
      complete: "A visit can be completed only after the appointment's start",
      markNoShow: "A patient can be marked as not having come only after the appointment's start",
    }[step as 'checkIn' | 'complete' | 'markNoShow'];
    return new ConflictError(`${what} (${opensAt.toISOString()}).`, [], {
      status: statusName(row.status),
      notBefore: opensAt.toISOString(),
    });
  }
}
