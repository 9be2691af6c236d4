// The generic limits come from GraphQL Armor: depth, aliases and directives as validation rules,
// field suggestions hidden in production. What it refuses is refused as ours (QUERY_TOO_COMPLEX,
// 400, the limit and the measured value, never a part of the query). Tokens are counted by
// graphql-js's parser itself (Apollo's parseOptions.maxTokens, see errors.ts): Armor's token
// protection for Apollo throws from a hook that Apollo answers with a 500 "Internal server error".
// What neither can do stays ours: the cost budgets per role and per partner key (plugin.ts, cost.ts).
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import type { ValidationRule } from 'graphql';
import { QueryTooComplexError } from './errors.js';
import type { QueryLimits } from './options.js';

/** Armor says what it found in its message ("... exceeded, found 14."): the number is all we keep. */
const FOUND = /found (\d+)\./;

/** Reports Armor's refusal as ours, in the validation's errors (Apollo answers them with a 400). */
function refuse(ours: (measured: number) => QueryTooComplexError): {
  onReject: GraphQLArmorRejectCallback[];
  propagateOnRejection: false;
  exposeLimits: true;
} {
  return {
    onReject: [(context, error) => context?.reportError(ours(Number(FOUND.exec(error.message)?.[1] ?? Number.NaN)))],
    propagateOnRejection: false,
    exposeLimits: true,
  };
}

function armor(limits: QueryLimits, production: boolean): ApolloArmor {
  return new ApolloArmor({
    // Fragments count for what they contain, not as a level; the introspection (`__schema`) is
    // exempt while it is allowed (outside production), as Apollo Sandbox and GraphiQL need it.
    maxDepth: {
      n: limits.maxDepth,
      flattenFragments: true,
      ignoreIntrospection: limits.introspection,
      ...refuse((measured) => QueryTooComplexError.depth(limits.maxDepth, measured)),
    },
    // Every alias counts, `__typename` ones too.
    maxAliases: { n: limits.maxAliases, allowList: [], ...refuse((measured) => QueryTooComplexError.aliases(limits.maxAliases, measured)) },
    maxDirectives: { n: limits.maxDirectives, ...refuse((measured) => QueryTooComplexError.directives(limits.maxDirectives, measured)) },
    // graphql-js's own (see above).
    maxTokens: { enabled: false },
    // Ours: a budget per role and per partner key, and `extensions.cost`.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: production, mask: '' },
  });
}

/** The validation rules of the generic limits (also for checking documents outside Apollo). */
export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  return armor(limits, false).protect().validationRules;
}

/** Apollo's plugins and validation rules for the generic limits. */
export function armorProtection(
  limits: QueryLimits,
  options: { production: boolean },
): { plugins: ApolloServerPlugin[]; validationRules: ValidationRule[] } {
  const { plugins, validationRules } = armor(limits, options.production).protect();
  return { plugins: plugins as ApolloServerPlugin[], validationRules };
}
