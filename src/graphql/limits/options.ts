// The limits on one operation, with their defaults. Budgets are per role: every role must have
// one (a new role fails to compile until it gets a budget), and a caller without a token is
// `anonymous`. The anonymous budget admits the public directory's own operation at its largest
// page (DoctorDirectory, first: 100, costs 2302) with room to grow; test/api/limits.int.test.ts
// checks every operation in operations/ against it.
import type { Role } from '../../auth/principal.js';

export type CostBudgets = Readonly<Record<Role | 'anonymous', number>>;

export const DEFAULT_BUDGETS: CostBudgets = Object.freeze({
  anonymous: 3000,
  patient: 6000,
  admin: 15000,
  doctor: 15000,
  nurse: 15000,
  receptionist: 15000,
  pharmacist: 15000,
  lab_technician: 15000,
});

export interface QueryLimits {
  /** Levels of nested fields, fragments expanded (`{ clinics { id } }` is 2). */
  maxDepth: number;
  /** Aliased fields, fragments expanded (a fragment spread twice counts twice). */
  maxAliases: number;
  /** Lexical tokens in the document (comments do not count); enforced while parsing. */
  maxTokens: number;
  /** Assumed length of a list field without a `first`/`last` argument. */
  defaultListSize: number;
  /** Cost of a scalar or enum field (objects cost 1); 1 makes every field count. */
  scalarCost: number;
  budgets: CostBudgets;
  /** Introspection is on (outside production): introspection-only operations skip depth and cost. */
  introspection: boolean;
}

export type QueryLimitOptions = Partial<Omit<QueryLimits, 'budgets'>> & { budgets?: Partial<CostBudgets> };

export const DEFAULT_LIMITS: Readonly<QueryLimits> = Object.freeze({
  maxDepth: 12,
  maxAliases: 30,
  maxTokens: 5000,
  defaultListSize: 10,
  scalarCost: 0,
  budgets: DEFAULT_BUDGETS,
  introspection: false,
});

/** Defaults filled in and every number checked, so a bad setting stops the server at start. */
export function resolveQueryLimits(options: QueryLimitOptions = {}): QueryLimits {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const budgets = { ...DEFAULT_BUDGETS, ...Object.fromEntries(Object.entries(options.budgets ?? {}).filter(([, value]) => value !== undefined)) };
  const limits: QueryLimits = { ...DEFAULT_LIMITS, ...defined, budgets: Object.freeze(budgets) };
  const numbers: Array<[string, number]> = [
    ['maxDepth', limits.maxDepth],
    ['maxAliases', limits.maxAliases],
    ['maxTokens', limits.maxTokens],
    ['defaultListSize', limits.defaultListSize],
    ['scalarCost', limits.scalarCost],
    ...Object.entries(budgets).map(([role, budget]): [string, number] => [`budgets.${role}`, budget]),
  ];
  for (const [name, value] of numbers) {
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`Query limit ${name} must be a non-negative integer.`);
  }
  return Object.freeze(limits);
}
