// Staff accounts, managed by clinic admins: an admin adds staff to a clinic they administer (the
// person sets a password from the emailed link), and suspends or reactivates them.
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../auth/principal.js';
import { isStaffRole } from '../../auth/roles.js';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../../errors/errors.js';
import { idOf, toGlobalId } from '../../graphql/global-id.js';
import { UniqueViolation } from '../../platform/prisma-errors.js';
import type { RequestAudit } from '../audit/index.js';
import { normaliseEmail } from './account-checks.js';
import type { AccountRow, AccountsRepository } from './accounts.repository.js';
import { AccountStatus, type CreateStaffAccountInput, type StaffAccount } from './accounts.types.js';
import { SET_UP_STAFF_ACCOUNT, type EmailedLinks } from './emailed-links.js';

export class StaffAccountsService {
  constructor(
    private readonly repository: AccountsRepository,
    private readonly links: EmailedLinks,
  ) {}

  /** A clinic admin adds staff to their clinic; the person sets a password from the emailed link. */
  async create(principal: Principal, input: CreateStaffAccountInput, audit: RequestAudit): Promise<StaffAccount> {
    const clinicId = idOf('Clinic', input.clinicId, ['input', 'clinicId']);
    const role = input.role;
    // Input validation has refused PATIENT already; this narrows the type.
    if (!isStaffRole(role)) throw new BadUserInputError([{ path: ['input', 'role'], message: 'role must be a staff role' }]);
    if (!(await this.repository.adminClinics(principal.userId)).includes(clinicId))
      throw new ForbiddenError('You can only add staff to a clinic you administer.');
    const email = normaliseEmail(input.email);
    const fields = ['email', 'role', 'clinicId', 'firstName', 'lastName', ...(input.phone ? ['phone'] : [])];
    const id = randomUUID();
    let user: AccountRow;
    try {
      user = await audit.around(id, 'User', fields, 'create', 'normal', () =>
        this.repository.create({
          id,
          email,
          phone: input.phone ?? null,
          role: input.role,
          profile: { firstName: input.firstName.trim(), lastName: input.lastName.trim() },
          membership: { clinicId, role },
        }),
      );
    } catch (error) {
      // Not which detail clashed: that would say who has an account anywhere on the platform.
      if (error instanceof UniqueViolation) throw new ConflictError('An account with some of these details already exists.');
      throw error;
    }
    await this.links.send(SET_UP_STAFF_ACCOUNT, user.id, email);
    return { id: toGlobalId('User', user.id), email, role: input.role, status: AccountStatus.PENDING_VERIFICATION };
  }

  /** Suspends (or reactivates) a staff member of a clinic the caller administers; suspension ends their sessions. */
  async setSuspended(principal: Principal, userGlobalId: string, suspended: boolean, audit: RequestAudit): Promise<boolean> {
    const userId = idOf('User', userGlobalId, ['userId']);
    if (userId === principal.userId) throw new ForbiddenError('You cannot change your own account this way.');
    const [administered, user] = await Promise.all([this.repository.adminClinics(principal.userId), this.repository.findById(userId)]);
    // Someone outside the caller's clinics is "not found": the caller learns nothing about them.
    if (!user || !user.staffMemberships.some((membership) => administered.includes(membership.clinicId)))
      throw new NotFoundError('Staff member');
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
