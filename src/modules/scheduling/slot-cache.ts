// Slot searches are cached for SLOTS_TTL_SECONDS (public: the same for every caller). Each result
// is stored under the versions of the doctors' slots it covers (slotsVersion) and of the directory
// (DOCTORS_VERSION: who is listed, where they have hours, clinics); each write of appointments or
// hours bumps those it changes after its transaction commits, so the next search sees it. A bump
// lost to a Redis outage is retried, and in any case leaves a stale result for at most
// SLOTS_TTL_SECONDS.

/** Slots change with every booking: kept briefly, which also bounds any staleness. */
export const SLOTS_TTL_SECONDS = 30;

/** The version of a doctor's free times: bumped by bookings, every change of an appointment, hours and exceptions. */
export const slotsVersion = (doctorId: string) => `version:slots:${doctorId}`;
