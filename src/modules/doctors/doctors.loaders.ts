// Per-request batching: doctors by id, specialties by doctor, clinic ids by doctor's user.
import DataLoader from 'dataloader';
import { byKey } from '../../context/batch.js';
import type { Doctor, Specialty } from './doctor.types.js';
import { toDoctor, toSpecialty } from './doctors.mapper.js';
import type { DoctorsRepository } from './doctors.repository.js';

export function createDoctorLoaders(repository: DoctorsRepository) {
  return {
    doctorById: new DataLoader<string, Doctor | null>(async (ids) => byKey(ids, (await repository.findByIds(ids)).map(toDoctor), (doctor) => doctor.dbId)),
    specialtiesByDoctorId: new DataLoader<string, Specialty[]>(async (ids) =>
      byKey(ids, await repository.specialtiesOf(ids), (row) => row.doctorId).map((row) => (row?.specialties ?? []).map(toSpecialty)),
    ),
    clinicIdsByDoctorUserId: new DataLoader<string, string[]>(async (userIds) =>
      byKey(userIds, await repository.clinicMemberships(userIds), (row) => row.userId).map((row) => row?.clinicIds ?? []),
    ),
  };
}
