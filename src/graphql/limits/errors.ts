// QUERY_TOO_COMPLEX: an operation over one of the limits. The message states the limit and the
// measured value, never any part of the query; the status is 400.
import { AppError } from '../../errors/errors.js';

export type LimitKind = 'depth' | 'aliases' | 'directives' | 'tokens' | 'cost';

export class QueryTooComplexError extends AppError {
  constructor(message: string, limit: LimitKind, maximum: number, measured: number | null) {
    super('QUERY_TOO_COMPLEX', message, { limit, maximum, ...(measured === null ? {} : { measured }), http: { status: 400 } });
  }

  static depth(maximum: number, measured: number): QueryTooComplexError {
    return new QueryTooComplexError(`The query is nested ${measured} levels deep; the limit is ${maximum}.`, 'depth', maximum, measured);
  }

  static aliases(maximum: number, measured: number): QueryTooComplexError {
    return new QueryTooComplexError(`The query uses ${measured} aliases; the limit is ${maximum}.`, 'aliases', maximum, measured);
  }

  static directives(maximum: number, measured: number): QueryTooComplexError {
    return new QueryTooComplexError(`The query uses ${measured} directives; the limit is ${maximum}.`, 'directives', maximum, measured);
  }

  /** Parsing stops at the limit, so the exact count is not known (on purpose: no work for a hostile document). */
  static tokens(maximum: number): QueryTooComplexError {
    return new QueryTooComplexError(`The query has more than ${maximum} tokens; the limit is ${maximum}.`, 'tokens', maximum, null);
  }

  /** `whose` budget it is: "your role (NURSE)" (the API's enum name), "this API key"... */
  static cost(budget: number, measured: number, whose: string): QueryTooComplexError {
    return new QueryTooComplexError(
      `The query's estimated cost is ${measured}; the budget for ${whose} is ${budget}.`,
      'cost',
      budget,
      measured,
    );
  }
}

// graphql-js's own message when `parse(source, { maxTokens })` gives up: "Document contains more
// that N tokens. Parsing aborted." in graphql 16 (sic; "than" accepted too, should it be fixed).
const TOKEN_LIMIT_MESSAGE = /Document contains more tha[nt] (\d+) tokens\. Parsing aborted\./;

/**
 * Our refusal behind an error as Apollo reports it: thrown (cost), reported while validating
 * (depth, aliases, directives: Apollo wraps it as GRAPHQL_VALIDATION_FAILED), or graphql-js's parse
 * failure at the token limit (Apollo's parseOptions.maxTokens, reported as GRAPHQL_PARSE_FAILED).
 */
export function queryLimitError(error: unknown): QueryTooComplexError | null {
  if (error instanceof QueryTooComplexError) return error;
  const original = (error as { originalError?: unknown } | null)?.originalError;
  if (original instanceof QueryTooComplexError) return original;
  // Duck-typed: Apollo's GraphQLError class may come from another copy of graphql than ours.
  if (!(error instanceof Error) || (error as { extensions?: { code?: unknown } }).extensions?.code !== 'GRAPHQL_PARSE_FAILED') return null;
  const match = TOKEN_LIMIT_MESSAGE.exec(error.message);
  return match ? QueryTooComplexError.tokens(Number(match[1])) : null;
}
