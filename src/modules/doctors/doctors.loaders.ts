// Per-request batching: doctors by id, specialties by doctor, clinic ids by doctor's user, and each
// clinic's page of doctors (one statement for every clinic a query lists).
import DataLoader from 'dataloader';
import { byKey } from '../../context/batch.js';
import type { Doctor, Specialty } from './doctor.types.js';
import { toDoctor, toSpecialty } from './doctors.mapper.js';
import type { ClinicDoctorsQuery, DoctorsRepository } from './doctors.repository.js';

export function createDoctorLoaders(repository: DoctorsRepository) {
  return {
    doctorById: new DataLoader<string, Doctor | null>(async (ids) =>
      byKey(ids, (await repository.findByIds(ids)).map(toDoctor), (doctor) => doctor.dbId),
    ),
    specialtyById: new DataLoader<string, Specialty | null>(async (ids) =>
      byKey(ids, (await repository.specialtiesByIds(ids)).map(toSpecialty), (specialty) => specialty.dbId),
    ),
    specialtiesByDoctorId: new DataLoader<string, Specialty[]>(async (ids) =>
      byKey(ids, await repository.specialtiesOf(ids), (row) => row.doctorId).map((row) => (row?.specialties ?? []).map(toSpecialty)),
    ),
    clinicIdsByDoctorUserId: new DataLoader<string, string[]>(async (userIds) =>
      byKey(userIds, await repository.clinicMemberships(userIds), (row) => row.userId).map((row) => row?.clinicIds ?? []),
    ),
    doctorIdsByClinicPage: new DataLoader<ClinicDoctorsQuery, string[], string>(
      async (queries) => (await repository.clinicDoctorPages(queries)).map((page) => page.doctorIds),
      { cacheKeyFn: (query) => JSON.stringify([query.clinicId, query.after ?? null, query.take]) },
    ),
    doctorCountByClinicId: new DataLoader<string, number>(async (ids) =>
      byKey(ids, await repository.clinicDoctorCounts(ids), (row) => row.clinicId).map((row) => row?.count ?? 0),
    ),
  };
}
