// Per-request batching of clinic lookups.
import DataLoader from 'dataloader';
import { byKey } from '../../context/batch.js';
import type { Clinic } from './clinic.types.js';
import { toClinic } from './clinics.mapper.js';
import type { ClinicsRepository } from './clinics.repository.js';

export function createClinicLoaders(repository: ClinicsRepository) {
  return {
    clinicById: new DataLoader<string, Clinic | null>(async (ids) =>
      byKey(ids, (await repository.findByIds(ids)).map(toClinic), (clinic) => clinic.dbId),
    ),
  };
}

/**
 * The active clinics among `ids`, in order (unknown and inactive ones left out). A failed lookup
 * fails the list: dropping it would show someone as working nowhere.
 */
export async function loadClinics(clinicById: DataLoader<string, Clinic | null>, ids: readonly string[]): Promise<Clinic[]> {
  const clinics = await Promise.all(ids.map((id) => clinicById.load(id)));
  return clinics.filter((clinic) => clinic !== null);
}
