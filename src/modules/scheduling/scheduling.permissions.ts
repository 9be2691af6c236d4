// Scheduling: slots and appointment types are public; views check the caller's place against
// the doctor or clinic; each step of an appointment checks, against the appointment, that the
// caller's role may take it.
import { canSeeAppointment, hasRole, isAuthenticated, onPatient } from '../../authz/rules.js';
import { allow } from '../../authz/shield.js';
import type { ModulePermissions } from '../../platform/module.js';

export const schedulingPermissions: ModulePermissions = {
  Query: {
    appointmentTypes: allow,
    availableSlots: allow,
    doctorSchedule: isAuthenticated,
    myAppointments: isAuthenticated,
    clinicAppointments: isAuthenticated,
  },
  Mutation: {
    // Each checks the caller administers the type's clinic.
    createAppointmentType: hasRole('admin'),
    updateAppointmentType: hasRole('admin'),
    deactivateAppointmentType: hasRole('admin'),
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
  },
  // joinInfo (the meeting link) included: the patient and the staff of the appointment's clinic.
  Appointment: { '*': canSeeAppointment, encounter: onPatient('clinicalRead') },
  JoinInfo: allow,
  AppointmentConnection: allow,
  AppointmentEdge: allow,
  AppointmentType: allow,
  Slot: allow,
  // A doctor's hours: the doctor and the staff of their clinics (the service narrows to shared clinics).
  Doctor: { weeklyAvailability: isAuthenticated, availabilityExceptions: isAuthenticated },
  WeeklyWindow: allow,
  ClockRange: allow,
  AvailabilityException: allow,
};
