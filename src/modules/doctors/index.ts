export { Doctor, Specialty } from './doctor.types.js';
export { DOCTORS_VERSION, DoctorsRepository } from './doctors.repository.js';
export { DoctorsService } from './doctors.service.js';
export { DoctorProfilesService } from './doctor-profiles.service.js';
export { DoctorsResolver } from './doctors.resolver.js';
export { DoctorProfilesResolver } from './doctor-profiles.resolver.js';
export { ClinicDoctorsResolver } from './clinic-doctors.resolver.js';
export { createDoctorLoaders } from './doctors.loaders.js';
