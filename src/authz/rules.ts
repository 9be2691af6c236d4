// The rules that decide who sees what. Each returns true, false (FORBIDDEN) or a typed error.
// Role rules depend only on the principal (cached per request); rules on arguments per call.
import { rule } from 'graphql-shield';
import type { Role } from '../auth/principal.js';
import type { RequestContext } from '../context/context.js';
import { UnauthenticatedError } from '../errors/errors.js';
import { parseGlobalId } from '../graphql/global-id.js';

export const isAuthenticated = rule({ cache: 'contextual' })((_parent, _args, context: RequestContext) =>
  context.principal ? true : new UnauthenticatedError(),
);

const roleRules = new Map<string, ReturnType<ReturnType<typeof rule>>>();

/** The caller holds one of `roles` (one rule instance per set of roles, as graphql-shield requires). */
export function hasRole(...roles: Role[]) {
  const name = `hasRole:${[...roles].sort().join(',')}`;
  let found = roleRules.get(name);
  if (!found) {
    found = rule(name, { cache: 'contextual' })((_parent, _args, context: RequestContext) => {
      if (!context.principal) return new UnauthenticatedError();
      return roles.includes(context.principal.role);
    });
    roleRules.set(name, found);
  }
  return found;
}

/** The patient named by the `id` argument is the caller. */
export const isPatientInArgs = rule({ cache: 'strict' })((_parent, args: { id?: string; patientId?: string }, context: RequestContext) => {
  const parsed = parseGlobalId(args.id ?? args.patientId ?? '');
  return Boolean(context.principal?.patientId && parsed?.type === 'Patient' && parsed.id === context.principal.patientId);
});

/** The patient whose field is being read is the caller. */
export const isPatientSelf = rule({ cache: 'strict' })((parent: { dbId?: string }, _args, context: RequestContext) =>
  Boolean(context.principal?.patientId && parent.dbId === context.principal.patientId),
);

/** node(id:) for anything but a patient is directory data. */
export const isNonPatientNode = rule({ cache: 'strict' })((_parent, args: { id?: string }) => parseGlobalId(args.id ?? '')?.type !== 'Patient');
