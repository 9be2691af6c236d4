import DataLoader from 'dataloader';
import { byKey } from '../../context/batch.js';
import type { Encounter } from './encounter.types.js';
import type { EncountersRepository } from './encounters.repository.js';
import { toEncounter } from './encounters.service.js';

export function createEncounterLoaders(repository: EncountersRepository) {
  return {
    encounterByAppointmentId: new DataLoader<string, Encounter | null>(async (ids) => {
      const documents = await repository.byIds(ids);
      return byKey(ids, documents, (document) => document._id).map((document) => (document ? toEncounter(document) : null));
    }),
  };
}
