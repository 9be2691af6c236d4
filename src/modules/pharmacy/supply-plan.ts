// Which supply a dispense of a prescription item is, and whether it may be given now: a pure
// function of the item, what was given before and the clock. A supply is the item's quantity; the
// first is the first fill, each later one a refill (at most `refillsAllowed`), each given whole or
// in parts. A refill waits until the previous supply would run out (from the dose and frequency),
// less a grace of two days; an emergency supply may come earlier, for at most three days' worth.

export type SupplyType = 'first_fill' | 'partial' | 'refill' | 'emergency';

export interface PrescribedItem {
  quantity: number;
  refillsAllowed: number;
  durationDays: number;
  doseAmount: number;
  frequency: string;
}

export interface EarlierDispense {
  supplyNumber: number;
  quantity: number;
  dispensedAt: Date;
}

export type SupplyRefusal =
  | { reason: 'OVER_QUANTITY'; remaining: number }
  | { reason: 'NO_REFILLS_LEFT'; refillsAllowed: number }
  | { reason: 'TOO_EARLY'; notBefore: Date }
  | { reason: 'EMERGENCY_TOO_LARGE'; maximum: number };

export type SupplyPlan = { ok: true; supplyNumber: number; supplyType: SupplyType } | ({ ok: false } & SupplyRefusal);

const DAY_MS = 86_400_000;
const GRACE_DAYS = 2;
const EMERGENCY_DAYS = 3;
/** Administrations a day per frequency code (PRN, STAT: none to count by: the prescribed duration counts). */
const PER_DAY: Record<string, number> = { QD: 1, BID: 2, TID: 3, QID: 4, Q4H: 6, Q6H: 4, Q8H: 3, Q12H: 2, QHS: 1, QW: 1 / 7 };

/** How many days one supply lasts: quantity / (dose x administrations a day), else the prescribed duration. */
export function daysOfSupply(item: PrescribedItem): number {
  const perDay = PER_DAY[item.frequency];
  if (!perDay || item.doseAmount <= 0) return item.durationDays;
  return Math.max(1, Math.floor(item.quantity / (item.doseAmount * perDay)));
}

export function planSupply(
  item: PrescribedItem,
  earlier: readonly EarlierDispense[],
  requested: number,
  now: Date,
  options: { emergency?: boolean } = {},
): SupplyPlan {
  const current = earlier.reduce((highest, dispense) => Math.max(highest, dispense.supplyNumber), 0);
  const givenInCurrent = earlier
    .filter((dispense) => dispense.supplyNumber === current)
    .reduce((sum, dispense) => sum + dispense.quantity, 0);
  if (current > 0 && givenInCurrent < item.quantity) {
    // The current supply is not complete: this continues it.
    const remaining = item.quantity - givenInCurrent;
    if (requested > remaining) return { ok: false, reason: 'OVER_QUANTITY', remaining };
    return { ok: true, supplyNumber: current, supplyType: 'partial' };
  }
  const next = current + 1;
  if (next > 1 + item.refillsAllowed) return { ok: false, reason: 'NO_REFILLS_LEFT', refillsAllowed: item.refillsAllowed };
  if (requested > item.quantity) return { ok: false, reason: 'OVER_QUANTITY', remaining: item.quantity };
  if (current > 0) {
    const started = Math.min(
      ...earlier.filter((dispense) => dispense.supplyNumber === current).map((dispense) => dispense.dispensedAt.getTime()),
    );
    const notBefore = new Date(started + (daysOfSupply(item) - GRACE_DAYS) * DAY_MS);
    if (now < notBefore) {
      if (!options.emergency) return { ok: false, reason: 'TOO_EARLY', notBefore };
      const maximum = Math.max(1, Math.floor((item.quantity * EMERGENCY_DAYS) / daysOfSupply(item)));
      if (requested > maximum) return { ok: false, reason: 'EMERGENCY_TOO_LARGE', maximum };
      return { ok: true, supplyNumber: next, supplyType: 'emergency' };
    }
  }
  if (options.emergency) return { ok: true, supplyNumber: next, supplyType: 'emergency' };
  if (requested < item.quantity) return { ok: true, supplyNumber: next, supplyType: 'partial' };
  return { ok: true, supplyNumber: next, supplyType: current === 0 ? 'first_fill' : 'refill' };
}
