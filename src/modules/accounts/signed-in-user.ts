// The signed-in user: as the session load finds them, as the request's principal, and as the
// viewer the graph shows.
import type { Principal } from '../../auth/principal.js';
import { toGlobalId } from '../../graphql/global-id.js';
import type { AccountsRepository, OpenedSession, SessionState } from './accounts.repository.js';
import type { Viewer, ViewerDetails } from './accounts.types.js';

/** A user with their active clinic memberships, as the session load returns them. */
export type SignedInUser = SessionState['user'];

/** A user's clinics, once each (a user may hold several roles in one clinic). */
const clinicIdsOf = (user: SignedInUser) => [...new Set(user.staffMemberships.map((membership) => membership.clinicId))];

export function detailsOf(user: Pick<OpenedSession['user'], 'email' | 'profile' | 'doctorProfile'>): ViewerDetails {
  const name = user.profile ? `${user.profile.firstName} ${user.profile.lastName}`.trim() : '';
  return { displayName: name || user.email, doctorDbId: user.doctorProfile?.id ?? null };
}

/** A signed-in user; sign-in also loads their name and doctor profile. */
export function toViewer(user: SignedInUser | OpenedSession['user']): Viewer {
  return {
    dbId: user.id,
    id: toGlobalId('User', user.id),
    details: 'profile' in user ? detailsOf(user) : undefined,
    email: user.email,
    role: user.role,
    emailVerified: Boolean(user.emailVerifiedAt),
    phoneVerified: Boolean(user.phoneVerifiedAt),
    clinicIds: clinicIdsOf(user),
    memberships: user.staffMemberships.map((membership) => ({ clinicId: membership.clinicId, role: membership.role })),
    patientDbId: user.role === 'patient' ? user.id : null,
  };
}

export function principalOf(session: SessionState): Principal {
  const { user } = session;
  return {
    userId: user.id,
    sessionId: session.id,
    role: user.role,
    clinicIds: clinicIdsOf(user),
    ...(user.role === 'patient' ? { patientId: user.id } : {}),
  };
}

/**
 * The user each principal was loaded with (with the session, by principalFromToken), so that the
 * same request does not load them again. Keyed by the request's principal object: an entry
 * lives as long as its request.
 */
export class SignedInUsers {
  private readonly users = new WeakMap<Principal, SignedInUser>();

  constructor(private readonly repository: AccountsRepository) {}

  remember(principal: Principal, user: SignedInUser): void {
    this.users.set(principal, user);
  }

  /** The signed-in user as this request loaded them (from the database for a principal made elsewhere). */
  async of(principal: Principal): Promise<SignedInUser | null> {
    return this.users.get(principal) ?? this.repository.findById(principal.userId);
  }
}
