// The roles: one definition, the database's (prisma/schema.prisma's `UserRole`, which PostgreSQL
// enforces). Everything else is derived from it: the staff roles (a clinic role is any role but
// patient; the database's `StaffRole` must agree, checked below when this compiles), and the
// GraphQL enum `Role`, the same values named in capitals.
import { UserRole, type StaffRole as DatabaseStaffRole } from '../generated/prisma/enums.js';

export type Role = UserRole;

export const ROLES: readonly Role[] = Object.values(UserRole);

/** What a user does inside one clinic. */
export type StaffRole = Exclude<Role, 'patient'>;

export const STAFF_ROLES: readonly StaffRole[] = ROLES.filter((role): role is StaffRole => role !== 'patient');

/** The GraphQL enum's values: ADMIN for 'admin', and so on. */
export const RoleName = Object.fromEntries(ROLES.map((role) => [role.toUpperCase(), role])) as { readonly [R in Role as Uppercase<R>]: R };

/** A role as the graph names it (the same strings as the database's). */
export type RoleName = Role;

// The database's staff_role enum and the user roles but patient must be the same set.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const staffRolesAgree: Same<DatabaseStaffRole, StaffRole> = true;
void staffRolesAgree;

export function isStaffRole(role: Role): role is StaffRole {
  return role !== 'patient';
}
