export { CareRepository } from './care.repository.js';
export { CareService } from './care.service.js';
export { CareResolver } from './care.resolver.js';
export { createCareLoaders, type CareLoaders } from './care.loaders.js';
export { EmergencyAccessGrant } from './care.types.js';
