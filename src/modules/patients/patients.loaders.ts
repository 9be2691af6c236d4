// Per-request batching of patient lookups.
import DataLoader from 'dataloader';
import { byKey } from '../../context/batch.js';
import type { Patient } from './patient.types.js';
import { toPatient } from './patients.mapper.js';
import type { PatientsRepository } from './patients.repository.js';

export function createPatientLoaders(repository: PatientsRepository) {
  return {
    patientById: new DataLoader<string, Patient | null>(async (ids) =>
      byKey(ids, (await repository.findByIds(ids)).map(toPatient), (patient) => patient.dbId),
    ),
  };
}
