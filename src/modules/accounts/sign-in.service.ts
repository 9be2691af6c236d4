// Sign-in with a password, throttled per account and per address in Redis (and refused while
// Redis is unreachable). The answer never says whether an account exists.
import { PASSWORD_MAX_LENGTH, verifyAgainstNothing, verifyPassword } from '../../auth/passwords.js';
import { sha256 } from '../../auth/secrets.js';
import { UnauthenticatedError } from '../../errors/errors.js';
import { RateLimiterUnavailable, type RateLimiter } from '../../platform/rate-limiter.js';
import type { RequestAudit } from '../audit/index.js';
import type { AccountSettings } from './account-settings.js';
import { addressKeyOf, checkLength, normaliseEmail, rateLimited } from './account-checks.js';
import type { AccountsRepository, ClientInfo } from './accounts.repository.js';
import type { AuthPayload } from './accounts.types.js';
import type { SessionsService } from './sessions.service.js';

const SIGN_IN_FAILED = 'The email address or the password is not correct.';

export class SignInService {
  constructor(
    private readonly repository: AccountsRepository,
    private readonly sessions: SessionsService,
    private readonly limiter: RateLimiter,
    private readonly settings: Pick<AccountSettings, 'maxFailuresPerAccount' | 'maxFailuresPerIp' | 'windowSeconds'>,
  ) {}

  async login(emailInput: string, password: string, client: ClientInfo, audit: RequestAudit): Promise<AuthPayload> {
    checkLength(emailInput, 'email', 254);
    checkLength(password, 'password', PASSWORD_MAX_LENGTH);
    const email = normaliseEmail(emailInput);
    const accountKey = `login:account:${sha256(email)}`;
    const addressKey = `login:address:${addressKeyOf(client.ip)}`;
    // Count the attempt before checking it, atomically, so that concurrent attempts cannot all
    // slip under the limit; a success clears the account's count and gives the address's back.
    try {
      const [perAccount, perAddress] = await Promise.all([
        this.limiter.hit(accountKey, this.settings.windowSeconds),
        this.limiter.hit(addressKey, this.settings.windowSeconds),
      ]);
      if (perAccount.count > this.settings.maxFailuresPerAccount || perAddress.count > this.settings.maxFailuresPerIp) {
        throw rateLimited(Math.max(perAccount.resetsInSeconds, perAddress.resetsInSeconds));
      }
    } catch (error) {
      audit.note('Session', 'login_failed', 'denied', null);
      if (error instanceof RateLimiterUnavailable) throw rateLimited(); // fail closed without Redis
      throw error;
    }
    const user = await this.repository.findByEmail(email);
    const valid = user?.passwordHash ? await verifyPassword(user.passwordHash, password) : await verifyAgainstNothing(password);
    if (!user || !valid) {
      audit.note('Session', 'login_failed', 'failure', user ? { userId: user.id, role: user.role } : null);
      throw new UnauthenticatedError(SIGN_IN_FAILED);
    }
    // Only someone who knows the password learns the account's state.
    if (user.status === 'pending_verification') throw new UnauthenticatedError('Verify your email address before signing in.');
    if (user.status !== 'active') throw new UnauthenticatedError('This account is not active. Contact your clinic.');
    await Promise.all([this.limiter.clear(accountKey), this.limiter.release(addressKey)]).catch(() => undefined);
    audit.note('Session', 'login', 'success', { userId: user.id, role: user.role });
    return this.sessions.openSession(user.id, client);
  }
}
