// Accounts: registration, sign-in with rotating refresh tokens, sign-out, password reset, email
// and phone verification, staff accounts and suspension. Nothing here tells a caller whether an
// email address has an account.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { Principal, Role } from '../../auth/principal.js';
import { hashPassword, PASSWORD_MAX_LENGTH, passwordProblems, verifyAgainstNothing, verifyPassword } from '../../auth/passwords.js';
import { newNumericCode, newSecret, sha256 } from '../../auth/secrets.js';
import type { AccessTokens } from '../../auth/tokens.js';
import { AppError, BadUserInputError, ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../errors/errors.js';
import { idOf, toGlobalId } from '../../graphql/global-id.js';
import { fromLocalDate } from '../../graphql/scalars.js';
import type { Notifier } from '../../platform/notifier.js';
import { UniqueViolation } from '../../platform/prisma-errors.js';
import { RateLimiterUnavailable, type RateLimiter } from '../../platform/rate-limiter.js';
import type { RequestContext } from '../../context/context.js';
import type { RequestAudit } from '../audit/index.js';
import type { AccountRow, AccountsRepository, ClientInfo, OpenedSession, SessionState } from './accounts.repository.js';
import { AccountStatus, type AuthPayload, type CreateStaffAccountInput, type RegisterInput, type RoleName, type StaffAccount, type Viewer, type ViewerDetails } from './accounts.types.js';

/** A user with their active clinic memberships, as the session load returns them. */
type SignedInUser = SessionState['user'];

export interface AccountSettings {
  sessionDays: number;
  refreshDays: number;
  /** Unsuccessful sign-ins per account in a window, then RATE_LIMITED until it ends. */
  maxFailuresPerAccount: number;
  /** Unsuccessful sign-ins per client address (IPv6: per /64) in a window; successes do not count. */
  maxFailuresPerIp: number;
  windowSeconds: number;
  /** Base of the links in emails, e.g. https://app.example/. */
  appUrl: string;
}

const DEFAULT_ACCOUNT_SETTINGS: AccountSettings = {
  sessionDays: 30,
  refreshDays: 30,
  maxFailuresPerAccount: 5,
  maxFailuresPerIp: 50,
  windowSeconds: 15 * 60,
  appUrl: 'http://localhost:3000/',
};

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const SIGN_IN_FAILED = 'The email address or the password is not correct.';
const INVALID_TOKEN = 'is not valid or has expired';

function rateLimited(retryAfterSeconds?: number): AppError {
  return new AppError('RATE_LIMITED', 'Too many attempts. Try again later.', retryAfterSeconds ? { retryAfterSeconds } : {});
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/**
 * Scalar arguments are not validated by the schema, so their length is checked here (control
 * characters are refused for every request by controlCharactersPlugin).
 */
function checkLength(value: string, field: string, maxLength: number): void {
  if (value.length > maxLength) throw new BadUserInputError([{ path: [field], message: `${field} is not valid` }]);
}

/** Tokens we issue are base64url of a fixed size. */
function checkSecret(value: string, field: string): void {
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(value)) throw new BadUserInputError([{ path: [field], message: `${field} ${INVALID_TOKEN}` }]);
}

/** The throttling key of an address: IPv4 as is, IPv6 by its /64 (one customer's whole network). */
function addressKeyOf(ip: string): string {
  const address = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (!address.includes(':')) return address;
  const [head, tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).map((group) => group.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** A user's clinics, once each (a user may hold several roles in one clinic). */
const clinicIdsOf = (user: SignedInUser) => [...new Set(user.staffMemberships.map((membership) => membership.clinicId))];

function detailsOf(user: Pick<OpenedSession['user'], 'email' | 'profile' | 'doctorProfile'>): ViewerDetails {
  const name = user.profile ? `${user.profile.firstName} ${user.profile.lastName}`.trim() : '';
  return { displayName: name || user.email, doctorDbId: user.doctorProfile?.id ?? null };
}

/** A signed-in user; sign-in also loads their name and doctor profile. */
function toViewer(user: SignedInUser | OpenedSession['user']): Viewer {
  return {
    dbId: user.id,
    id: toGlobalId('User', user.id),
    details: 'profile' in user ? detailsOf(user) : undefined,
    email: user.email,
    role: user.role as RoleName,
    emailVerified: Boolean(user.emailVerifiedAt),
    phoneVerified: Boolean(user.phoneVerifiedAt),
    clinicIds: clinicIdsOf(user),
    memberships: user.staffMemberships.map((membership) => ({ clinicId: membership.clinicId, role: membership.role as RoleName })),
    patientDbId: user.role === 'patient' ? user.id : null,
  };
}

export class AccountsService {
  /**
   * The user each principal was loaded with (with the session, by principalFromToken), so that the
   * same request does not load them again. Keyed by the request's principal object: an entry
   * lives as long as its request.
   */
  private readonly signedInUsers = new WeakMap<Principal, SignedInUser>();
  /** Work still running after its response has gone (reset emails). */
  private readonly afterResponse = new Set<Promise<void>>();
  private readonly settings: AccountSettings;

  constructor(
    private readonly repository: AccountsRepository,
    private readonly tokens: AccessTokens,
    private readonly notifier: Notifier,
    private readonly limiter: RateLimiter,
    settings: Partial<AccountSettings> = {},
  ) {
    this.settings = { ...DEFAULT_ACCOUNT_SETTINGS, ...settings };
  }

  /** The principal behind an access token, from the database as it is now (or null: not valid). */
  async principalFromToken(token: string): Promise<Principal | null> {
    const subject = await this.tokens.verify(token);
    if (!subject) return null;
    const session = await this.repository.sessionState(subject.sessionId);
    if (!session || session.userId !== subject.userId || session.revokedAt || session.expiresAt <= new Date() || session.user.status !== 'active') return null;
    const principal = this.principalOf(session);
    this.signedInUsers.set(principal, session.user);
    return principal;
  }

  /** The signed-in user as this request loaded them (from the database for a principal made elsewhere). */
  private async signedInUser(principal: Principal): Promise<SignedInUser | null> {
    return this.signedInUsers.get(principal) ?? this.repository.findById(principal.userId);
  }

  private principalOf(session: SessionState): Principal {
    const { user } = session;
    return {
      userId: user.id,
      sessionId: session.id,
      role: user.role as Role,
      clinicIds: clinicIdsOf(user),
      ...(user.role === 'patient' ? { patientId: user.id } : {}),
    };
  }

  private async payload(session: OpenedSession, refreshToken: string, refreshTokenExpiresAt: Date): Promise<AuthPayload> {
    const principal = this.principalOf(session);
    const access = await this.tokens.issue(principal);
    return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt, refreshToken, refreshTokenExpiresAt, viewer: toViewer(session.user) };
  }

  /** Opens a session for a user whose identity is already proven (sign-in, development tokens). */
  async openSession(userId: string, client: ClientInfo): Promise<AuthPayload> {
    const refreshToken = newSecret();
    const expiresAt = new Date(Date.now() + Math.min(this.settings.sessionDays, this.settings.refreshDays) * DAY);
    const session = await this.repository.openSession(userId, sha256(refreshToken), expiresAt, client);
    return this.payload(session, refreshToken, expiresAt);
  }

  async viewer(principal: Principal): Promise<Viewer> {
    const user = await this.signedInUser(principal);
    if (!user) throw new UnauthenticatedError();
    return toViewer(user);
  }

  /** The viewer's name and doctor profile, loaded (once per request) only when asked for. */
  async viewerDetails(context: RequestContext, viewer: Viewer): Promise<ViewerDetails> {
    if (viewer.details) return viewer.details;
    const user = await context.loaders.accountById.load(viewer.dbId);
    if (!user) throw new UnauthenticatedError();
    return detailsOf(user);
  }

  private checkPassword(password: string, personal: string[]): void {
    const problems = passwordProblems(password, personal);
    if (problems.length > 0) throw new BadUserInputError(problems.map((message) => ({ path: ['input', 'password'], message: `password ${message}` })));
  }

  /**
   * Patient self-registration. Always answers the same way: a new account gets a verification
   * email; an address that already has an account gets a note instead (no account enumeration).
   */
  async register(input: RegisterInput, client: ClientInfo, audit: RequestAudit): Promise<boolean> {
    const email = normaliseEmail(input.email);
    this.checkPassword(input.password, [email.split('@')[0], input.firstName, input.lastName]);
    // Throttled per address and per email, silently: the answer is the same either way.
    const within = await Promise.all([
      this.limiter.hit(`register:address:${addressKeyOf(client.ip)}`, 60 * 60).then(({ count }) => count <= 20),
      this.limiter.hit(`register:email:${sha256(email)}`, 60 * 60).then(({ count }) => count <= 3),
    ]).then((checks) => checks.every(Boolean), () => false);
    if (!within) return true;
    const passwordHash = await hashPassword(input.password);
    const id = randomUUID();
    const fields = ['email', 'firstName', 'lastName', 'dateOfBirth', 'preferredLanguage'];
    try {
      const user = await audit.around(id, 'Patient', fields, 'create', 'normal', () =>
        this.repository.create({
          id,
          email,
          passwordHash,
          role: 'patient',
          status: 'pending_verification',
          profile: { create: { firstName: input.firstName.trim(), lastName: input.lastName.trim(), dateOfBirth: fromLocalDate(input.dateOfBirth), preferredLanguage: input.preferredLanguage } },
        }),
      );
      await this.sendEmailVerification(user.id, email);
    } catch (error) {
      if (!(error instanceof UniqueViolation)) throw error;
      // Only the email can clash: its owner is told, the caller learns nothing.
      await this.notifier.send({ channel: 'email', to: email, template: 'account_already_exists', data: { signInUrl: `${this.settings.appUrl}sign-in`, resetUrl: `${this.settings.appUrl}reset-password` } });
    }
    return true;
  }

  private async sendEmailVerification(userId: string, email: string): Promise<void> {
    const token = newSecret();
    await this.repository.issueOneTimeToken(userId, 'email_verification', sha256(token), new Date(Date.now() + 48 * HOUR));
    await this.notifier.send({ channel: 'email', to: email, template: 'verify_email', data: { token, url: `${this.settings.appUrl}verify-email?token=${token}` } });
  }

  async requestEmailVerification(principal: Principal): Promise<boolean> {
    const user = await this.signedInUser(principal);
    if (user && !user.emailVerifiedAt) await this.sendEmailVerification(user.id, user.email);
    return true;
  }

  async verifyEmail(token: string, audit: RequestAudit): Promise<boolean> {
    checkSecret(token, 'token');
    const userId = await this.repository.spendOneTimeToken(sha256(token), 'email_verification');
    if (!userId) throw new BadUserInputError([{ path: ['token'], message: `token ${INVALID_TOKEN}` }]);
    const user = await this.repository.findById(userId);
    await audit.around(userId, 'User', ['emailVerifiedAt', 'status'], 'update', 'normal', () =>
      this.repository.update(userId, { emailVerifiedAt: new Date(), ...(user?.status === 'pending_verification' ? { status: 'active' } : {}) }),
    );
    return true;
  }

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
      audit.note('Session', 'login_failed', 'failure', user ? { userId: user.id, role: user.role as Role } : null);
      throw new UnauthenticatedError(SIGN_IN_FAILED);
    }
    // Only someone who knows the password learns the account's state.
    if (user.status === 'pending_verification') throw new UnauthenticatedError('Verify your email address before signing in.');
    if (user.status !== 'active') throw new UnauthenticatedError('This account is not active. Contact your clinic.');
    await Promise.all([this.limiter.clear(accountKey), this.limiter.release(addressKey)]).catch(() => undefined);
    audit.note('Session', 'login', 'success', { userId: user.id, role: user.role as Role });
    return this.openSession(user.id, client);
  }

  async refresh(refreshToken: string, audit: RequestAudit): Promise<AuthPayload> {
    checkSecret(refreshToken, 'token');
    const next = newSecret();
    const outcome = await this.repository.rotateRefreshToken(sha256(refreshToken), sha256(next), new Date(), this.settings.refreshDays * DAY);
    if (outcome.kind === 'reused') {
      // A refresh token used twice was stolen or replayed: end the whole session.
      await this.repository.revokeSession(outcome.sessionId, 'refresh_token_reuse');
      audit.note('Session', 'token_refresh', 'denied', null);
      throw new UnauthenticatedError('This sign-in has ended. Sign in again.');
    }
    if (outcome.kind !== 'rotated' || outcome.session.user.status !== 'active') throw new UnauthenticatedError('This sign-in has ended. Sign in again.');
    audit.note('Session', 'token_refresh', 'success', { userId: outcome.session.user.id, role: outcome.session.user.role as Role });
    return this.payload(outcome.session, next, outcome.refreshExpiresAt);
  }

  async logout(principal: Principal, audit: RequestAudit): Promise<boolean> {
    await this.repository.revokeSession(principal.sessionId, 'logout');
    audit.note('Session', 'logout', 'success');
    return true;
  }

  async logoutEverywhere(principal: Principal, audit: RequestAudit): Promise<boolean> {
    await this.repository.revokeAllSessions(principal.userId, 'logout_everywhere');
    audit.note('Session', 'logout', 'success');
    return true;
  }

  /**
   * Always true, in the same time: the address's owner, if any, gets a reset link (throttled per
   * address), issued and sent after the answer has gone.
   */
  async requestPasswordReset(emailInput: string): Promise<boolean> {
    checkLength(emailInput, 'email', 254);
    const email = normaliseEmail(emailInput);
    const work: Promise<void> = this.sendPasswordReset(email)
      .catch(() => undefined)
      .finally(() => this.afterResponse.delete(work));
    this.afterResponse.add(work);
    return true;
  }

  /** Resolves once the work started after earlier responses has ended (for shutdown, and tests). */
  async idle(): Promise<void> {
    await Promise.all(this.afterResponse);
  }

  private async sendPasswordReset(email: string): Promise<void> {
    const { count } = await this.limiter.hit(`reset:${sha256(email)}`, 60 * 60);
    if (count > 3) return;
    const user = await this.repository.findByEmail(email);
    if (!user || user.status === 'deactivated') return;
    const token = newSecret();
    await this.repository.issueOneTimeToken(user.id, 'password_reset', sha256(token), new Date(Date.now() + HOUR));
    await this.notifier.send({ channel: 'email', to: email, template: 'password_reset', data: { token, url: `${this.settings.appUrl}reset-password?token=${token}` } });
  }

  /** Sets a new password from an emailed token; proves the address; ends every session. */
  async resetPassword(token: string, newPassword: string, audit: RequestAudit): Promise<boolean> {
    checkSecret(token, 'token');
    checkLength(newPassword, 'newPassword', PASSWORD_MAX_LENGTH);
    const tokenHash = sha256(token);
    const pending = await this.repository.peekOneTimeToken(tokenHash, 'password_reset');
    const user = pending ? await this.repository.findById(pending) : null;
    if (!user) throw new BadUserInputError([{ path: ['token'], message: `token ${INVALID_TOKEN}` }]);
    const problems = passwordProblems(newPassword, [user.email.split('@')[0], user.profile?.firstName ?? '', user.profile?.lastName ?? '']);
    if (problems.length > 0) throw new BadUserInputError(problems.map((message) => ({ path: ['newPassword'], message: `newPassword ${message}` })));
    const passwordHash = await hashPassword(newPassword);
    if ((await this.repository.spendOneTimeToken(tokenHash, 'password_reset')) !== user.id) {
      throw new BadUserInputError([{ path: ['token'], message: `token ${INVALID_TOKEN}` }]);
    }
    await audit.around(user.id, 'User', ['password', 'sessions'], 'update', 'normal', async () => {
      await this.repository.update(user.id, { passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? new Date(), ...(user.status === 'pending_verification' ? { status: 'active' } : {}) });
      await this.repository.revokeAllSessions(user.id, 'password_reset');
    });
    return true;
  }

  async requestPhoneVerification(principal: Principal): Promise<boolean> {
    const { count } = await this.limiter.hit(`phone-code:${principal.userId}`, 60 * 60).catch(() => ({ count: Infinity }));
    if (count > 3) throw rateLimited();
    const user = await this.signedInUser(principal);
    if (!user?.phone) throw new BadUserInputError([{ path: [], message: 'The account has no phone number.' }]);
    const code = newNumericCode(6);
    await this.repository.issueOneTimeToken(user.id, 'phone_verification', sha256(`${user.id}:${code}`), new Date(Date.now() + 10 * 60 * 1000));
    await this.notifier.send({ channel: 'sms', to: user.phone, template: 'verify_phone', data: { code } });
    return true;
  }

  async verifyPhone(principal: Principal, code: string, audit: RequestAudit): Promise<boolean> {
    if (!/^\d{6}$/.test(code)) throw new BadUserInputError([{ path: ['code'], message: 'code must be 6 digits' }]);
    const attempt = await this.repository.attemptCode(principal.userId, 'phone_verification');
    const wrong = () => new BadUserInputError([{ path: ['code'], message: `code ${INVALID_TOKEN}` }]);
    if (!attempt || attempt.attempts > 5) throw wrong();
    const expected = Buffer.from(attempt.tokenHash);
    const given = Buffer.from(sha256(`${principal.userId}:${code}`));
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw wrong();
    if ((await this.repository.spendOneTimeToken(attempt.tokenHash, 'phone_verification')) !== principal.userId) throw wrong();
    await audit.around(principal.userId, 'User', ['phoneVerifiedAt'], 'update', 'normal', () => this.repository.update(principal.userId, { phoneVerifiedAt: new Date() }));
    return true;
  }

  /** A clinic admin adds staff to their clinic; the person sets a password from the emailed link. */
  async createStaffAccount(principal: Principal, input: CreateStaffAccountInput, audit: RequestAudit): Promise<StaffAccount> {
    const clinicId = idOf('Clinic', input.clinicId, ['input', 'clinicId']);
    if (!(await this.repository.adminClinics(principal.userId)).includes(clinicId)) throw new ForbiddenError('You can only add staff to a clinic you administer.');
    const email = normaliseEmail(input.email);
    const fields = ['email', 'role', 'clinicId', 'firstName', 'lastName', ...(input.phone ? ['phone'] : [])];
    const id = randomUUID();
    let user: AccountRow;
    try {
      user = await audit.around(id, 'User', fields, 'create', 'normal', () => this.repository.create({
        id,
        email,
        phone: input.phone ?? null,
        role: input.role,
        status: 'pending_verification',
        profile: { create: { firstName: input.firstName.trim(), lastName: input.lastName.trim() } },
        staffMemberships: { create: { clinicId, role: input.role as Exclude<RoleName, RoleName.PATIENT> } },
      }));
    } catch (error) {
      // Not which detail clashed: that would say who has an account anywhere on the platform.
      if (error instanceof UniqueViolation) throw new ConflictError('An account with some of these details already exists.');
      throw error;
    }
    const token = newSecret();
    await this.repository.issueOneTimeToken(user.id, 'password_reset', sha256(token), new Date(Date.now() + 72 * HOUR));
    await this.notifier.send({ channel: 'email', to: email, template: 'staff_account_setup', data: { token, url: `${this.settings.appUrl}reset-password?token=${token}` } });
    return { id: toGlobalId('User', user.id), email, role: input.role, status: AccountStatus.PENDING_VERIFICATION };
  }

  /** Suspends (or reactivates) a staff member of a clinic the caller administers; suspension ends their sessions. */
  async setSuspended(principal: Principal, userGlobalId: string, suspended: boolean, audit: RequestAudit): Promise<boolean> {
    const userId = idOf('User', userGlobalId, ['userId']);
    if (userId === principal.userId) throw new ForbiddenError('You cannot change your own account this way.');
    const [administered, user] = await Promise.all([this.repository.adminClinics(principal.userId), this.repository.findById(userId)]);
    // Someone outside the caller's clinics is "not found": the caller learns nothing about them.
    if (!user || !user.staffMemberships.some((membership) => administered.includes(membership.clinicId))) throw new NotFoundError('Staff member');
    if (user.role === 'admin') throw new ForbiddenError('Clinic admins cannot suspend or reactivate other admins.');
    await audit.around(userId, 'User', ['status', ...(suspended ? ['sessions'] : [])], 'update', 'normal', async () => {
      if (suspended) {
        await this.repository.update(userId, { status: 'suspended' });
        await this.repository.revokeAllSessions(userId, 'suspended');
      } else if (user.status === 'suspended') {
        await this.repository.update(userId, { status: 'active' });
      }
    });
    return true;
  }
}
