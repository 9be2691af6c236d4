// Time on the wire: DateTime is a UTC instant (ISO 8601); LocalDate a calendar date (YYYY-MM-DD)
// with no time zone, such as a date of birth.
import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';

export const DateTime = DateTimeResolver;
export const LocalDate = LocalDateResolver;

/** A PostgreSQL DATE (read as UTC midnight) as YYYY-MM-DD. */
export function toLocalDate(date: Date | null | undefined): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}

/** YYYY-MM-DD as the UTC-midnight Date that Prisma writes to a DATE column. */
export function fromLocalDate(value: string): Date {
  return new Date(`${value}T00:00:00.000Z`);
}
