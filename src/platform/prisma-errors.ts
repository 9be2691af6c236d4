// Recognising PostgreSQL refusals that carry meaning for callers, through Prisma.
import { Prisma } from '../generated/prisma/client.js';

/** A unique constraint refused the write; `fields` are the model fields involved (as known). */
export class UniqueViolation extends Error {
  constructor(readonly fields: string[]) {
    super(`unique constraint on ${fields.join(', ')}`);
  }
}

/** The UniqueViolation inside a Prisma error, naming which of `candidates` (column or field names) clashed. */
export function uniqueViolation(error: unknown, candidates: Record<string, string> = {}): UniqueViolation | undefined {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return undefined;
  const detail = JSON.stringify(error.meta ?? {});
  const fields = Object.entries(candidates)
    .filter(([column]) => detail.includes(column))
    .map(([, field]) => field);
  return new UniqueViolation([...new Set(fields)]);
}

/** An exclusion constraint (SQLSTATE 23P01) refused the write; `constraint` is its name, '' when not given. */
export class ExclusionViolation extends Error {
  constructor(readonly constraint: string) {
    super(`exclusion constraint ${constraint}`);
  }
}

/** The ExclusionViolation inside a Prisma error, or undefined for any other error. */
export function exclusionViolation(error: unknown): ExclusionViolation | undefined {
  // Prisma has no error code of its own for 23P01: the driver's text (message or meta) says it.
  const text = `${(error as Error)?.message ?? ''} ${JSON.stringify((error as { meta?: unknown })?.meta ?? {})}`;
  if (!/23P01|exclusion constraint/.test(text)) return undefined;
  return new ExclusionViolation(/exclusion constraint \\?"(\w+)/.exec(text)?.[1] ?? '');
}
