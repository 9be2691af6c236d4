// The pharmacy's calendar: expiry dates are days in West Africa Time, the clinics' one zone.
const ZONE = 'Africa/Douala';

/** YYYY-MM-DD of `instant` where the pharmacies are. */
export function pharmacyToday(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}
