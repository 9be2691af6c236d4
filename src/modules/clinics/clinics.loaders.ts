// Per-request batching of clinic lookups.
import DataLoader from 'dataloader';
import { byKey } from '../../context/batch.js';
import type { Clinic } from './clinic.types.js';
import { toClinic } from './clinics.mapper.js';
import type { ClinicsRepository } from './clinics.repository.js';

export function createClinicLoaders(repository: ClinicsRepository) {
  return {
    clinicById: new DataLoader<string, Clinic | null>(async (ids) => byKey(ids, (await repository.findByIds(ids)).map(toClinic), (clinic) => clinic.dbId)),
  };
}

export type ClinicLoaders = ReturnType<typeof createClinicLoaders>;
