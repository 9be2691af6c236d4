// The doctor directory is public; profiles are managed by the admins of the doctor's clinics.
import { hasRole } from '../../authz/rules.js';
import { allow } from '../../authz/shield.js';
import type { ModulePermissions } from '../../platform/module.js';

export const doctorsPermissions: ModulePermissions = {
  Query: {
    doctors: allow,
    doctor: allow,
    specialties: allow,
  },
  Mutation: {
    // Each checks the caller administers the doctor's clinics.
    createDoctorProfile: hasRole('admin'),
    updateDoctorProfile: hasRole('admin'),
  },
  // A doctor's hours (from scheduling) carry their own rules.
  Doctor: { '*': allow },
  Specialty: allow,
  DoctorConnection: allow,
  DoctorEdge: allow,
};
