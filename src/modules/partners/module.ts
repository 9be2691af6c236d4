// The partners module: partner integrations and their API keys (no GraphQL fields of its own).
import { defineModule } from '../../platform/module.js';
import { PartnerKeysRepository } from './partner-keys.repository.js';
import { PartnerKeysService } from './partner-keys.service.js';

export const partnersModule = defineModule({
  name: 'partners',
  repositories: ({ prisma }) => ({ partnerKeys: new PartnerKeysRepository(prisma) }),
  services: (repositories) => ({ partnerKeys: new PartnerKeysService(repositories.partnerKeys) }),
});
