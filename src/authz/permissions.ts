// Who may do what: one map, deny by default, merged from every module's rules (each module's
// `<name>.permissions.ts`, next to its resolvers) and the few core ones here. Every Query and
// Mutation field is listed (a test fails when one is not); types whose every field is harmless
// once reached are allowed whole, and sensitive fields carry their own rule.
import { allow, and, deny, or, rule, shield } from './shield.js';
import type { IRules } from './shield.js';
import { ForbiddenError } from '../errors/errors.js';
import type { RequestContext } from '../context/context.js';
import { resourceOf } from '../graphql/audit-reads.js';
import { parseGlobalId } from '../graphql/global-id.js';
import { NODE_KINDS } from '../graphql/node.resolver.js';
import { allModules } from '../modules/registry.js';
import type { ModulePermissions } from '../platform/module.js';
import { isAuthenticated, onPatient, patientOf } from './rules.js';

/**
 * The types anyone may refetch with node(id:): the public directory. Any other type needs a
 * signed-in caller, so that an anonymous node(id:) answers UNAUTHENTICATED whether or not the
 * object exists (a null for a missing one would tell existing ids apart). A malformed id, or one
 * of a kind no module declares, passes here and is refused by the resolver (BAD_USER_INPUT): it
 * names no object.
 */
const isPublicNode = rule({ cache: 'strict' })((_parent, args: { id?: string }) => {
  const parsed = parseGlobalId(args.id ?? '');
  const kind = parsed && NODE_KINDS.get(parsed.type);
  return !kind || kind.public;
});

/** node(id:) for anything but a patient is decided by the object's own field rules. */
const isNonPatientNode = rule({ cache: 'strict' })((_parent, args: { id?: string }) => parseGlobalId(args.id ?? '')?.type !== 'Patient');

/** The rules of the core: node(id:) and the shared types. */
const corePermissions: ModulePermissions = {
  Query: {
    node: or(isPublicNode, and(isAuthenticated, isNonPatientNode), onPatient('identity')),
  },
  PageInfo: allow,
  Money: allow,
  Address: allow,
};

type FieldRules = Record<string, unknown>;

/** A rule or a field map, as a field map ('*' for the type as a whole). */
function asFields(rules: unknown): FieldRules {
  // Rules are instances of graphql-shield's classes; a field map is a plain object.
  return typeof rules === 'object' && rules !== null && Object.getPrototypeOf(rules) === Object.prototype
    ? (rules as FieldRules)
    : { '*': rules };
}

/**
 * One map from many: a type ruled by several modules gets each one's fields; the same field (or
 * the same whole type) ruled twice is an error at start, not a silent override.
 */
export function mergePermissions(parts: Array<[owner: string, rules: ModulePermissions]>): IRules {
  const merged: Record<string, FieldRules> = {};
  const owners = new Map<string, string>();
  for (const [owner, rules] of parts) {
    for (const [type, typeRules] of Object.entries(rules)) {
      for (const [field, fieldRule] of Object.entries(asFields(typeRules))) {
        const key = `${type}.${field}`;
        const previous = owners.get(key);
        if (previous) throw new Error(`the rule of ${key} is declared by both ${previous} and ${owner}`);
        owners.set(key, owner);
        (merged[type] ??= {})[field] = fieldRule;
      }
    }
  }
  // A type with only a '*' rule is ruled as a whole (graphql-shield's shape for it).
  return Object.fromEntries(
    Object.entries(merged).map(([type, fields]) => [type, Object.keys(fields).length === 1 && '*' in fields ? fields['*'] : fields]),
  ) as IRules;
}

export const permissions: IRules = mergePermissions([
  ['core', corePermissions],
  ...allModules.map((module): [string, ModulePermissions] => [module.name, module.permissions ?? {}]),
]);

export const permissionsMiddleware = shield(permissions, {
  fallbackRule: deny,
  allowExternalErrors: false,
  // A rule's "no" is FORBIDDEN (and a refused look at a patient is audited); any error thrown
  // below passes on to the one formatter that masks.
  fallbackError: async (thrown, parent, args, shieldContext, info) => {
    if (thrown instanceof Error) return thrown;
    const context = shieldContext as unknown as RequestContext;
    const patientId = context.principal ? patientOf(parent, args as Record<string, unknown>, info) : undefined;
    // Only in the stream of a patient who exists: made-up ids must not create audit streams.
    if (typeof patientId === 'string' && (await context.loaders.patientById.load(patientId))) {
      context.patients.denied(patientId, resourceOf(info.parentType.name), info.fieldName);
    }
    return new ForbiddenError();
  },
});
