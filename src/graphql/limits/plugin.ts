// The limits as an Apollo Server plugin: once the operation is known (parsed, validated, and the
// caller's context built), check aliases, depth and cost against the caller's budget (a partner
// key's own, else the role's), and report the cost of an accepted operation in the response's
// `extensions.cost`. Tokens are limited earlier, while parsing (see `tokenLimitError`).
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../../context/context.js';
import { aliasCount } from './aliases.js';
import { queryCost } from './cost.js';
import { queryDepth } from './depth.js';
import { fragmentsOf } from './document.js';
import { QueryTooComplexError } from './errors.js';
import { isIntrospectionOnly } from './introspection.js';
import type { QueryLimits } from './options.js';

interface CostReport {
  requested: number;
  budget: number;
}

export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      let cost: CostReport | undefined;
      return {
        async didResolveOperation({ document, operation, request, schema, contextValue }) {
          if (!operation) return; // no such operation: Apollo answers that itself
          const fragments = fragmentsOf(document);
          const aliases = aliasCount(operation, fragments);
          if (aliases > limits.maxAliases) throw QueryTooComplexError.aliases(limits.maxAliases, aliases);
          if (limits.introspection && isIntrospectionOnly(operation, fragments)) return;
          const depth = queryDepth(operation, fragments);
          if (depth > limits.maxDepth) throw QueryTooComplexError.depth(limits.maxDepth, depth);
          const role = contextValue.principal?.role ?? null;
          const budget = contextValue.partner?.costBudget ?? limits.budgets[role ?? 'anonymous'];
          const requested = queryCost({ schema, operation, fragments, variables: request.variables, defaultListSize: limits.defaultListSize, scalarCost: limits.scalarCost });
          if (requested > budget) throw QueryTooComplexError.cost(budget, requested, contextValue.partner ? 'this API key' : role ? `your role (${role.toUpperCase()})` : 'anonymous callers');
          cost = { requested, budget };
        },
        async willSendResponse({ response }) {
          if (!cost || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, cost };
        },
      };
    },
  };
}
