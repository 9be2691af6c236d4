export { Patient } from './patient.types.js';
export { PatientsRepository } from './patients.repository.js';
export { PatientsService } from './patients.service.js';
export { PatientsResolver } from './patients.resolver.js';
export { createPatientLoaders } from './patients.loaders.js';
