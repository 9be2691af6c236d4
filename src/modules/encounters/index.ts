export { encountersSpec, ENCOUNTERS } from './encounters.collections.js';
export { EncountersRepository } from './encounters.repository.js';
export { EncountersService, completionFields } from './encounters.service.js';
export { createEncounterLoaders } from './encounters.loaders.js';
export { PatientEncountersResolver } from './encounters.resolver.js';
export { Encounter, EncounterInput, VitalsInput } from './encounter.types.js';
export { encounterCompleted, type EncounterCompletion } from './encounters.topics.js';
