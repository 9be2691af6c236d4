// What a patient's record says of pregnancy and breastfeeding on a given day, for the prescribing
// safety checks. A status stays recorded until a clinician changes it, so one that is too old to
// still hold (a pregnancy past its term, breastfeeding for years) counts as not known.
import type { PatientRecord } from './records.repository.js';

const DAY_MS = 86_400_000;
/** The longest a pregnancy is taken to last from its start (and expected delivery from `since`). */
export const PREGNANCY_MAX_DAYS = 44 * 7;
/** How long after the expected delivery a recorded pregnancy is still believed. */
const AFTER_EXPECTED_DELIVERY_DAYS = 6 * 7;
const BREASTFEEDING_MAX_YEARS = 3;

/** Whole calendar days (UTC, as dates are stored) from `from` to `to`. */
export function daysBetween(from: Date, to: Date): number {
  return Math.floor(to.getTime() / DAY_MS) - Math.floor(from.getTime() / DAY_MS);
}

function pregnantOn(record: PatientRecord, on: Date): boolean | null {
  const pregnancy = record.pregnancy;
  if (!pregnancy) return null;
  if (pregnancy.status === 'not_pregnant') return false;
  if (pregnancy.status !== 'pregnant') return null;
  if (pregnancy.expectedDelivery) return daysBetween(pregnancy.expectedDelivery, on) > AFTER_EXPECTED_DELIVERY_DAYS ? null : true;
  if (pregnancy.since) return daysBetween(pregnancy.since, on) > PREGNANCY_MAX_DAYS ? null : true;
  // No dates: believed for as long as a pregnancy can last from when it was recorded.
  return daysBetween(pregnancy.recordedAt, on) > PREGNANCY_MAX_DAYS ? null : true;
}

function breastfeedingOn(record: PatientRecord, on: Date): boolean | null {
  const lactation = record.lactation;
  if (!lactation) return null;
  if (lactation.status === 'not_breastfeeding') return false;
  if (lactation.status !== 'breastfeeding') return null;
  if (!lactation.since) return true;
  const longAgo = Date.UTC(on.getUTCFullYear() - BREASTFEEDING_MAX_YEARS, on.getUTCMonth(), on.getUTCDate());
  return lactation.since.getTime() < longAgo ? null : true;
}

/**
 * Whether the patient is pregnant / breastfeeding on `on`, from the record; null when not known.
 * Days are counted on the UTC calendar, as the record's dates are stored (UTC midnight).
 */
export function reproductiveStatusOn(record: PatientRecord | null, on: Date): { pregnant: boolean | null; breastfeeding: boolean | null } {
  if (!record) return { pregnant: null, breastfeeding: null };
  return { pregnant: pregnantOn(record, on), breastfeeding: breastfeedingOn(record, on) };
}
