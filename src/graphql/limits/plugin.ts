// The cost budget as an Apollo Server plugin: once the operation is known (parsed, validated, and
// the caller's context built), its estimated cost is checked against the caller's budget (a partner
// key's own, else the role's), and an accepted operation reports it in the response's
// `extensions.cost`. Depth, aliases, directives and tokens are GraphQL Armor's (armor.ts).
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../../context/context.js';
import { queryCost } from './cost.js';
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
          if (limits.introspection && isIntrospectionOnly(operation, fragments)) return;
          const role = contextValue.principal?.role ?? null;
          const budget = contextValue.partner?.costBudget ?? limits.budgets[role ?? 'anonymous'];
          const requested = queryCost({
            schema,
            operation,
            fragments,
            variables: request.variables,
            defaultListSize: limits.defaultListSize,
            scalarCost: limits.scalarCost,
          });
          if (requested > budget)
            throw QueryTooComplexError.cost(
              budget,
              requested,
              contextValue.partner ? 'this API key' : role ? `your role (${role.toUpperCase()})` : 'anonymous callers',
            );
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
