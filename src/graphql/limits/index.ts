// Protective limits on every GraphQL operation: depth, aliases, tokens and a per-role cost budget.
export { aliasCount } from './aliases.js';
export { queryCost } from './cost.js';
export { queryDepth } from './depth.js';
export { fragmentsOf } from './document.js';
export { tokenLimitError } from './errors.js';
export { DEFAULT_LIMITS } from './options.js';
export { queryLimitsPlugin } from './plugin.js';
