// Every DataLoader of one request, over the repositories.
import type { Principal } from '../auth/principal.js';
import { createAccountLoaders } from '../modules/accounts/index.js';
import { createCareLoaders } from '../modules/care/index.js';
import { createClinicLoaders } from '../modules/clinics/index.js';
import { createEncounterLoaders } from '../modules/encounters/index.js';
import { createDoctorLoaders } from '../modules/doctors/index.js';
import { createPatientLoaders } from '../modules/patients/index.js';
import { createRecordLoaders } from '../modules/records/index.js';
import { createSchedulingLoaders } from '../modules/scheduling/index.js';
import type { Repositories } from './services.js';

export function createLoaders(repositories: Repositories, principal: Principal | null) {
  return {
    ...createAccountLoaders(repositories.accounts),
    ...createCareLoaders(repositories.care, principal),
    ...createClinicLoaders(repositories.clinics),
    ...createDoctorLoaders(repositories.doctors),
    ...createPatientLoaders(repositories.patients),
    ...createRecordLoaders(repositories.records),
    ...createSchedulingLoaders(repositories.scheduling),
    ...createEncounterLoaders(repositories.encounters),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
