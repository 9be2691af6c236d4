// What a failed audit write looks like to callers, and which MongoDB errors are worth retrying.
import { MongoError, MongoNetworkError, MongoNetworkTimeoutError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import type { AuditEvent, AuditReceipt } from './audit.types.js';

export type AuditWriteFailure =
  /** Other appenders kept winning the race for the stream's next seq. */
  | 'contention'
  /** MongoDB stayed unreachable or kept failing transiently. */
  | 'unavailable'
  /** MongoDB refused the write for a reason retrying will not change. */
  | 'refused';

/**
 * The audit log could not record some events. A caller about to change clinical data must fail
 * the request on this rather than proceed unaudited. `unwritten` are the events that are not in
 * the log (with their ids, so a retry cannot duplicate them); `written` the ones that are.
 */
export class AuditWriteError extends Error {
  readonly code = 'AUDIT_WRITE_FAILED';

  constructor(
    readonly failure: AuditWriteFailure,
    readonly unwritten: readonly AuditEvent[],
    readonly written: readonly AuditReceipt[],
    options: { cause?: unknown } = {},
  ) {
    super(`audit log write failed (${failure}): ${unwritten.length} event(s) not recorded`, options);
    this.name = 'AuditWriteError';
  }
}

// Server codes for a node that is stepping down, shutting down, or unreachable: a retry (after
// the driver finds the new primary) can succeed.
const TRANSIENT_CODES = new Set([6, 7, 64, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);

export function isTransient(error: unknown): boolean {
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError) return true;
  if (!(error instanceof MongoError)) return false;
  if (error.hasErrorLabel('RetryableWriteError') || error.hasErrorLabel('TransientTransactionError')) return true;
  const code = typeof error.code === 'number' ? error.code : Number(error.code);
  return error instanceof MongoServerError && TRANSIENT_CODES.has(code);
}

/**
 * A server that did not answer within the client's timeout (see connectMongo): frozen or gone.
 * Retrying it within the same request only multiplies the wait, so the writer gives up at once
 * (read audits then go to the spool, a clinical write fails).
 */
export function isTimeout(error: unknown): boolean {
  return error instanceof MongoNetworkTimeoutError || error instanceof MongoServerSelectionError;
}
