// The encounters module: what happened at a visit (vitals, SOAP notes, diagnoses, plan).
import { defineModule } from '../../platform/module.js';
import { encounterCompleted } from './encounters.topics.js';
import type { Encounter } from './encounter.types.js';
import { ENCOUNTERS, encountersSpec } from './encounters.collections.js';
import { createEncounterLoaders } from './encounters.loaders.js';
import { encountersPermissions } from './encounters.permissions.js';
import { EncountersRepository } from './encounters.repository.js';
import { PatientEncountersResolver } from './encounters.resolver.js';
import { EncountersService } from './encounters.service.js';

declare module '../../graphql/global-id.js' {
  interface NodeTypes {
    Encounter: true;
  }
}

export const encountersModule = defineModule({
  name: 'encounters',
  resolvers: [PatientEncountersResolver],
  permissions: encountersPermissions,
  repositories: ({ mongo }) => ({ encounters: new EncountersRepository(mongo) }),
  services: (repositories) => ({ encounters: new EncountersService(repositories.encounters) }),
  loaders: (repositories) => createEncounterLoaders(repositories.encounters),
  nodes: { Encounter: { load: (loaders) => loaders.encounterByAppointmentId } },
  patientData: { Encounter: (encounter: Encounter) => encounter.patientDbId },
  patientStores: { collections: [ENCOUNTERS] },
  collections: () => [encountersSpec],
  topics: [encounterCompleted],
  handlers: (services) => services.encounters.handlers(),
});
