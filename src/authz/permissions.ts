// Who may do what: one map, deny by default. Every Query and Mutation field is listed (a test
// fails when one is not); types whose every field is harmless once reached are allowed whole,
// and sensitive fields carry their own rule.
import { allow, and, deny, or, shield } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import { ForbiddenError } from '../errors/errors.js';
import { hasRole, isAuthenticated, isNonPatientNode, isPatientInArgs, isPatientSelf } from './rules.js';

/** Doctors and nurses: clinical content. */
const clinician = hasRole('doctor', 'nurse');
/** Staff who need patient demographics (front desk, clinicians, clinic admins). */
const patientDesk = hasRole('doctor', 'nurse', 'receptionist', 'admin');

export const permissions: IRules = {
  Query: {
    viewer: isAuthenticated,
    clinics: allow,
    clinic: allow,
    doctors: allow,
    doctor: allow,
    patient: and(isAuthenticated, or(isPatientInArgs, patientDesk)),
    node: or(isNonPatientNode, and(isAuthenticated, or(isPatientInArgs, patientDesk))),
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
    registerPatient: hasRole('receptionist', 'admin', 'doctor', 'nurse'),
    recordAllergy: clinician,
    recordChronicCondition: clinician,
    recordImmunization: clinician,
    recordSurgery: clinician,
    recordFamilyHistory: clinician,
    setBloodType: clinician,
    updateSocialHistory: clinician,
  },
  Patient: {
    '*': allow,
    medicalHistory: or(isPatientSelf, clinician),
  },
  Viewer: allow,
  AuthPayload: allow,
  StaffAccount: allow,
  Clinic: allow,
  Coordinates: allow,
  OpeningHours: allow,
  Address: allow,
  Doctor: allow,
  Specialty: allow,
  Money: allow,
  PageInfo: allow,
  DoctorConnection: allow,
  DoctorEdge: allow,
  EmergencyContact: allow,
  MedicalHistory: allow,
  Allergy: allow,
  ChronicCondition: allow,
  Immunization: allow,
  Surgery: allow,
  FamilyHistoryEntry: allow,
  SocialHistory: allow,
};

export const permissionsMiddleware = shield(permissions, {
  fallbackRule: deny,
  allowExternalErrors: false,
  // A rule's "no" is FORBIDDEN; any error thrown below passes on to the one formatter that masks.
  fallbackError: async (thrown) => (thrown instanceof Error ? thrown : new ForbiddenError()),
});
