// Accounts (users with their profiles and clinic memberships), sessions, refresh tokens and
// one-time tokens in PostgreSQL.
import {
  Prisma,
  type Language,
  type OneTimeTokenPurpose,
  type PrismaClient,
  type StaffRole,
  type UserRole,
  type UserStatus,
} from '../../generated/prisma/client.js';
import type { ReadThrough } from '../../platform/cache-aside.js';
import { uniqueViolation } from '../../platform/prisma-errors.js';
import { DOCTORS_VERSION } from '../doctors/index.js';

const UNIQUE_COLUMNS = { email: 'email', phone: 'phone' };
const activeMemberships = { staffMemberships: { where: { isActive: true }, select: { clinicId: true, role: true } } } as const;
const ownDoctorProfile = { doctorProfile: { select: { id: true } } } as const;
/** What sign-in answers with (its `viewer`): memberships, name and doctor profile. */
const signedInUser = { ...activeMemberships, ...ownDoctorProfile, profile: { select: { firstName: true, lastName: true } } } as const;
const account = { ...activeMemberships, ...ownDoctorProfile, profile: true } as const;
/** What signing in (and a reset request) needs of an account. */
const signIn = { id: true, role: true, status: true, passwordHash: true } as const;

export type AccountRow = Prisma.UserGetPayload<{ include: typeof account }>;
export type SignInRow = Prisma.UserGetPayload<{ select: typeof signIn }>;
/** What every request loads of its session: memberships only (one statement). */
export type SessionState = Prisma.SessionGetPayload<{ include: { user: { include: typeof activeMemberships } } }>;
export type OpenedSession = Prisma.SessionGetPayload<{ include: { user: { include: typeof signedInUser } } }>;

export type RefreshOutcome =
  | { kind: 'rotated'; session: OpenedSession; refreshExpiresAt: Date }
  | { kind: 'unknown' | 'expired' }
  | { kind: 'reused'; sessionId: string };

/** One row of a clinic's staff list. */
export interface StaffRow {
  userId: string;
  firstName: string;
  lastName: string;
  role: StaffRole;
  status: string;
  joinedAt: Date;
}
export type ActorRow = Prisma.UserGetPayload<{
  select: { id: true; role: true; profile: { select: { firstName: true; lastName: true } } };
}>;

/** A new account, pending verification: a patient who registered, or staff (with their clinic membership). */
export interface NewAccount {
  id: string;
  email: string;
  role: UserRole;
  passwordHash?: string;
  phone?: string | null;
  profile: { firstName: string; lastName: string; dateOfBirth?: Date; preferredLanguage?: Language };
  membership?: { clinicId: string; role: StaffRole };
}

/** What changes of an account: a field left out stays. */
export interface AccountChanges {
  passwordHash?: string;
  status?: UserStatus;
  emailVerifiedAt?: Date;
  phoneVerifiedAt?: Date;
}

export interface ClientInfo {
  ip: string;
  userAgent: string;
}

export class AccountsRepository {
  constructor(
    private readonly prisma: PrismaClient,
    /** For the doctor directory, which lists active doctors only. */
    private readonly cache: ReadThrough,
  ) {}

  findByEmail(email: string): Promise<SignInRow | null> {
    return this.prisma.user.findUnique({ where: { email }, select: signIn });
  }

  findByIds(ids: readonly string[]): Promise<AccountRow[]> {
    return this.prisma.user.findMany({ where: { id: { in: [...ids] } }, include: account });
  }

  findById(id: string): Promise<AccountRow | null> {
    return this.prisma.user.findUnique({ where: { id }, include: account });
  }

  /**
   * Creates the account with its profile (and clinic membership for staff) in one transaction. Nothing
   * cached can name a user not yet created (and no account created here has a doctor profile).
   */
  async create({ profile, membership, ...user }: NewAccount): Promise<AccountRow> {
    const data: Prisma.UserCreateInput = {
      ...user,
      status: 'pending_verification',
      profile: { create: profile },
      ...(membership ? { staffMemberships: { create: membership } } : {}),
    };
    try {
      return await this.prisma.user.create({ data, include: account });
    } catch (error) {
      throw uniqueViolation(error, UNIQUE_COLUMNS) ?? error;
    }
  }

  async update(userId: string, changes: AccountChanges): Promise<void> {
    const { role } = await this.prisma.user.update({ where: { id: userId }, data: changes, select: { role: true } });
    // A doctor's status (suspended, reactivated) decides whether the directory shows them.
    if (changes.status !== undefined && role === 'doctor') await this.cache.bump([DOCTORS_VERSION]);
  }

  /** A page of a clinic's active memberships (optionally of one role) in name order, after [lastName, firstName, userId]. */
  staffPage(clinicId: string, role: StaffRole | undefined, after: [string, string, string] | undefined, take: number): Promise<StaffRow[]> {
    const keyset = after
      ? Prisma.sql`AND (p.last_name, p.first_name, s.user_id) > (${after[0]}, ${after[1]}, ${after[2]}::uuid)`
      : Prisma.empty;
    return this.prisma.$queryRaw<StaffRow[]>`
      SELECT s.user_id AS "userId", p.first_name AS "firstName", p.last_name AS "lastName", s.role, u.status::text AS status, s.joined_at AS "joinedAt"
      FROM clinic_staff s JOIN users u ON u.id = s.user_id JOIN user_profiles p ON p.user_id = s.user_id
      WHERE s.clinic_id = ${clinicId}::uuid AND s.is_active ${this.roleFilter(role)} ${keyset}
      ORDER BY p.last_name, p.first_name, s.user_id
      LIMIT ${take}`;
  }

