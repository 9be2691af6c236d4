export { Clinic, OpeningHours } from './clinic.types.js';
export { ClinicsRepository } from './clinics.repository.js';
export { ClinicsService } from './clinics.service.js';
export { ClinicsResolver } from './clinics.resolver.js';
export { createClinicLoaders, loadClinics } from './clinics.loaders.js';
