// The errors a client may see, each with a fixed `extensions.code`. Messages never carry input
// values or health data; field paths say where the problem is.
import { GraphQLError } from 'graphql';

/** Our own codes (README, "Errors and limits", lists each with when it is sent; a test checks). */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'SAFETY_CHECKS_UNAVAILABLE',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_HASH_MISMATCH',
  'INTERNAL_SERVER_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** A problem with one input field: where it is (path from the argument) and what is wrong. */
export interface FieldProblem {
  path: Array<string | number>;
  message: string;
}

export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export class BadUserInputError extends AppError {
  constructor(fields: FieldProblem[], message = 'The input is not valid.') {
    super('BAD_USER_INPUT', message, { fields });
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} was not found.`);
  }
}

export class ConflictError extends AppError {
  /** `extensions` carry what the client needs to resolve the conflict (e.g. the current status). */
  constructor(message: string, fields: FieldProblem[] = [], extensions: Record<string, unknown> = {}) {
    super('CONFLICT', message, fields.length > 0 ? { ...extensions, fields } : extensions);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this.') {
    super('FORBIDDEN', message);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in to do this.', extensions: Record<string, unknown> = {}) {
    super('UNAUTHENTICATED', message, extensions);
  }
}

/** The prescribing safety checks could not run (the record unreadable, a medicine unknown to the knowledge base): nothing was signed. */
export class SafetyChecksUnavailableError extends AppError {
  constructor(reason: 'record' | 'knowledge') {
    super(
      'SAFETY_CHECKS_UNAVAILABLE',
      reason === 'record'
        ? "The safety checks could not run: the patient's record cannot be read right now. Nothing was signed; try again, or review manually."
        : 'The safety checks could not run: the knowledge base has no complete entry for a medicine of this prescription. Nothing was signed.',
      { reason },
    );
  }
}
