export type { Partner } from './partner.js';
export { PartnerKeysRepository } from './partner-keys.repository.js';
export { PartnerKeysService } from './partner-keys.service.js';