  async staffCount(clinicId: string, role: StaffRole | undefined): Promise<number> {
    const [row] = await this.prisma.$queryRaw<Array<{ count: number }>>`
      SELECT count(*)::int AS count FROM clinic_staff s JOIN user_profiles p ON p.user_id = s.user_id
      WHERE s.clinic_id = ${clinicId}::uuid AND s.is_active ${this.roleFilter(role)}`;
    return row.count;
  }

  private roleFilter(role: StaffRole | undefined): Prisma.Sql {
    return role ? Prisma.sql`AND s.role = ${role}::staff_role` : Prisma.empty;
  }

  /** The clinics `userId` administers (active admin memberships). */
  async adminClinics(userId: string): Promise<string[]> {
    const rows = await this.prisma.clinicStaff.findMany({ where: { userId, role: 'admin', isActive: true }, select: { clinicId: true } });
    return rows.map((row) => row.clinicId);
  }

  /** A new session with its first refresh token (one transaction). */
  async openSession(userId: string, refreshHash: string, expiresAt: Date, client: ClientInfo): Promise<OpenedSession> {
    return this.prisma.session.create({
      data: {
        userId,
        expiresAt,
        ip: client.ip.slice(0, 64),
        userAgent: client.userAgent.slice(0, 256),
        refreshTokens: { create: { tokenHash: refreshHash, expiresAt } },
      },
      include: { user: { include: signedInUser } },
    });
  }

  /** What an access token's session says now: revoked, expired, the user's status and clinics. */
  sessionState(sessionId: string): Promise<SessionState | null> {
    return this.prisma.session.findUnique({ where: { id: sessionId }, include: { user: { include: activeMemberships } } });
  }

  /**
   * Spends a refresh token and issues the next one in the same session, atomically. A token spent
   * before (or spent by a concurrent request) is reuse: the caller revokes the session.
   */
  async rotateRefreshToken(tokenHash: string, nextHash: string, now: Date, ttlMs: number): Promise<RefreshOutcome> {
    const token = await this.prisma.refreshToken.findUnique({ where: { tokenHash }, include: { session: true } });
    if (!token) return { kind: 'unknown' };
    if (token.usedAt) return { kind: 'reused', sessionId: token.sessionId };
    if (token.expiresAt <= now || token.session.revokedAt || token.session.expiresAt <= now) return { kind: 'expired' };
    const refreshExpiresAt = new Date(Math.min(now.getTime() + ttlMs, token.session.expiresAt.getTime()));
    return this.prisma.$transaction(async (tx) => {
      const spent = await tx.refreshToken.updateMany({ where: { id: token.id, usedAt: null }, data: { usedAt: now } });
      if (spent.count === 0) return { kind: 'reused', sessionId: token.sessionId } as const;
      await tx.refreshToken.create({ data: { sessionId: token.sessionId, tokenHash: nextHash, expiresAt: refreshExpiresAt } });
      const session = await tx.session.update({
        where: { id: token.sessionId },
        data: { lastUsedAt: now },
        include: { user: { include: signedInUser } },
      });
      return { kind: 'rotated', session, refreshExpiresAt } as const;
    });
  }

  async revokeSession(sessionId: string, reason: string): Promise<void> {
    await this.prisma.session.updateMany({
      where: { id: sessionId, revokedAt: null },
      data: { revokedAt: new Date(), revokedReason: reason },
    });
  }

  async revokeAllSessions(userId: string, reason: string): Promise<number> {
    const { count } = await this.prisma.session.updateMany({
      where: { userId, revokedAt: null },
      data: { revokedAt: new Date(), revokedReason: reason },
    });
    return count;
  }

  /** Stores a one-time token, retiring the user's earlier unspent ones for the same purpose. */
  async issueOneTimeToken(userId: string, purpose: OneTimeTokenPurpose, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.oneTimeToken.updateMany({ where: { userId, purpose, consumedAt: null }, data: { consumedAt: new Date() } }),
      this.prisma.oneTimeToken.create({ data: { userId, purpose, tokenHash, expiresAt } }),
    ]);
  }

  /** The user of an unspent, unexpired token, without spending it. */
  async peekOneTimeToken(tokenHash: string, purpose: OneTimeTokenPurpose): Promise<string | null> {
    const token = await this.prisma.oneTimeToken.findUnique({ where: { tokenHash } });
    return token && token.purpose === purpose && !token.consumedAt && token.expiresAt > new Date() ? token.userId : null;
  }

  /** Spends a token atomically, in one statement (only one caller ever succeeds); returns its user, or null. */
  async spendOneTimeToken(tokenHash: string, purpose: OneTimeTokenPurpose): Promise<string | null> {
    const now = new Date();
    const [spent] = await this.prisma.oneTimeToken.updateManyAndReturn({
      where: { tokenHash, purpose, consumedAt: null, expiresAt: { gt: now } },
      data: { consumedAt: now },
      select: { userId: true },
    });
    return spent?.userId ?? null;
  }

  /** The user's live code for `purpose`, counting this as one more attempt. */
  async attemptCode(userId: string, purpose: OneTimeTokenPurpose): Promise<{ tokenHash: string; attempts: number } | null> {
    const token = await this.prisma.oneTimeToken.findFirst({
      where: { userId, purpose, consumedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: 'desc' },
    });
    if (!token) return null;
    const updated = await this.prisma.oneTimeToken.update({ where: { id: token.id }, data: { attempts: { increment: 1 } } });
    return { tokenHash: token.tokenHash, attempts: updated.attempts };
  }

  /** Names and roles of users, for showing who acted (audit trails, emergency grants). */
  actors(ids: readonly string[]): Promise<ActorRow[]> {
    return this.prisma.user.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, role: true, profile: { select: { firstName: true, lastName: true } } },
    });
  }
}
