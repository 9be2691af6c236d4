// Sessions: opened at sign-in, kept alive by rotating refresh tokens, ended by sign-out (or by a
// refresh token used twice). Every request finds its principal through its session, as it is now.
import type { Principal } from '../../auth/principal.js';
import { newSecret, sha256 } from '../../auth/secrets.js';
import type { AccessTokens } from '../../auth/tokens.js';
import { UnauthenticatedError } from '../../errors/errors.js';
import type { RequestAudit } from '../audit/index.js';
import type { AccountSettings } from './account-settings.js';
import { checkSecret } from './account-checks.js';
import type { AccountsRepository, ClientInfo, OpenedSession } from './accounts.repository.js';
import type { AuthPayload } from './accounts.types.js';
import { principalOf, toViewer, type SignedInUsers } from './signed-in-user.js';

const DAY = 24 * 60 * 60 * 1000;
const SESSION_ENDED = 'This sign-in has ended. Sign in again.';

export class SessionsService {
  constructor(
    private readonly repository: AccountsRepository,
    private readonly tokens: AccessTokens,
    private readonly signedInUsers: SignedInUsers,
    private readonly settings: Pick<AccountSettings, 'sessionDays' | 'refreshDays'>,
  ) {}

  /** The principal behind an access token, from the database as it is now (or null: not valid). */
  async principalFromToken(token: string): Promise<Principal | null> {
    const subject = await this.tokens.verify(token);
    if (!subject) return null;
    const session = await this.repository.sessionState(subject.sessionId);
    if (
      !session ||
      session.userId !== subject.userId ||
      session.revokedAt ||
      session.expiresAt <= new Date() ||
      session.user.status !== 'active'
    )
      return null;
    const principal = principalOf(session);
    this.signedInUsers.remember(principal, session.user);
    return principal;
  }

  /** Opens a session for a user whose identity is already proven (sign-in, development tokens). */
  async openSession(userId: string, client: ClientInfo): Promise<AuthPayload> {
    const refreshToken = newSecret();
    const expiresAt = new Date(Date.now() + Math.min(this.settings.sessionDays, this.settings.refreshDays) * DAY);
    const session = await this.repository.openSession(userId, sha256(refreshToken), expiresAt, client);
    return this.payload(session, refreshToken, expiresAt);
  }

  async refresh(refreshToken: string, audit: RequestAudit): Promise<AuthPayload> {
    checkSecret(refreshToken, 'token');
    const next = newSecret();
    const outcome = await this.repository.rotateRefreshToken(
      sha256(refreshToken),
      sha256(next),
      new Date(),
      this.settings.refreshDays * DAY,
    );
    if (outcome.kind === 'reused') {
      // A refresh token used twice was stolen or replayed: end the whole session.
      await this.repository.revokeSession(outcome.sessionId, 'refresh_token_reuse');
      audit.note('Session', 'token_refresh', 'denied', null);
      throw new UnauthenticatedError(SESSION_ENDED);
    }
    if (outcome.kind !== 'rotated' || outcome.session.user.status !== 'active') throw new UnauthenticatedError(SESSION_ENDED);
    audit.note('Session', 'token_refresh', 'success', { userId: outcome.session.user.id, role: outcome.session.user.role });
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

  private async payload(session: OpenedSession, refreshToken: string, refreshTokenExpiresAt: Date): Promise<AuthPayload> {
    const access = await this.tokens.issue(principalOf(session));
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken,
      refreshTokenExpiresAt,
      viewer: toViewer(session.user),
    };
  }
}
