// The records module: a patient's medical history (allergies, conditions, immunizations, ...,
// pregnancy and breastfeeding).
import { defineModule } from '../../platform/module.js';
import type { MedicalHistory } from './medical-history.types.js';
import { PATIENT_RECORDS, patientRecordsSpec } from './records.collections.js';
import { createRecordLoaders } from './records.loaders.js';
import { recordsPermissions } from './records.permissions.js';
import { RecordsRepository } from './records.repository.js';
import { MedicalHistoryListsResolver, MedicalHistoryResolver, RecordsMutationsResolver } from './records.resolver.js';
import { RecordsService } from './records.service.js';
import { ReproductiveStatusResolver } from './reproductive-status.resolver.js';
import { ReproductiveStatusService } from './reproductive-status.service.js';

export const recordsModule = defineModule({
  name: 'records',
  resolvers: [MedicalHistoryResolver, MedicalHistoryListsResolver, RecordsMutationsResolver, ReproductiveStatusResolver],
  permissions: recordsPermissions,
  repositories: ({ mongo }) => ({ records: new RecordsRepository(mongo) }),
  services: (repositories) => ({
    records: new RecordsService(repositories.records),
    reproductiveStatus: new ReproductiveStatusService(repositories.records),
  }),
  loaders: (repositories) => createRecordLoaders(repositories.records),
  patientData: { MedicalHistory: (history: MedicalHistory) => history.patientDbId },
  patientStores: { collections: [PATIENT_RECORDS] },
  collections: () => [patientRecordsSpec],
});
