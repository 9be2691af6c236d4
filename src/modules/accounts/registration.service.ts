// Patient self-registration. Always answers the same way: a new account gets a verification
// email; an address that already has an account gets a note instead (no account enumeration).
import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../auth/passwords.js';
import { sha256 } from '../../auth/secrets.js';
import { fromLocalDate } from '../../graphql/scalars.js';
import type { Notifier } from '../../platform/notifier.js';
import { UniqueViolation } from '../../platform/prisma-errors.js';
import type { RateLimiter } from '../../platform/rate-limiter.js';
import type { PatientScope } from '../../authz/patient-scope.js';
import type { AccountSettings } from './account-settings.js';
import { addressKeyOf, checkNewPassword, normaliseEmail } from './account-checks.js';
import type { AccountsRepository, ClientInfo } from './accounts.repository.js';
import type { RegisterInput } from './accounts.types.js';
import { VERIFY_EMAIL, type EmailedLinks } from './emailed-links.js';

export class RegistrationService {
  constructor(
    private readonly repository: AccountsRepository,
    private readonly links: EmailedLinks,
    private readonly notifier: Notifier,
    private readonly limiter: RateLimiter,
    private readonly settings: Pick<AccountSettings, 'appUrl'>,
  ) {}

  async register(input: RegisterInput, client: ClientInfo, patients: PatientScope): Promise<boolean> {
    const email = normaliseEmail(input.email);
    checkNewPassword(input.password, [email.split('@')[0], input.firstName, input.lastName], ['input', 'password']);
    // Throttled per address and per email, silently: the answer is the same either way.
    const within = await Promise.all([
      this.limiter.hit(`register:address:${addressKeyOf(client.ip)}`, 60 * 60).then(({ count }) => count <= 20),
      this.limiter.hit(`register:email:${sha256(email)}`, 60 * 60).then(({ count }) => count <= 3),
    ]).then(
      (checks) => checks.every(Boolean),
      () => false,
    );
    if (!within) return true;
    const passwordHash = await hashPassword(input.password);
    const id = randomUUID();
    const fields = ['email', 'firstName', 'lastName', 'dateOfBirth', 'preferredLanguage'];
    try {
      const user = await patients.write({ patientId: id, resource: 'Patient', fields, action: 'create', purpose: 'normal' }, () =>
        this.repository.create({
          id,
          email,
          passwordHash,
          role: 'patient',
          profile: {
            firstName: input.firstName.trim(),
            lastName: input.lastName.trim(),
            dateOfBirth: fromLocalDate(input.dateOfBirth),
            preferredLanguage: input.preferredLanguage,
          },
        }),
      );
      await this.links.send(VERIFY_EMAIL, user.id, email);
    } catch (error) {
      if (!(error instanceof UniqueViolation)) throw error;
      // Only the email can clash: its owner is told, the caller learns nothing.
      await this.notifier.send({
        channel: 'email',
        to: email,
        template: 'account_already_exists',
        data: { signInUrl: `${this.settings.appUrl}sign-in`, resetUrl: `${this.settings.appUrl}reset-password` },
      });
    }
    return true;
  }
}
