// The care module: who cares for which patient, break-the-glass access, and the access decision.
import { defineModule } from '../../platform/module.js';
import { createCareLoaders } from './care.loaders.js';
import { carePermissions } from './care.permissions.js';
import { CareRepository } from './care.repository.js';
import { CareResolver } from './care.resolver.js';
import { CareService } from './care.service.js';
import type { EmergencyAccessGrant } from './care.types.js';

export const careModule = defineModule({
  name: 'care',
  resolvers: [CareResolver],
  permissions: carePermissions,
  repositories: ({ prisma }) => ({ care: new CareRepository(prisma) }),
  services: (repositories, dependencies) => ({ care: new CareService(repositories.care, dependencies.notifier) }),
  loaders: (repositories, principal) => createCareLoaders(repositories.care, principal),
  patientStores: { models: ['CareRelationship', 'EmergencyAccessGrant'] },
  // The reason a clinician gave may describe the patient's condition.
  patientData: { EmergencyAccessGrant: (grant: EmergencyAccessGrant) => grant.patientDbId },
});
