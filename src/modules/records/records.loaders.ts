// Per-request batching: one MongoDB query for the records of every patient in a response.
import DataLoader from 'dataloader';
import { byKey } from '../../context/batch.js';
import type { PatientRecord, RecordsRepository } from './records.repository.js';

export function createRecordLoaders(repository: RecordsRepository) {
  return {
    recordByPatientId: new DataLoader<string, PatientRecord | null>(async (ids) =>
      byKey(ids, await repository.findByPatientIds(ids), (record) => record._id),
    ),
  };
}
