export { AccountsRepository, type ClientInfo } from './accounts.repository.js';
export { AccountsService, normaliseEmail, type AccountSettings } from './accounts.service.js';
export { AccountsResolver } from './accounts.resolver.js';
export { Viewer, AuthPayload, RoleName } from './accounts.types.js';
export { ClinicStaffService } from './clinic-staff.service.js';
export { ClinicStaffResolver } from './clinic-staff.resolver.js';
export { ViewerResolver } from './viewer.resolver.js';
export { Actor } from './actor.types.js';
export { createAccountLoaders } from './accounts.loaders.js';
