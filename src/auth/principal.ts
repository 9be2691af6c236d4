// Who is asking: derived from a verified access token, never from anything the client asserts.
export type Role = 'admin' | 'doctor' | 'nurse' | 'receptionist' | 'pharmacist' | 'lab_technician' | 'patient';

export const CLINICAL_ROLES: ReadonlySet<Role> = new Set(['doctor', 'nurse']);
export const STAFF_ROLES: ReadonlySet<Role> = new Set(['admin', 'doctor', 'nurse', 'receptionist', 'pharmacist', 'lab_technician']);

export interface Principal {
  userId: string;
  role: Role;
  /** Clinics the user works in (empty for patients). */
  clinicIds: readonly string[];
  /** Set when the user is a patient: their own patient id. */
  patientId?: string;
}
