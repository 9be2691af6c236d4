// Per-request batching: doctors by id, specialties by doctor, clinic ids by doctor's user.
import DataLoader from 'dataloader';
import { byKey, groupByKey } from '../../context/batch.js';
import type { Doctor, Specialty } from './doctor.types.js';
import { toDoctor, toSpecialty } from './doctors.mapper.js';
import type { DoctorsRepository } from './doctors.repository.js';

export function createDoctorLoaders(repository: DoctorsRepository) {
  return {
    doctorById: new DataLoader<string, Doctor | null>(async (ids) => byKey(ids, (await repository.findByIds(ids)).map(toDoctor), (doctor) => doctor.dbId)),
    specialtiesByDoctorId: new DataLoader<string, Specialty[]>(async (ids) =>
      groupByKey(ids, await repository.specialtiesOf(ids), (row) => row.doctorId).map((rows) => rows.map((row) => toSpecialty(row.specialty))),
    ),
    clinicIdsByDoctorUserId: new DataLoader<string, string[]>(async (userIds) =>
      groupByKey(userIds, await repository.clinicMemberships(userIds), (row) => row.userId).map((rows) => rows.map((row) => row.clinicId)),
    ),
  };
}
