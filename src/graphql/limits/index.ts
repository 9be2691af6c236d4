// Protective limits on every GraphQL operation: depth, aliases, tokens and a per-role cost budget.
export { aliasCount } from './aliases.js';
export { queryCost } from './cost.js';
export { queryDepth } from './depth.js';
export { fragmentsOf } from './document.js';
export { QueryTooComplexError, tokenLimitError } from './errors.js';
export { isIntrospectionOnly } from './introspection.js';
export { DEFAULT_BUDGETS, DEFAULT_LIMITS, resolveQueryLimits, type CostBudgets, type QueryLimitOptions, type QueryLimits } from './options.js';
export { queryLimitsPlugin, type CostReport } from './plugin.js';
