// The clinics module: the public clinic directory.
import { defineModule } from '../../platform/module.js';
import { createClinicLoaders } from './clinics.loaders.js';
import { clinicsPermissions } from './clinics.permissions.js';
import { ClinicsRepository } from './clinics.repository.js';
import { ClinicsResolver } from './clinics.resolver.js';
import { ClinicsService } from './clinics.service.js';

declare module '../../graphql/global-id.js' {
  interface NodeTypes {
    Clinic: true;
  }
}

export const clinicsModule = defineModule({
  name: 'clinics',
  resolvers: [ClinicsResolver],
  permissions: clinicsPermissions,
  repositories: ({ prisma, readThrough }) => ({ clinics: new ClinicsRepository(prisma, readThrough) }),
  services: (repositories) => ({ clinics: new ClinicsService(repositories.clinics) }),
  loaders: (repositories) => createClinicLoaders(repositories.clinics),
  nodes: { Clinic: { load: (loaders) => loaders.clinicById, public: true } },
  publicFields: { clinics: 300, clinic: 300 },
});
