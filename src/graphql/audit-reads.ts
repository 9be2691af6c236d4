// Records every field of a patient's data that a request resolves, for the audit trail (the
// middleware sits inside the permission rules, so only permitted reads count as reads).
import type { GraphQLResolveInfo } from 'graphql';
import type { IMiddlewareFunction } from 'graphql-middleware';
import type { RequestContext } from '../context/context.js';

type Parent = { dbId?: string; patientDbId?: string };

function recordReads(resource: 'Patient' | 'MedicalHistory' | 'Encounter', patientOf: (parent: Parent) => string | undefined): IMiddlewareFunction {
  return async (resolve, parent: Parent, args, context: RequestContext, info: GraphQLResolveInfo) => {
    const value = await resolve(parent, args, context, info);
    const patientId = patientOf(parent);
    if (patientId && info.fieldName !== 'id' && !(value instanceof Error)) {
      const { purpose } = await context.services.care.capabilities(context, patientId);
      context.audit.read(patientId, resource, info.fieldName, purpose);
    }
    return value;
  };
}

export const auditReadsMiddleware = {
  Patient: recordReads('Patient', (patient) => patient.dbId),
  MedicalHistory: recordReads('MedicalHistory', (history) => history.patientDbId),
  Encounter: recordReads('Encounter', (encounter) => encounter.patientDbId),
};
