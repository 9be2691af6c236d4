// Records every field of a patient's data that a request resolves, for the audit trail (the
// middleware sits inside the permission rules, so only permitted reads count as reads).
import type { GraphQLResolveInfo } from 'graphql';
import type { IMiddlewareFunction } from '../authz/shield.js';
import type { RequestContext } from '../context/context.js';
import { allModules } from '../modules/registry.js';
import { mergeDeclarations } from '../platform/module.js';

/**
 * What the audit trail calls the thing a field belongs to: its parent type (Patient,
 * MedicalHistory, Appointment, ...); a root field (patient(id:), a mutation) is about the patient.
 * Reads and refused reads (authz/permissions.ts) both name resources this way.
 */
export function resourceOf(parentType: string): string {
  return parentType === 'Query' || parentType === 'Mutation' ? 'Patient' : parentType;
}

function recordReads(patientOf: (parent: unknown) => string | undefined): IMiddlewareFunction {
  return async (resolve, parent: unknown, args, context: RequestContext, info: GraphQLResolveInfo) => {
    const value = await resolve(parent, args, context, info);
    const patientId = patientOf(parent);
    if (patientId && info.fieldName !== 'id' && !(value instanceof Error))
      await context.patients.read(patientId, resourceOf(info.parentType.name), info.fieldName);
    return value;
  };
}

/** The types that hold a patient's data, as the modules declare them, with how to find the patient. */
export const PATIENT_DATA_TYPES: ReadonlyMap<string, (parent: unknown) => string | undefined> = new Map(
  Object.entries(
    mergeDeclarations(
      'patient-data type',
      allModules.map((module) => [module.name, module.patientData as Record<string, (parent: unknown) => string | undefined> | undefined]),
    ),
  ),
);

export const auditReadsMiddleware = Object.fromEntries([...PATIENT_DATA_TYPES].map(([type, patientOf]) => [type, recordReads(patientOf)]));
