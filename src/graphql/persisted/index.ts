export { OperationAdmission, type Admission, type AdmissionSettings, type OperationRequest } from './admission.js';
export { apqStore } from './apq-store.js';
export { MANIFEST_FILE, PersistedOperations } from './manifest.js';
