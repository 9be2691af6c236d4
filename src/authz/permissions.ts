// Who may do what: one map, deny by default. Every Query and Mutation field is listed (a test
// fails when one is not); types whose every field is harmless once reached are allowed whole,
// and sensitive fields carry their own rule.
import { allow, and, deny, or, shield } from './shield.js';
import type { IRules } from './shield.js';
import { ForbiddenError } from '../errors/errors.js';
import type { RequestContext } from '../context/context.js';
import { resourceOf } from '../graphql/audit-reads.js';
import { administersClinic, canSeeAppointment, hasRole, isAuthenticated, isNonPatientNode, isPublicNode, onPatient, patientOf } from './rules.js';

/** Contact details: the patient, their care team and their clinic's front desk (receptionists, admins). */
const contact = onPatient('contact');

export const permissions: IRules = {
  Query: {
    viewer: isAuthenticated,
    notificationPreferences: isAuthenticated,
    clinics: allow,
    clinic: allow,
    doctors: allow,
    doctor: allow,
    specialties: allow,
    patient: onPatient('identity'),
    // The service checks the caller works at the clinic, and who may search by phone or national id.
    patients: hasRole('receptionist', 'admin', 'nurse', 'doctor', 'pharmacist', 'lab_technician'),
    // The audit trail: admins of a clinic caring for the patient; the patient sees who viewed them.
    verifyAuditChain: and(hasRole('admin'), onPatient('identity')),
    auditTrail: and(hasRole('admin'), onPatient('identity')),
    whoViewedMyRecord: hasRole('patient'),
    // Break-the-glass grants of a clinic: its admins (the service checks the clinic is theirs).
    emergencyAccessGrants: hasRole('admin'),
    // Scheduling: slots are public; views check the caller's place against the doctor or clinic.
    appointmentTypes: allow,
    availableSlots: allow,
    doctorSchedule: isAuthenticated,
    myAppointments: isAuthenticated,
    clinicAppointments: isAuthenticated,
    node: or(isPublicNode, and(isAuthenticated, isNonPatientNode), onPatient('identity')),
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
    setNotificationPreferences: isAuthenticated,
    // Clinic administration; the service checks the caller administers the clinic concerned.
    createStaffAccount: hasRole('admin'),
    suspendUser: hasRole('admin'),
    reactivateUser: hasRole('admin'),
    // Each checks the caller administers the clinics concerned (the doctor's, the type's).
    createDoctorProfile: hasRole('admin'),
    updateDoctorProfile: hasRole('admin'),
    createAppointmentType: hasRole('admin'),
    updateAppointmentType: hasRole('admin'),
    deactivateAppointmentType: hasRole('admin'),
    registerPatient: hasRole('receptionist', 'admin', 'doctor', 'nurse'),
    updatePatient: onPatient('contactWrite'),
    recordAllergy: onPatient('clinicalWrite'),
    recordChronicCondition: onPatient('clinicalWrite'),
    recordImmunization: onPatient('clinicalWrite'),
    recordSurgery: onPatient('clinicalWrite'),
    recordFamilyHistory: onPatient('clinicalWrite'),
    setBloodType: onPatient('clinicalWrite'),
    updateSocialHistory: onPatient('clinicalWrite'),
    updateAllergy: onPatient('clinicalWrite'),
    updateChronicCondition: onPatient('clinicalWrite'),
    updateImmunization: onPatient('clinicalWrite'),
    updateSurgery: onPatient('clinicalWrite'),
    updateFamilyHistory: onPatient('clinicalWrite'),
    markHistoryEntryEnteredInError: onPatient('clinicalWrite'),
    requestEmergencyAccess: hasRole('doctor', 'nurse'),
    // Each step checks, against the appointment, that the caller's role may take it.
    bookAppointment: isAuthenticated,
    confirmAppointment: isAuthenticated,
    checkInAppointment: isAuthenticated,
    startConsultation: isAuthenticated,
    completeAppointment: isAuthenticated,
    cancelAppointment: isAuthenticated,
    markNoShow: isAuthenticated,
    rescheduleAppointment: isAuthenticated,
    setWeeklyAvailability: hasRole('doctor', 'admin'),
    addAvailabilityException: hasRole('doctor', 'admin'),
    recordVitals: hasRole('doctor', 'nurse'),
    assignCareTeamMember: hasRole('admin', 'receptionist'),
  },
  // Every field of a patient is checked against the caller's ties to that patient, wherever the
  // patient is reached from (patient(id:), node(id:), a mutation's result, a nested edge).
  Patient: {
    '*': onPatient('identity'),
    nationalId: contact,
    email: contact,
    phone: contact,
    address: contact,
    emergencyContact: contact,
    insurance: contact,
    medicalHistory: onPatient('clinicalRead'),
    encounters: onPatient('clinicalRead'),
  },
  // viewer.patient is a Patient: its fields carry the patient rules wherever it is reached from.
  Viewer: allow,
  ClinicMembership: allow,
  NotificationPreferences: allow,
  // joinInfo (the meeting link) included: the patient and the staff of the appointment's clinic.
  Appointment: { '*': canSeeAppointment, encounter: onPatient('clinicalRead') },
  JoinInfo: allow,
  // Reached from a patient, an appointment or node(id:): every field checks the patient's clinical access.
  Encounter: onPatient('clinicalRead'),
  EncounterConnection: allow,
  EncounterEdge: allow,
  Vitals: allow,
  Diagnosis: allow,
  AppointmentConnection: allow,
  AppointmentEdge: allow,
  AppointmentType: allow,
  Slot: allow,
  EmergencyAccessGrant: allow,
  EmergencyAccessGrantConnection: allow,
  EmergencyAccessGrantEdge: allow,
  AuditVerification: allow,
  AuditEntry: allow,
  Actor: allow,
  AuditEntryConnection: allow,
  AuditEntryEdge: allow,
  RecordView: allow,
  RecordViewConnection: allow,
  RecordViewEdge: allow,
  AuthPayload: allow,
  StaffAccount: allow,
  // The staff list is for the clinic's admins; the rest of a clinic is directory data.
  Clinic: { '*': allow, staff: administersClinic },
  StaffMember: allow,
  StaffMemberConnection: allow,
  StaffMemberEdge: allow,
  Coordinates: allow,
  OpeningHours: allow,
  Address: allow,
  // A doctor's hours: the doctor and the staff of their clinics (the service narrows to shared clinics).
  Doctor: { '*': allow, weeklyAvailability: isAuthenticated, availabilityExceptions: isAuthenticated },
  WeeklyWindow: allow,
  ClockRange: allow,
  AvailabilityException: allow,
  Specialty: allow,
  Money: allow,
  PageInfo: allow,
  DoctorConnection: allow,
  DoctorEdge: allow,
  EmergencyContact: allow,
  Insurance: allow,
  PatientConnection: allow,
  PatientEdge: allow,
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
  // A rule's "no" is FORBIDDEN (and a refused look at a patient is audited); any error thrown
  // below passes on to the one formatter that masks.
  fallbackError: async (thrown, parent, args, shieldContext, info) => {
    if (thrown instanceof Error) return thrown;
    const context = shieldContext as unknown as RequestContext;
    const patientId = context.principal ? patientOf(parent, args as Record<string, unknown>, info) : undefined;
    // Only in the stream of a patient who exists: made-up ids must not create audit streams.
    if (typeof patientId === 'string' && (await context.loaders.patientById.load(patientId))) {
      context.audit.read(patientId, resourceOf(info.parentType.name), info.fieldName, 'normal', 'denied');
    }
    return new ForbiddenError();
  },
});
