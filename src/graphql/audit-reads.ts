// Records every field of a patient's data that a request resolves, for the audit trail (the
// middleware sits inside the permission rules, so only permitted reads count as reads).
import type { GraphQLResolveInfo } from 'graphql';
import type { IMiddlewareFunction } from '../authz/shield.js';
import type { RequestContext } from '../context/context.js';

type Parent = { dbId?: string; patientDbId?: string };

/**
 * What the audit trail calls the thing a field belongs to: its parent type (Patient,
 * MedicalHistory, Appointment, ...); a root field (patient(id:), a mutation) is about the patient.
 * Reads and refused reads (authz/permissions.ts) both name resources this way.
 */
export function resourceOf(parentType: string): string {
  return parentType === 'Query' || parentType === 'Mutation' ? 'Patient' : parentType;
}

function recordReads(patientOf: (parent: Parent) => string | undefined): IMiddlewareFunction {
  return async (resolve, parent: Parent, args, context: RequestContext, info: GraphQLResolveInfo) => {
    const value = await resolve(parent, args, context, info);
    const patientId = patientOf(parent);
    if (patientId && info.fieldName !== 'id' && !(value instanceof Error)) {
      const { purpose } = await context.services.care.capabilities(context, patientId);
      context.audit.read(patientId, resourceOf(info.parentType.name), info.fieldName, purpose);
    }
    return value;
  };
}

export const auditReadsMiddleware = {
  Patient: recordReads((patient) => patient.dbId),
  MedicalHistory: recordReads((history) => history.patientDbId),
  Encounter: recordReads((encounter) => encounter.patientDbId),
  // The reason a clinician gave may describe the patient's condition.
  EmergencyAccessGrant: recordReads((grant) => grant.patientDbId),
};
