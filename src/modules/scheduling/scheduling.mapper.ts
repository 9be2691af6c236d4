// Rows of the scheduling store as the graph shows them.
import { toGlobalId } from '../../graphql/global-id.js';
import type { AppointmentTypeRow } from './appointment-types.repository.js';
import type { AppointmentRow } from './appointments.repository.js';
import type { SlotRow } from './slots.repository.js';
import {
  AppointmentType,
  statusName,
  type Appointment,
  type AppointmentStatus,
  type ConsultationMode,
  type Slot,
} from './scheduling.types.js';

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

export const toSlot = (row: SlotRow): Slot => ({
  doctorDbId: row.doctorId,
  clinicDbId: row.clinicId,
  startsAt: row.startsAt,
  endsAt: row.endsAt,
});
