// The rules that decide who sees what. Each returns true, false (FORBIDDEN) or a typed error.
// Role rules depend only on the principal (cached per request); patient rules ask the policy in
// patient-access.ts with the caller's ties to that patient (batched per request by a DataLoader).
import { rule } from './shield.js';
import type { GraphQLResolveInfo } from 'graphql';
import type { Role } from '../auth/principal.js';
import type { RequestContext } from '../context/context.js';
import { BadUserInputError, UnauthenticatedError } from '../errors/errors.js';
import { parseGlobalId } from '../graphql/global-id.js';
import type { PatientCapabilities } from './patient-access.js';

type Rule = ReturnType<ReturnType<typeof rule>>;
const named = new Map<string, Rule>();

/** graphql-shield wants one instance per rule name. */
function once(name: string, make: () => Rule): Rule {
  let found = named.get(name);
  if (!found) named.set(name, (found = make()));
  return found;
}

export const isAuthenticated = rule({ cache: 'contextual' })((_parent, _args, context: RequestContext) =>
  context.principal ? true : new UnauthenticatedError(),
);

/** The caller holds one of `roles`. */
export function hasRole(...roles: Role[]): Rule {
  const name = `hasRole:${[...roles].sort().join(',')}`;
  return once(name, () =>
    rule(name, { cache: 'contextual' })((_parent, _args, context: RequestContext) => {
      if (!context.principal) return new UnauthenticatedError();
      return roles.includes(context.principal.role);
    }),
  );
}

/** The patient a field is about: its parent object, or the `id` / `patientId` argument of a root field. */
export function patientOf(parent: unknown, args: Record<string, unknown>, info: GraphQLResolveInfo): string | BadUserInputError {
  const owner = parent as { dbId?: string; patientDbId?: string } | undefined;
  if (info.parentType.name === 'Patient' && owner?.dbId) return owner.dbId;
  if (owner?.patientDbId) return owner.patientDbId;
  const argument = typeof args.patientId === 'string' ? 'patientId' : 'id';
  const parsed = parseGlobalId(String(args[argument] ?? ''));
  if (!parsed || parsed.type !== 'Patient') return new BadUserInputError([{ path: [argument], message: 'must be a Patient id' }]);
  return parsed.id;
}

const patientRules = new WeakSet<object>();

/** The caller may do `capability` with the patient the field is about (see patient-access.ts). */
export function onPatient(capability: Exclude<keyof PatientCapabilities, 'purpose'>): Rule {
  const name = `patient:${capability}`;
  // No shield cache: the ties are cached per request by the DataLoader, without hashing parents.
  return once(name, () => {
    const made = rule(name, { cache: 'no_cache' })(async (parent, args, context: RequestContext, info) => {
      if (!context.principal) return new UnauthenticatedError();
      const patientId = patientOf(parent, args, info);
      if (patientId instanceof BadUserInputError) return patientId;
      return context.patients.can(patientId, capability);
    });
    patientRules.add(made);
    return made;
  });
}

/** Whether a rule is one of onPatient's: what it guards is a patient's data. */
export function isPatientRule(candidate: unknown): boolean {
  return typeof candidate === 'object' && candidate !== null && patientRules.has(candidate);
}

/** An appointment is seen by its patient and by the staff of its clinic (its doctor among them). */
export const canSeeAppointment = rule({ cache: 'no_cache' })((
  parent: { patientDbId?: string; clinicDbId?: string },
  _args,
  context: RequestContext,
) => {
  const principal = context.principal;
  if (!principal) return new UnauthenticatedError();
  return (
    principal.patientId === parent.patientDbId || (principal.role !== 'patient' && principal.clinicIds.includes(parent.clinicDbId ?? ''))
  );
});

/** The caller is an admin of the clinic the field belongs to (its parent). */
export const administersClinic = rule({ cache: 'no_cache' })((parent: { dbId?: string }, _args, context: RequestContext) => {
  const principal = context.principal;
  if (!principal) return new UnauthenticatedError();
  return principal.role === 'admin' && principal.clinicIds.includes(parent.dbId ?? '');
});
