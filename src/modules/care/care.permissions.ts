// Care relationships and break-the-glass access.
import { hasRole } from '../../authz/rules.js';
import { allow } from '../../authz/shield.js';
import type { ModulePermissions } from '../../platform/module.js';

export const carePermissions: ModulePermissions = {
  Query: {
    // Break-the-glass grants of a clinic: its admins (the service checks the clinic is theirs).
    emergencyAccessGrants: hasRole('admin'),
  },
  Mutation: {
    requestEmergencyAccess: hasRole('doctor', 'nurse'),
    assignCareTeamMember: hasRole('admin', 'receptionist'),
  },
  EmergencyAccessGrant: allow,
  EmergencyAccessGrantConnection: allow,
  EmergencyAccessGrantEdge: allow,
};
