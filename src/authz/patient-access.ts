// What a caller may do with one patient's data, from their role and their relationship to the
// patient. A pure function: the rules, the matrix test and the audit all read it.
import type { Principal } from '../auth/principal.js';

/** The caller's ties to one patient (loaded per request, batched). */
export interface PatientTies {
  /** The caller is the patient. */
  self: boolean;
  /** The patient is in the care of one of the caller's clinics. */
  clinicCare: boolean;
  /** The caller is the clinician assigned to the patient (or has an appointment with them). */
  personalCare: boolean;
  /** The caller holds an unexpired break-the-glass grant for the patient. */
  emergency: boolean;
}

export interface PatientCapabilities {
  /** Name, date of birth, gender, language. */
  identity: boolean;
  /** National id, phone, email, address, emergency contact, insurance. */
  contact: boolean;
  /** Changing those details and the preferred language (updatePatient). */
  contactWrite: boolean;
  clinicalRead: boolean;
  clinicalWrite: boolean;
  /** Writing, signing and cancelling prescriptions: a treating doctor only (nurses record, never prescribe). */
  prescribe: boolean;
  /** Why the access is granted, for the audit trail. */
  purpose: 'normal' | 'emergency';
}

const NONE: PatientCapabilities = {
  identity: false,
  contact: false,
  contactWrite: false,
  clinicalRead: false,
  clinicalWrite: false,
  prescribe: false,
  purpose: 'normal',
};

export function patientCapabilities(principal: Principal | null, ties: PatientTies): PatientCapabilities {
  if (!principal) return NONE;
  if (ties.self) return { ...NONE, identity: true, contact: true, contactWrite: true, clinicalRead: true };
  switch (principal.role) {
    case 'doctor': {
      const treating = ties.personalCare || ties.emergency;
      // Emergency only when the access rests on the grant alone (not for routine clinic reads).
      const purpose = ties.emergency && !ties.personalCare ? 'emergency' : 'normal';
      return {
        ...NONE,
        identity: treating || ties.clinicCare,
        contact: treating,
        clinicalRead: treating,
        clinicalWrite: treating,
        prescribe: treating,
        purpose,
      };
    }
    case 'nurse': {
      const caring = ties.clinicCare || ties.emergency;
      return {
        ...NONE,
        identity: caring,
        contact: caring,
        clinicalRead: caring,
        clinicalWrite: caring,
        purpose: ties.emergency && !ties.clinicCare ? 'emergency' : 'normal',
      };
    }
    // The front desk books, calls, bills and identifies the clinic's patients (by their national id
    // card, at the counter): their contact details, insurance and national id, never clinical data.
    case 'admin':
    case 'receptionist':
      return { ...NONE, identity: ties.clinicCare, contact: ties.clinicCare, contactWrite: ties.clinicCare };
    case 'pharmacist':
    case 'lab_technician':
      return { ...NONE, identity: ties.clinicCare };
    default:
      return NONE;
  }
}
