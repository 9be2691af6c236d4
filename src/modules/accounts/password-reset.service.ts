// Password reset by an emailed link. Asking always answers true, in the same time: the link is
// issued and sent after the answer has gone. A reset proves the address and ends every session.
import { hashPassword, PASSWORD_MAX_LENGTH } from '../../auth/passwords.js';
import { sha256 } from '../../auth/secrets.js';
import type { RateLimiter } from '../../platform/rate-limiter.js';
import type { RequestAudit } from '../audit/index.js';
import { checkLength, checkNewPassword, checkSecret, invalidToken, normaliseEmail } from './account-checks.js';
import type { AccountsRepository } from './accounts.repository.js';
import { RESET_PASSWORD, type EmailedLinks } from './emailed-links.js';

export class PasswordResetService {
  /** Work still running after its response has gone (reset emails). */
  private readonly afterResponse = new Set<Promise<void>>();

  constructor(
    private readonly repository: AccountsRepository,
    private readonly links: EmailedLinks,
    private readonly limiter: RateLimiter,
  ) {}

  /** The address's owner, if any, gets a reset link (throttled per address). */
  async request(emailInput: string): Promise<boolean> {
    checkLength(emailInput, 'email', 254);
    const email = normaliseEmail(emailInput);
    const work: Promise<void> = this.send(email)
      .catch(() => undefined)
      .finally(() => this.afterResponse.delete(work));
    this.afterResponse.add(work);
    return true;
  }

  /** Resolves once the work started after earlier responses has ended (for shutdown, and tests). */
  async idle(): Promise<void> {
    await Promise.all(this.afterResponse);
  }

  private async send(email: string): Promise<void> {
    const { count } = await this.limiter.hit(`reset:${sha256(email)}`, 60 * 60);
    if (count > 3) return;
    const user = await this.repository.findByEmail(email);
    if (!user || user.status === 'deactivated') return;
    await this.links.send(RESET_PASSWORD, user.id, email);
  }

  /** Sets a new password from an emailed token; proves the address; ends every session. */
  async reset(token: string, newPassword: string, audit: RequestAudit): Promise<boolean> {
    checkSecret(token, 'token');
    checkLength(newPassword, 'newPassword', PASSWORD_MAX_LENGTH);
    const tokenHash = sha256(token);
    const pending = await this.repository.peekOneTimeToken(tokenHash, 'password_reset');
    const user = pending ? await this.repository.findById(pending) : null;
    if (!user) throw invalidToken('token');
    checkNewPassword(newPassword, [user.email.split('@')[0], user.profile?.firstName ?? '', user.profile?.lastName ?? ''], ['newPassword']);
    const passwordHash = await hashPassword(newPassword);
    if ((await this.repository.spendOneTimeToken(tokenHash, 'password_reset')) !== user.id) throw invalidToken('token');
    await audit.around(user.id, 'User', ['password', 'sessions'], 'update', 'normal', async () => {
      await this.repository.update(user.id, {
        passwordHash,
        emailVerifiedAt: user.emailVerifiedAt ?? new Date(),
        ...(user.status === 'pending_verification' ? { status: 'active' } : {}),
      });
      await this.repository.revokeAllSessions(user.id, 'password_reset');
    });
    return true;
  }
}
