// Protective limits on every GraphQL operation: depth, aliases and directives (GraphQL Armor),
// tokens (graphql-js's parser), and a cost budget per role or partner key (ours).
export { armorProtection, queryLimitRules } from './armor.js';
export { queryCost } from './cost.js';
export { fragmentsOf } from './document.js';
export { queryLimitError } from './errors.js';
export { isIntrospectionOnly } from './introspection.js';
export { DEFAULT_LIMITS } from './options.js';
export { queryLimitsPlugin } from './plugin.js';
