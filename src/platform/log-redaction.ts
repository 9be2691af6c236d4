// What no log line may carry, in any environment: credentials (authorization headers, passwords,
// access and refresh tokens), one-time codes, and links that carry them (verification and reset
// links, connection URLs with a password). pino's `redact` removes known keys; the scrub below
// catches the same secrets inside strings, wherever a caller put them.

/** Keys whose values are secrets wherever they appear (pino redact paths, one level deep too). */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'x-api-key',
  'code',
  'otp',
  'secret',
];

/** Error codes (`err.code`, P2021, ECONNREFUSED) are not secrets: only `code` of message data is. */
const NOT_EVERYWHERE = new Set(['code']);

export const REDACT_PATHS = [
  ...SECRET_KEYS.filter((key) => !NOT_EVERYWHERE.has(key)).flatMap((key) => [
    `["${key}"]`,
    `*["${key}"]`,
    `*.headers["${key}"]`,
    `*.*.headers["${key}"]`,
  ]),
  'data.code',
  '*.data.code',
  'data.otp',
  '*.data.otp',
];

export const REDACTED = '[redacted]';

const QUERY_SECRET = /([?&#;](?:token|access_token|refresh_token|code|otp|key|api_key|secret|password)=)[^&#\s"']*/gi;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*:)[^@/?#\s]*@/gi;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/g;

/** The string with secrets inside it replaced: link parameters, URL passwords, bearer tokens. */
export function scrubSecrets(text: string): string {
  return text.replace(QUERY_SECRET, `$1${REDACTED}`).replace(URL_PASSWORD, `$1${REDACTED}@`).replace(BEARER, `$1${REDACTED}`);
}

/** A log line's values with every string scrubbed (bounded depth: log objects are small). */
export function scrubLogObject(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (depth > 6 || value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (value instanceof Error) return value; // the `err` serializer shortens and scrubs it
  if (Array.isArray(value)) return value.map((item) => scrubLogObject(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubLogObject(item, depth + 1)]));
}
