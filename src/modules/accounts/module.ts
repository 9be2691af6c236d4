// The accounts module: users, sign-in and sessions, verification, clinic staff.
import { defineModule } from '../../platform/module.js';
import { createAccountLoaders } from './accounts.loaders.js';
import { accountsPermissions } from './accounts.permissions.js';
import { AccountsRepository } from './accounts.repository.js';
import { AccountsResolver } from './accounts.resolver.js';
import { createAccountsServices } from './accounts.services.js';
import { ClinicStaffResolver } from './clinic-staff.resolver.js';
import { ViewerResolver } from './viewer.resolver.js';

declare module '../../graphql/global-id.js' {
  interface NodeTypes {
    User: true;
  }
}

export const accountsModule = defineModule({
  name: 'accounts',
  resolvers: [AccountsResolver, ViewerResolver, ClinicStaffResolver],
  permissions: accountsPermissions,
  repositories: ({ prisma, readThrough }) => ({ accounts: new AccountsRepository(prisma, readThrough) }),
  services: (repositories, { tokens, notifier, rateLimiter, settings }) =>
    createAccountsServices(repositories.accounts, {
      tokens,
      notifier,
      rateLimiter,
      accountSettings: settings.appUrl === undefined ? {} : { appUrl: settings.appUrl },
    }),
  loaders: (repositories) => createAccountLoaders(repositories.accounts),
  // Patients are users: their account and profile (identity, contact details) are a patient's data.
  patientStores: { models: ['User', 'UserProfile'] },
  // A user's id names them (an actor, a staff member); their account is not refetched by id.
  idKinds: ['User'],
});
