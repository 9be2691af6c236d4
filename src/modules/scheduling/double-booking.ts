// A booking or a new time that PostgreSQL refused because it overlaps another appointment.
import { ConflictError } from '../../errors/errors.js';
import type { AppointmentsRepository, DoubleBooking } from './appointments.repository.js';

/** The CONFLICT for a double booking, with the appointment it clashes with (when it is still there). */
export async function clashConflict(
  repository: AppointmentsRepository,
  error: DoubleBooking,
  appointment: { doctorId: string; patientId: string; startsAt: Date; endsAt: Date },
): Promise<ConflictError> {
  const { clash } = error;
  const other = await repository.findClash(
    clash,
    clash === 'doctor' ? appointment.doctorId : appointment.patientId,
    appointment.startsAt,
    appointment.endsAt,
  );
  const window = other ? { startsAt: other.startsAt.toISOString(), endsAt: other.endsAt.toISOString() } : null;
  const who = clash === 'doctor' ? 'The doctor' : 'The patient';
  return new ConflictError(
    `${who} already has an appointment at that time${window ? ` (${window.startsAt} to ${window.endsAt})` : ''}.`,
    [],
    { clashesWith: window, clash },
  );
}
