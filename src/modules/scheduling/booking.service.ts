// Booking a free slot: for oneself, or at the front desk for a patient of the clinic. Idempotent
// with a key (a retry gets the same appointment); PostgreSQL refuses double bookings.
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../auth/principal.js';
import type { RequestContext } from '../../context/context.js';
import { BadUserInputError, ConflictError, ForbiddenError, UnauthenticatedError } from '../../errors/errors.js';
import { idOf } from '../../graphql/global-id.js';
import { UniqueViolation } from '../../platform/prisma-errors.js';
import type { VideoRooms } from '../../platform/video-rooms.js';
import { appointmentBooked } from '../notifications/index.js';
import { appointmentEvent } from './appointment-events.js';
import { clashConflict } from './double-booking.js';
import { toAppointment } from './scheduling.mapper.js';
import { DoubleBooking, type AppointmentRow, type AppointmentsRepository } from './appointments.repository.js';
import { ConsultationMode, type Appointment, type BookAppointmentInput } from './scheduling.types.js';
import type { SlotsService } from './slots.service.js';

/** What a booking asks for, once its ids are read. */
interface Booking {
  doctorId: string;
  clinicId: string;
  patientId: string;
  startsAt: Date;
}

export class BookingService {
  constructor(
    private readonly repository: AppointmentsRepository,
    private readonly slots: SlotsService,
    private readonly videoRooms: VideoRooms,
    /** Called after a transaction that wrote outbox events commits (wakes the relay). */
    private readonly afterCommit: () => void,
  ) {}

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
    const type = await this.slots.bookableType(input.appointmentTypeId, ['input', 'appointmentTypeId']);
    if (type.clinicId && type.clinicId !== clinicId)
      throw new BadUserInputError([{ path: ['input', 'appointmentTypeId'], message: 'is not offered at this clinic' }]);
    const mode = input.mode ?? (type.modes[0] as ConsultationMode);
    if (!(type.modes as string[]).includes(mode))
      throw new BadUserInputError([{ path: ['input', 'mode'], message: "must be one of the appointment type's modes" }]);
    const startsAt = input.startsAt;
    const endsAt = await this.slots.slotEnd(doctorId, clinicId, startsAt, type, ['input', 'startsAt']);
    try {
      const id = randomUUID();
      const reminders = await appointmentEvent(context, appointmentBooked, { id, patientId, startsAt });
      const meetingUrl = mode === ConsultationMode.VIDEO ? (await this.videoRooms.create({ id, startsAt, endsAt })).url : null;
      const booked = {
        patientId,
        resource: 'Appointment',
        fields: ['doctorId', 'clinicId', 'appointmentTypeId', 'startsAt', 'mode'],
        action: 'create',
        // Who may book for whom is this module's rule (bookingPatient); a booking is never break-the-glass.
        purpose: 'normal',
      } as const;
      const row = await context.patients.write(booked, () =>
        this.repository.create(
          {
            id,
            patientId,
            doctorId,
            clinicId,
            appointmentTypeId: type.id,
            startsAt,
            endsAt,
            mode,
            meetingUrl,
            bookedBy: principal.userId,
            idempotencyKey: input.idempotencyKey ?? null,
          },
          [reminders],
        ),
      );
      this.afterCommit();
      context.patients.forget(patientId);
      return toAppointment(row);
    } catch (error) {
      const outcome = await this.bookingFailure(error, { principal, input, doctorId, clinicId, patientId, startsAt, endsAt });
      if ('appointment' in outcome) return outcome.appointment;
      throw outcome.error;
    }
  }

  /** The patient a booking is for: the caller, or (front desk) a patient of the clinic. */
  private async bookingPatient(
    context: RequestContext,
    principal: Principal,
    input: BookAppointmentInput,
    clinicId: string,
  ): Promise<string> {
    if (!input.patientId) {
      if (principal.patientId) return principal.patientId;
      throw new BadUserInputError([{ path: ['input', 'patientId'], message: 'patientId is required when booking for someone else' }]);
    }
    const patientId = idOf('Patient', input.patientId, ['input', 'patientId']);
    if (patientId === principal.patientId) return patientId;
    const staffOfClinic = ['receptionist', 'admin', 'nurse', 'doctor'].includes(principal.role) && principal.clinicIds.includes(clinicId);
    if (!staffOfClinic || !(await context.patients.ties(patientId)).clinicCare)
      throw new ForbiddenError('You can book for patients of your clinic only.');
    return patientId;
  }

  /** A retried booking: the same appointment if it is the same request, else a CONFLICT. */
  private sameBooking(earlier: AppointmentRow, request: Booking): Appointment {
    const same =
      earlier.doctorId === request.doctorId &&
      earlier.clinicId === request.clinicId &&
      earlier.patientId === request.patientId &&
      earlier.startsAt.getTime() === request.startsAt.getTime();
    if (!same) throw new ConflictError('This idempotency key was used for a different booking.');
    return toAppointment(earlier);
  }

  /** What a failed insert means: the earlier booking of a parallel retry, or the error to give. */
  private async bookingFailure(
    error: unknown,
    booking: Booking & { principal: Principal; input: BookAppointmentInput; endsAt: Date },
  ): Promise<{ appointment: Appointment } | { error: unknown }> {
    // A parallel retry with the same key got there first (its insert clashes on the key, or on the
    // very slot it took): answer with what it created.
    if (booking.input.idempotencyKey && (error instanceof DoubleBooking || error instanceof UniqueViolation)) {
      const earlier = await this.repository.findByIdempotencyKey(booking.principal.userId, booking.input.idempotencyKey);
      if (earlier) return { appointment: this.sameBooking(earlier, booking) };
    }
    return { error: error instanceof DoubleBooking ? await clashConflict(this.repository, error, booking) : error };
  }
}
