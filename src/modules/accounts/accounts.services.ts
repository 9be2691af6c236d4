// The accounts module's services, built once by the composition root over the module's repository.
import type { AccessTokens } from '../../auth/tokens.js';
import type { Notifier } from '../../platform/notifier.js';
import type { RateLimiter } from '../../platform/rate-limiter.js';
import { DEFAULT_ACCOUNT_SETTINGS, type AccountSettings } from './account-settings.js';
import type { AccountsRepository } from './accounts.repository.js';
import { ClinicStaffService } from './clinic-staff.service.js';
import { EmailedLinks } from './emailed-links.js';
import { PasswordResetService } from './password-reset.service.js';
import { RegistrationService } from './registration.service.js';
import { SessionsService } from './sessions.service.js';
import { SignInService } from './sign-in.service.js';
import { SignedInUsers } from './signed-in-user.js';
import { StaffAccountsService } from './staff-accounts.service.js';
import { VerificationService } from './verification.service.js';
import { ViewerService } from './viewer.service.js';

export interface AccountsDependencies {
  tokens: AccessTokens;
  notifier: Notifier;
  rateLimiter: RateLimiter;
  accountSettings?: Partial<AccountSettings>;
}

export function createAccountsServices(repository: AccountsRepository, dependencies: AccountsDependencies) {
  const { tokens, notifier, rateLimiter } = dependencies;
  const settings: AccountSettings = { ...DEFAULT_ACCOUNT_SETTINGS, ...dependencies.accountSettings };
  const signedInUsers = new SignedInUsers(repository);
  const links = new EmailedLinks(repository, notifier, settings.appUrl);
  const sessions = new SessionsService(repository, tokens, signedInUsers, settings);
  return {
    sessions,
    signIn: new SignInService(repository, sessions, rateLimiter, settings),
    registration: new RegistrationService(repository, links, notifier, rateLimiter, settings),
    verification: new VerificationService(repository, signedInUsers, links, notifier, rateLimiter),
    passwordReset: new PasswordResetService(repository, links, rateLimiter),
    staffAccounts: new StaffAccountsService(repository, links),
    viewer: new ViewerService(signedInUsers),
    clinicStaff: new ClinicStaffService(repository),
  };
}
