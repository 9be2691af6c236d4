// Who may use the accounts module's fields (merged into the one deny-by-default map).
import { administersClinic, hasRole, isAuthenticated } from '../../authz/rules.js';
import { allow } from '../../authz/shield.js';
import type { ModulePermissions } from '../../platform/module.js';

export const accountsPermissions: ModulePermissions = {
  Query: {
    viewer: isAuthenticated,
  },
  Mutation: {
    // Signing in and recovering an account are open to anyone; each is throttled or needs a secret.
    register: allow,
    verifyEmail: allow,
    login: allow,
    refreshToken: allow,
    requestPasswordReset: allow,
    resetPassword: allow,
    requestEmailVerification: isAuthenticated,
    requestPhoneVerification: isAuthenticated,
    verifyPhone: isAuthenticated,
    logout: isAuthenticated,
    logoutEverywhere: isAuthenticated,
    // Clinic administration; the service checks the caller administers the clinic concerned.
    createStaffAccount: hasRole('admin'),
    suspendUser: hasRole('admin'),
    reactivateUser: hasRole('admin'),
  },
  // viewer.patient is a Patient: its fields carry the patient rules wherever it is reached from.
  Viewer: allow,
  ClinicMembership: allow,
  AuthPayload: allow,
  StaffAccount: allow,
  Actor: allow,
  // The staff list is for the clinic's admins.
  Clinic: { staff: administersClinic },
  StaffMember: allow,
  StaffMemberConnection: allow,
  StaffMemberEdge: allow,
};
