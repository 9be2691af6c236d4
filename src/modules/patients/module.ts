// The patients module: patients' identity and contact details, registration and search.
import { defineModule } from '../../platform/module.js';
import type { Patient } from './patient.types.js';
import { createPatientLoaders } from './patients.loaders.js';
import { patientsPermissions } from './patients.permissions.js';
import { PatientsRepository } from './patients.repository.js';
import { PatientsResolver } from './patients.resolver.js';
import { PatientsService } from './patients.service.js';

declare module '../../graphql/global-id.js' {
  interface NodeTypes {
    Patient: true;
  }
}

export const patientsModule = defineModule({
  name: 'patients',
  resolvers: [PatientsResolver],
  permissions: patientsPermissions,
  repositories: ({ prisma }) => ({ patients: new PatientsRepository(prisma) }),
  services: (repositories) => ({ patients: new PatientsService(repositories.patients) }),
  loaders: (repositories) => createPatientLoaders(repositories.patients),
  nodes: { Patient: { load: (loaders) => loaders.patientById } },
  patientData: { Patient: (patient: Patient) => patient.dbId },
});
