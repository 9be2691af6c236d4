export { MedicalHistory } from './medical-history.types.js';
export { patientRecordsSpec, PATIENT_RECORDS } from './records.collections.js';
export { RecordsRepository, type PatientRecord } from './records.repository.js';
export { RecordsService } from './records.service.js';
export { MedicalHistoryListsResolver, MedicalHistoryResolver, RecordsMutationsResolver } from './records.resolver.js';
export { createRecordLoaders } from './records.loaders.js';
export { reproductiveStatusOn } from './reproductive-status.js';
