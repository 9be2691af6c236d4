// The one place that decides what a client sees of a failure: our typed errors and GraphQL's own
// request errors pass; anything else is masked as INTERNAL_SERVER_ERROR with the request id only.
import type { GraphQLError } from 'graphql';
import { AppError } from './errors.js';

/** Codes Apollo and graphql-js give to problems with the request itself (safe to show). */
export const REQUEST_ERROR_CODES: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** The thrown value itself when a client may see it, else null (it must be masked). */
export function toClientError(error: unknown): GraphQLError | null {
  return error instanceof AppError ? error : null;
}

/**
 * graphql-js quotes the offending value in coercion and validation messages ("got invalid value
 * \"x\""); a value may be health data, so the message keeps where and why, never what.
 */
export function withoutValues(message: string): string {
  return message
    .replace(/ got invalid value .*?(?= at "|; |$)/s, ' has an invalid value')
    .replace(/(cannot represent[^:]*): .*?(?=;|$)/gs, '$1')
    .replace(/Value .+? does not exist in "(\w+)" enum/gs, 'This value does not exist in the "$1" enum')
    .replace(/Expected value of type "([^"]+)", found .*?(?=;|$)/gs, 'Expected value of type "$1"');
}

/**
 * graphql-js suggests names ("Did you mean the enum value \"EN\"?") in validation and in variable
 * coercion; Apollo's hideSchemaDetailsFromClientErrors covers only the former, so production
 * strips them here, the one place every message passes.
 */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean [^?]*\?/g, '');
}

/**
 * graphql-js stops coercing variables after 50 errors with an error that has no code and no
 * location (Apollo would mask it as internal): it is still the client's input.
 */
export function isVariableErrorLimit(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('Too many errors processing variables');
}

export const TOO_MANY_VARIABLE_ERRORS = 'Too many variables have invalid values; fix the ones reported and send the request again.';

/** Whether an error's `extensions.code` marks a problem with the request itself. */
export function isSafeRequestError(extensions: { code?: unknown } | undefined): boolean {
  const code = extensions?.code;
  return typeof code === 'string' && REQUEST_ERROR_CODES.has(code);
}
