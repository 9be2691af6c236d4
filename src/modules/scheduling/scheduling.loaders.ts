// Per-request batching of appointment types, appointments and doctors' hours.
import DataLoader from 'dataloader';
import { byKey, groupByKey } from '../../context/batch.js';
import type { ExceptionRow, WindowRow } from './availability.repository.js';
import type { SchedulingRepository } from './scheduling.repository.js';
import { toAppointment, toAppointmentType } from './scheduling.mapper.js';
import type { Appointment, AppointmentType } from './scheduling.types.js';

export function createSchedulingLoaders(repository: SchedulingRepository) {
  return {
    appointmentTypeById: new DataLoader<string, AppointmentType | null>(async (ids) =>
      byKey(ids, (await repository.appointmentTypes.byIds(ids)).map(toAppointmentType), (type) => type.dbId),
    ),
    appointmentById: new DataLoader<string, Appointment | null>(async (ids) =>
      byKey(ids, (await repository.appointments.byIds(ids)).map(toAppointment), (appointment) => appointment.dbId),
    ),
    weeklyWindowsByDoctorId: new DataLoader<string, WindowRow[]>(async (ids) =>
      groupByKey(ids, await repository.availability.weeklyWindows(ids), (row) => row.doctorId),
    ),
    // Rarely more than one doctor per request: one query per (doctor, range), not worth a batch statement.
    exceptionsByDoctorRange: new DataLoader<{ doctorId: string; from: Date; to: Date }, ExceptionRow[], string>(
      (keys) => Promise.all(keys.map((key) => repository.availability.exceptions(key.doctorId, key.from, key.to))),
      { cacheKeyFn: (key) => `${key.doctorId}|${key.from.toISOString()}|${key.to.toISOString()}` },
    ),
  };
}

export type SchedulingLoaders = ReturnType<typeof createSchedulingLoaders>;
