// The prescribing calendar: issue dates, last days and expiry are dates in West Africa Time, the
// one zone of the clinics this platform serves.
import { fromLocalDate, localDateIn } from '../../graphql/scalars.js';

/** YYYY-MM-DD of `instant` where the clinics are. */
export const localDate = (instant: Date): string => localDateIn(instant);

/** The date `days` after `date` (YYYY-MM-DD), as the UTC-midnight Date a DATE column takes. */
export function addDays(date: string, days: number): Date {
  return new Date(fromLocalDate(date).getTime() + days * 86_400_000);
}
