// A clinic's staff list: for the clinic's admins only (names, roles and account statuses are not
// directory data), never another clinic's staff.
import type { RequestContext } from '../../context/context.js';
import { BadUserInputError, ForbiddenError } from '../../errors/errors.js';
import { cursorShape, decodeCursor, encodeCursor, part, toPage, type Page } from '../../graphql/connection.js';
import { toGlobalId } from '../../graphql/global-id.js';
import { isStaffRole } from '../../auth/roles.js';
import type { AccountsRepository } from './accounts.repository.js';
import type { AccountStatus, RoleName } from './accounts.types.js';
import type { StaffMember } from './clinic-staff.types.js';

/** Staff are listed by (last name, first name, user id). */
const STAFF_CURSOR = cursorShape(part.text, part.text, part.uuid);

export class ClinicStaffService {
  constructor(private readonly repository: AccountsRepository) {}

  async list(
    context: RequestContext,
    clinicId: string,
    role: RoleName | null | undefined,
    first: number,
    after: string | null | undefined,
  ): Promise<Page<StaffMember>> {
    const principal = context.principal;
    if (principal?.role !== 'admin' || !principal.clinicIds.includes(clinicId))
      throw new ForbiddenError("A clinic's staff list is for its admins.");
    if (role && !isStaffRole(role)) throw new BadUserInputError([{ path: ['role'], message: 'must be a staff role' }]);
    const staffRole = role && isStaffRole(role) ? role : undefined;
    const key = after ? decodeCursor(after, STAFF_CURSOR) : undefined;
    const rows = await this.repository.staffPage(clinicId, staffRole, key, first + 1);
    return toPage(
      rows,
      first,
      Boolean(after),
      (row) => encodeCursor([row.lastName, row.firstName, row.userId]),
      (row) => ({
        id: toGlobalId('User', row.userId),
        firstName: row.firstName,
        lastName: row.lastName,
        role: row.role,
        status: row.status as AccountStatus,
        joinedAt: row.joinedAt,
      }),
      () => this.repository.staffCount(clinicId, staffRole),
    );
  }
}
