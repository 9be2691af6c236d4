// The records module: a patient's medical history (allergies, conditions, immunizations, ...).
import { defineModule } from '../../platform/module.js';
import type { MedicalHistory } from './medical-history.types.js';
import { PATIENT_RECORDS, patientRecordsSpec } from './records.collections.js';
import { createRecordLoaders } from './records.loaders.js';
import { recordsPermissions } from './records.permissions.js';
import { RecordsRepository } from './records.repository.js';
import { MedicalHistoryListsResolver, MedicalHistoryResolver, RecordsMutationsResolver } from './records.resolver.js';
import { RecordsService } from './records.service.js';

export const recordsModule = defineModule({
  name: 'records',
  resolvers: [MedicalHistoryResolver, MedicalHistoryListsResolver, RecordsMutationsResolver],
  permissions: recordsPermissions,
  repositories: ({ mongo }) => ({ records: new RecordsRepository(mongo) }),
  services: (repositories) => ({ records: new RecordsService(repositories.records) }),
  loaders: (repositories) => createRecordLoaders(repositories.records),
  patientData: { MedicalHistory: (history: MedicalHistory) => history.patientDbId },
  patientStores: { collections: [PATIENT_RECORDS] },
  collections: () => [patientRecordsSpec],
});
