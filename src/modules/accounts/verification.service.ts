// Proving an email address (a link) and a phone number (a 6-digit code by SMS). A verified email
// activates an account that was pending verification.
import { timingSafeEqual } from 'node:crypto';
import type { Principal } from '../../auth/principal.js';
import { newNumericCode, sha256 } from '../../auth/secrets.js';
import { BadUserInputError } from '../../errors/errors.js';
import type { Notifier } from '../../platform/notifier.js';
import type { RateLimiter } from '../../platform/rate-limiter.js';
import type { RequestAudit } from '../audit/index.js';
import { checkSecret, invalidToken, rateLimited } from './account-checks.js';
import type { AccountsRepository } from './accounts.repository.js';
import { VERIFY_EMAIL, type EmailedLinks } from './emailed-links.js';
import type { SignedInUsers } from './signed-in-user.js';

const PHONE_CODE_MS = 10 * 60 * 1000;

export class VerificationService {
  constructor(
    private readonly repository: AccountsRepository,
    private readonly signedInUsers: SignedInUsers,
    private readonly links: EmailedLinks,
    private readonly notifier: Notifier,
    private readonly limiter: RateLimiter,
  ) {}

  async requestEmailVerification(principal: Principal): Promise<boolean> {
    const user = await this.signedInUsers.of(principal);
    if (user && !user.emailVerifiedAt) await this.links.send(VERIFY_EMAIL, user.id, user.email);
    return true;
  }

  async verifyEmail(token: string, audit: RequestAudit): Promise<boolean> {
    checkSecret(token, 'token');
    const userId = await this.repository.spendOneTimeToken(sha256(token), 'email_verification');
    if (!userId) throw invalidToken('token');
    const user = await this.repository.findById(userId);
    await audit.around(userId, 'User', ['emailVerifiedAt', 'status'], 'update', 'normal', () =>
      this.repository.update(userId, {
        emailVerifiedAt: new Date(),
        ...(user?.status === 'pending_verification' ? { status: 'active' } : {}),
      }),
    );
    return true;
  }

  async requestPhoneVerification(principal: Principal): Promise<boolean> {
    const { count } = await this.limiter.hit(`phone-code:${principal.userId}`, 60 * 60).catch(() => ({ count: Infinity }));
    if (count > 3) throw rateLimited();
    const user = await this.signedInUsers.of(principal);
    if (!user?.phone) throw new BadUserInputError([{ path: [], message: 'The account has no phone number.' }]);
    const code = newNumericCode(6);
    await this.repository.issueOneTimeToken(
      user.id,
      'phone_verification',
      sha256(`${user.id}:${code}`),
      new Date(Date.now() + PHONE_CODE_MS),
    );
    await this.notifier.send({ channel: 'sms', to: user.phone, template: 'verify_phone', data: { code } });
    return true;
  }

  async verifyPhone(principal: Principal, code: string, audit: RequestAudit): Promise<boolean> {
    if (!/^\d{6}$/.test(code)) throw new BadUserInputError([{ path: ['code'], message: 'code must be 6 digits' }]);
    const attempt = await this.repository.attemptCode(principal.userId, 'phone_verification');
    if (!attempt || attempt.attempts > 5) throw invalidToken('code');
    const expected = Buffer.from(attempt.tokenHash);
    const given = Buffer.from(sha256(`${principal.userId}:${code}`));
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalidToken('code');
    if ((await this.repository.spendOneTimeToken(attempt.tokenHash, 'phone_verification')) !== principal.userId) throw invalidToken('code');
    await audit.around(principal.userId, 'User', ['phoneVerifiedAt'], 'update', 'normal', () =>
      this.repository.update(principal.userId, { phoneVerifiedAt: new Date() }),
    );
    return true;
  }
}
