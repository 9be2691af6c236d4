// Time on the wire: DateTime is a UTC instant (ISO 8601); LocalDate a calendar date (YYYY-MM-DD)
// with no time zone, such as a date of birth. Both refuse bad input without repeating it.
import { GraphQLError, GraphQLScalarType, type ValueNode } from 'graphql';
import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';

/** The same scalar, whose parse errors state the expected form and never the value given. */
function withoutEcho(scalar: GraphQLScalarType, expected: string): GraphQLScalarType {
  const refuse = () => new GraphQLError(`must be ${expected}`);
  return new GraphQLScalarType({
    name: scalar.name,
    description: scalar.description,
    specifiedByURL: scalar.specifiedByURL,
    serialize: (value) => scalar.serialize(value),
    parseValue: (value) => {
      try {
        return scalar.parseValue(value);
      } catch {
        throw refuse();
      }
    },
    parseLiteral: (node: ValueNode, variables) => {
      try {
        return scalar.parseLiteral(node, variables);
      } catch {
        throw refuse();
      }
    },
  });
}

export const DateTime = withoutEcho(DateTimeResolver, 'a date-time in ISO 8601 with a time zone, e.g. 2026-11-21T09:30:00Z');
export const LocalDate = withoutEcho(LocalDateResolver, 'a date as YYYY-MM-DD');

/** A PostgreSQL DATE (read as UTC midnight) as YYYY-MM-DD. */
export function toLocalDate(date: Date | null | undefined): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}

/** The clinics' one time zone (West Africa Time), for dates that belong to no single clinic. */
export const DEFAULT_TIME_ZONE = 'Africa/Douala';

/** YYYY-MM-DD of `instant` in `timeZone` (a day as people there name it). */
export function localDateIn(instant: Date, timeZone = DEFAULT_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** YYYY-MM-DD as the UTC-midnight Date that Prisma writes to a DATE column. */
export function fromLocalDate(value: string): Date {
  return new Date(`${value}T00:00:00.000Z`);
}

/** HH:MM as the Date that Prisma writes to a TIME column (the time of day on 1970-01-01, UTC). */
export function fromClockTime(hhmm: string): Date {
  return new Date(`1970-01-01T${hhmm}:00.000Z`);
}

/** A TIME column's value (the time of day on 1970-01-01, UTC) as HH:MM. */
export function toClockTime(time: Date): string {
  return time.toISOString().slice(11, 16);
}
