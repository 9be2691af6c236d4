// Recognising PostgreSQL refusals that carry meaning for callers, through Prisma.
import { Prisma } from '../generated/prisma/client.js';

/** A unique constraint refused the write; `fields` are the model fields involved (as known). */
export class UniqueViolation extends Error {
  constructor(readonly fields: string[]) {
    super(`unique constraint on ${fields.join(', ')}`);
  }
}

/** The UniqueViolation inside a Prisma error, naming which of `candidates` (column or field names) clashed. */
export function uniqueViolation(error: unknown, candidates: Record<string, string>): UniqueViolation | undefined {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return undefined;
  const detail = JSON.stringify(error.meta ?? {});
  const fields = Object.entries(candidates).filter(([column]) => detail.includes(column)).map(([, field]) => field);
  return new UniqueViolation([...new Set(fields)]);
}
