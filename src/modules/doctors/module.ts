// The doctors module: the public doctor directory, specialties, and doctors' profiles.
import { defineModule } from '../../platform/module.js';
import { ClinicDoctorsResolver } from './clinic-doctors.resolver.js';
import { DoctorProfilesResolver } from './doctor-profiles.resolver.js';
import { DoctorProfilesService } from './doctor-profiles.service.js';
import { createDoctorLoaders } from './doctors.loaders.js';
import { doctorsPermissions } from './doctors.permissions.js';
import { DoctorsRepository } from './doctors.repository.js';
import { DoctorsResolver } from './doctors.resolver.js';
import { DoctorsService } from './doctors.service.js';

declare module '../../graphql/global-id.js' {
  interface NodeTypes {
    Doctor: true;
    Specialty: true;
  }
}

export const doctorsModule = defineModule({
  name: 'doctors',
  resolvers: [DoctorsResolver, DoctorProfilesResolver, ClinicDoctorsResolver],
  permissions: doctorsPermissions,
  repositories: ({ prisma, readThrough }) => ({ doctors: new DoctorsRepository(prisma, readThrough) }),
  services: (repositories) => ({
    doctors: new DoctorsService(repositories.doctors),
    doctorProfiles: new DoctorProfilesService(repositories.doctors),
  }),
  loaders: (repositories) => createDoctorLoaders(repositories.doctors),
  nodes: {
    Doctor: { load: (loaders) => loaders.doctorById, public: true },
    Specialty: { load: (loaders) => loaders.specialtyById, public: true },
  },
  // A suspended doctor leaves the directory at once on the server; shared caches follow within a minute.
  publicFields: { doctors: 60, doctor: 60, specialties: 300 },
  // A clinic's doctors, like the directory's.
  cacheLimits: { doctors: 60 },
});
