// Per-request batching of appointment types and appointments.
import DataLoader from 'dataloader';
import { byKey } from '../../context/batch.js';
import type { SchedulingRepository } from './scheduling.repository.js';
import { toAppointment, toAppointmentType } from './scheduling.service.js';
import type { Appointment, AppointmentType } from './scheduling.types.js';

export function createSchedulingLoaders(repository: SchedulingRepository) {
  return {
    appointmentTypeById: new DataLoader<string, AppointmentType | null>(async (ids) => byKey(ids, (await repository.typesByIds(ids)).map(toAppointmentType), (type) => type.dbId)),
    appointmentById: new DataLoader<string, Appointment | null>(async (ids) => byKey(ids, (await repository.appointmentsByIds(ids)).map(toAppointment), (appointment) => appointment.dbId)),
  };
}

export type SchedulingLoaders = ReturnType<typeof createSchedulingLoaders>;
