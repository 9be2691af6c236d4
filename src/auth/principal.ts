// Who is asking: derived from a verified access token, never from anything the client asserts.
import type { Role } from './roles.js';

export type { Role } from './roles.js';

export interface Principal {
  userId: string;
  /** The sign-in this request belongs to (what logout ends). */
  sessionId: string;
  role: Role;
  /** Clinics the user works in (empty for patients). */
  clinicIds: readonly string[];
  /** Set when the user is a patient: their own patient id. */
  patientId?: string;
}
