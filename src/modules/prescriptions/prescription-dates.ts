// The prescribing calendar: issue dates, last days and expiry are dates in West Africa Time, the
// one zone of the clinics this platform serves.
import { fromLocalDate } from '../../graphql/scalars.js';

export const PRESCRIBING_TIME_ZONE = 'Africa/Douala';

/** YYYY-MM-DD of `instant` in the prescribing time zone. */
export function localDate(instant: Date, timeZone = PRESCRIBING_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** The date `days` after `date` (YYYY-MM-DD), as the UTC-midnight Date a DATE column takes. */
export function addDays(date: string, days: number): Date {
  return new Date(fromLocalDate(date).getTime() + days * 86_400_000);
}
