// Structured JSON logs (pino). Health data never goes into a log line: callers log ids and codes.
import { pino, type DestinationStream, type Logger } from 'pino';
import { REDACTED, REDACT_PATHS, scrubLogObject, scrubSecrets } from './log-redaction.js';

export type { Logger };

/**
 * Errors are logged by kind, code and first message line only: driver errors can carry the values
 * that failed (MongoDB's errInfo, PostgreSQL's "Failing row contains"), which may be health data.
 */
function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const { code, codeName } = error as { code?: unknown; codeName?: unknown };
  return {
    type: error.constructor.name,
    message: scrubSecrets(error.message.split('\n')[0].slice(0, 200)),
    ...(code !== undefined ? { code } : {}),
    ...(codeName !== undefined ? { codeName } : {}),
    stack: error.stack && scrubSecrets(error.stack.split('\n').slice(1, 8).join('\n')),
  };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'clinic-graph' },
      serializers: { err: safeError },
      // Secrets never reach a log line, in any environment (see log-redaction.ts).
      formatters: { log: (object) => scrubLogObject(object) as Record<string, unknown> },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
    },
    destination,
  );
}
