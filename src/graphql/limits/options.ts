// The limits on one operation, with their defaults: depth, aliases and directives are enforced by
// GraphQL Armor (armor.ts), tokens by graphql-js's parser, the cost budgets by us (plugin.ts). Budgets are per role:
// every role must have one (a new role fails to compile until it gets a budget), and a caller
// without a token is `anonymous`. The anonymous budget admits the public directory's own operation at its largest
// page (DoctorDirectory, first: 100, costs 2302) with room to grow; test/api/limits.int.test.ts
// checks every operation in operations/ against it.
import type { Role } from '../../auth/principal.js';

type CostBudgets = Readonly<Record<Role | 'anonymous', number>>;

export interface QueryLimits {
  /** Levels of nested fields, fragments expanded (`{ clinics { id } }` is 2). */
  maxDepth: number;
  /** Aliased fields, fragments expanded (a fragment spread twice counts twice). */
  maxAliases: number;
  /** Directives (`@include`, `@skip`...) in the document, fragments expanded. */
  maxDirectives: number;
  /** Lexical tokens in the document (comments do not count); enforced while parsing. */
  maxTokens: number;
  /** Assumed length of a list field without a `first`/`last` argument. */
  defaultListSize: number;
  /** Cost of a scalar or enum field (objects cost 1); 1 makes every field count. */
  scalarCost: number;
  budgets: CostBudgets;
  /** Introspection is on (outside production): `__schema` is exempt from the depth limit, introspection-only operations from cost. */
  introspection: boolean;
}

export const DEFAULT_LIMITS: Readonly<QueryLimits> = Object.freeze({
  maxDepth: 12,
  maxAliases: 30,
  // A long form with @include or @skip on each field stays well under it; tokens would allow ~800.
  maxDirectives: 250,
  maxTokens: 5000,
  defaultListSize: 10,
  scalarCost: 0,
  budgets: Object.freeze({
    anonymous: 3000,
    patient: 6000,
    admin: 15000,
    doctor: 15000,
    nurse: 15000,
    receptionist: 15000,
    pharmacist: 15000,
    lab_technician: 15000,
  }),
  introspection: false,
});
