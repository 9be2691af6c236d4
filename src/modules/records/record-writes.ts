// How every write of a patient's record starts and runs: whose record, who writes, and the write
// itself through the patient scope (checked, audited first: no audit, no write; a failure audited too).
import type { RequestContext } from '../../context/context.js';
import { UnauthenticatedError } from '../../errors/errors.js';
import { idOf } from '../../graphql/global-id.js';

export interface WriteTarget {
  /** The patient's database id. */
  patient: string;
  /** Who is writing (their user id). */
  actor: string;
}

/**
 * The patient's database id and who is writing. The schema's rule (clinicalWrite on the patient)
 * has already refused a patient the caller does not treat, an unknown one among them.
 */
export function writeTarget(context: RequestContext, patientId: string): WriteTarget {
  if (!context.principal) throw new UnauthenticatedError();
  return { patient: idOf('Patient', patientId, ['patientId']), actor: context.principal.userId };
}

/** Writes through the patient scope; the request's copy of the record is dropped afterwards, whatever happened. */
export async function auditedWrite<T>(
  context: RequestContext,
  target: { patient: string },
  resource: string,
  fields: string[],
  action: 'create' | 'update',
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await context.patients.write({ patientId: target.patient, resource, fields, action, requires: 'clinicalWrite' }, write);
  } finally {
    context.loaders.recordByPatientId.clear(target.patient);
  }
}
