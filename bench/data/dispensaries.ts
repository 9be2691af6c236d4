// The clinics' dispensaries over the generated year, planned in memory. Each stocks the most
// prescribed medicines (an inventory item each, priced by its unit of stock) in 2 to 6 lots, each
// arriving by one receipt: the first before the year's first prescription, the others spread over
// the year, expiring over the next two years; now and then a lot that expired lately (received
// early in the year) or one held since it came in weeks ago (quarantine). Most completed
// prescriptions of the clinic were dispensed there when they were completed (presented after
// signing, sometimes in two parts), first expiry first out across the lots received by then, each
// dispense with its movements and its charge. The others were completed elsewhere: those with
// refills (the generated statuses give them no refill history) and a share of the rest. Lots are
// sized from the demand they meet (10% to 30% more), so stock never runs short; if it did, planning
// stops with an error rather than writing a dispense the module would have refused.
import { localDay, midnightOf, plusDays } from './prescriptions.js';
import type { Random } from '../lib/random.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The first receipts: before the first prescription of the generated history (330 days back). */
const FIRST_RECEIPT_DAYS = 340;
/** Completed prescriptions without refills that were dispensed at their clinic's dispensary. */
const DISPENSED_AT_THE_CLINIC = 0.85;
/** Per item: a lot that expired lately, a lot on hold. */
const EXPIRED_LOT = 0.06;
const HELD_LOT = 0.05;

/** Unit cost in XAF, low and high, and the pack receipts are rounded up to, by unit of stock. */
const UNITS: Record<string, { cost: [number, number]; pack: number }> = {
  tablet: { cost: [10, 150], pack: 100 },
  capsule: { cost: [15, 200], pack: 100 },
  sachet: { cost: [60, 150], pack: 50 },
  vial: { cost: [700, 3500], pack: 10 },
  bottle: { cost: [600, 2500], pack: 12 },
  inhaler: { cost: [2500, 5000], pack: 10 },
};
const SUPPLIERS = ['CENAME', 'Laborex Cameroun', 'UbiPharm Cameroun', 'Tedis Pharma', 'Fund regional (FRPS)'];

export interface DispensaryInput {
  id: string;
  clinicId: string;
  pharmacists: string[];
  /** Opening hours, local time (the clinic's, which the trigger copied). */
  hours: OpeningHours[];
}

export interface OpeningHours {
  dayOfWeek: number;
  opens: string;
  closes: string;
}

export interface StockedMedicine {
  id: string;
  code: string;
  /** The unit stock is counted in: tablet, capsule, sachet, vial, bottle, inhaler. */
  unit: string;
}

export interface CompletedPrescription {
  id: string;
  clinicId: string;
  patientId: string;
  prescriberId: string;
  signedAt: number;
  completedAt: number;
  items: Array<{ id: string; medicineId: string; medicineName: string; quantity: number; refills: number }>;
  /** Findings the prescriber overrode: the pharmacist acknowledges each before dispensing. */
  overridden: string[];
}

export interface ItemPlan {
  id: string;
  pharmacyId: string;
  medicineId: string;
  unit: string;
  reorderPoint: number;
  maxLevel: number;
  sellingPriceXaf: number;
}

export interface LotPlan {
  id: string;
  itemId: string;
  batchNumber: string;
  expiresOn: string;
  unitCostXaf: number;
  supplier: string;
  onHold: boolean;
  receivedAt: number;
  receivedBy: string;
  receiptId: string;
  quantity: number;
  /** What is left after the year's dispenses: the balance the ledger must give. */
  balance: number;
}

export interface FulfillmentPlan {
  id: string;
  prescriptionId: string;
  pharmacyId: string;
  patientId: string;
  urgent: boolean;
  presentedBy: string;
  presentedAt: number;
  pharmacist: string;
  completedAt: number;
  acknowledgments: Array<{ findingId: string; at: number }>;
}

export interface DispensePlan {
  id: string;
  fulfillment: FulfillmentPlan;
  clinicId: string;
  prescriptionItemId: string;
  medicineId: string;
  description: string;
  quantity: number;
  supplyType: 'first_fill' | 'partial';
  unitPriceXaf: number;
  at: number;
  takes: Array<{ movementId: string; lotId: string; quantity: number }>;
}

export interface DispensaryPlan {
  items: ItemPlan[];
  lots: LotPlan[];
  fulfillments: FulfillmentPlan[];
  dispenses: DispensePlan[];
  /** Completed prescriptions not dispensed at their clinic: with refills, or elsewhere. */
  withRefills: number;
  elsewhere: number;
}

interface Demand {
  at: number;
  quantity: number;
  supplyType: DispensePlan['supplyType'];
  fulfillment: FulfillmentPlan;
  clinicId: string;
  item: CompletedPrescription['items'][number];
}

const between = (random: Random, low: number, high: number) => low + random.next() * (high - low);
const roundUp = (value: number, step: number) => Math.max(step, Math.ceil(value / step) * step);
const toFive = (value: number) => Math.max(5, Math.round(value / 5) * 5);
const clock = (hhmm: string) => Number(hhmm.slice(0, 2)) * HOUR + Number(hhmm.slice(3, 5)) * MINUTE;

/** `at` if the dispensary is open then, else a few minutes to an hour and a half after it next opens (`at` if it never does). */
function whenOpen(random: Random, hours: readonly OpeningHours[], at: number): number {
  for (let days = 0; days < 8; days++) {
    const date = plusDays(localDay(at), days);
    const dayOfWeek = new Date(`${date}T00:00:00Z`).getUTCDay();
    for (const open of hours.filter((window) => window.dayOfWeek === dayOfWeek)) {
      const [opens, closes] = [midnightOf(date) + clock(open.opens), midnightOf(date) + clock(open.closes)];
      if (at < opens) return Math.min(closes - MINUTE, opens + random.int(5, 90) * MINUTE);
      if (at < closes) return at;
    }
  }
  return at;
}

/** An instant in working hours (08:00 to 16:00 local) on the local day of `at`. */
const workingHours = (random: Random, at: number) => midnightOf(localDay(at)) + 8 * HOUR + random.int(0, 8 * 60 - 1) * MINUTE;

export function planDispensaries(
  random: Random,
  now: number,
  dispensaries: readonly DispensaryInput[],
  medicines: readonly StockedMedicine[],
  prescriptions: readonly CompletedPrescription[],
): DispensaryPlan {
  const stocked = new Set(medicines.map((medicine) => medicine.id));
  const baseCost = new Map(medicines.map((m) => [m.id, between(random, ...UNITS[m.unit].cost)]));
  const dispensaryOf = new Map(dispensaries.map((d) => [d.clinicId, d]));
  const demand = new Map<string, Demand[]>();
  const plan: DispensaryPlan = { items: [], lots: [], fulfillments: [], dispenses: [], withRefills: 0, elsewhere: 0 };

  for (const rx of prescriptions) {
    if (rx.items.some((item) => item.refills > 0)) {
      plan.withRefills++;
      continue;
    }
    const dispensary = dispensaryOf.get(rx.clinicId);
    // Given when the dispensary was open: the first opening hour from the generated completion on.
    const completedAt = dispensary ? whenOpen(random, dispensary.hours, rx.completedAt) : Infinity;
    if (
      !dispensary ||
      completedAt > now ||
      !rx.items.every((item) => stocked.has(item.medicineId)) ||
      !random.chance(DISPENSED_AT_THE_CLINIC)
    ) {
      plan.elsewhere++;
      continue;
    }
    const presentedAt = rx.signedAt + (completedAt - rx.signedAt) * between(random, 0.05, 0.3);
    const fulfillment: FulfillmentPlan = {
      id: random.uuid(),
      prescriptionId: rx.id,
      pharmacyId: dispensary.id,
      patientId: rx.patientId,
      urgent: random.chance(0.03),
      presentedBy: random.chance(0.7) ? rx.patientId : rx.prescriberId,
      presentedAt,
      pharmacist: random.pick(dispensary.pharmacists),
      completedAt,
      acknowledgments: [],
    };
    let first = completedAt;
    for (const item of rx.items) {
      const parts: Array<[number, number]> = [[completedAt, item.quantity]];
      if (item.quantity >= 2 && random.chance(0.05)) {
        // Given in two parts: what the shelf had then, the rest when the prescription was completed.
        const partAt = whenOpen(random, dispensary.hours, presentedAt + (completedAt - presentedAt) * between(random, 0.1, 0.5));
        const part = Math.floor(item.quantity / 2);
        if (partAt < completedAt) parts.splice(0, 1, [partAt, part], [completedAt, item.quantity - part]);
      }
      for (const [at, quantity] of parts) {
        first = Math.min(first, at);
        const key = `${dispensary.id}:${item.medicineId}`;
        if (!demand.has(key)) demand.set(key, []);
        demand.get(key)!.push({
          at,
          quantity,
          supplyType: parts.length > 1 ? 'partial' : 'first_fill',
          fulfillment,
          clinicId: rx.clinicId,
          item,
        });
      }
    }
    fulfillment.acknowledgments = rx.overridden.map((findingId) => ({
      findingId,
      at: presentedAt + (first - presentedAt) * between(random, 0.1, 0.9),
    }));
    plan.fulfillments.push(fulfillment);
  }

  for (const dispensary of dispensaries)
    for (const medicine of medicines) {
      const wanted = (demand.get(`${dispensary.id}:${medicine.id}`) ?? []).sort((a, b) => a.at - b.at);
      const item = planItem(random, dispensary, medicine, wanted, baseCost.get(medicine.id)!);
      const lots = planLots(random, now, item, dispensary, medicine, wanted, baseCost.get(medicine.id)!);
      plan.items.push(item);
      plan.lots.push(...lots);
      for (const want of wanted) plan.dispenses.push(dispenseFefo(random, want, item, lots));
    }
  return plan;
}

function planItem(random: Random, dispensary: DispensaryInput, medicine: StockedMedicine, wanted: Demand[], cost: number): ItemPlan {
  const perDay = wanted.reduce((sum, want) => sum + want.quantity, 0) / (FIRST_RECEIPT_DAYS - 10);
  const reorderPoint = Math.max(10, Math.ceil(perDay * 14));
  return {
    id: random.uuid(),
    pharmacyId: dispensary.id,
    medicineId: medicine.id,
    unit: medicine.unit,
    reorderPoint,
    maxLevel: Math.max(reorderPoint * 3, Math.ceil(perDay * 120)),
    sellingPriceXaf: toFive(cost * between(random, 1.3, 1.6)),
  };
}

/** The lots of one item, sized from the dispenses they meet. */
function planLots(
  random: Random,
  now: number,
  item: ItemPlan,
  dispensary: DispensaryInput,
  medicine: StockedMedicine,
  wanted: Demand[],
  cost: number,
): LotPlan[] {
  const today = localDay(now);
  const pack = UNITS[medicine.unit].pack;
  const total = wanted.reduce((sum, want) => sum + want.quantity, 0);
  const perDay = total / (FIRST_RECEIPT_DAYS - 10);
  const unitsBetween = (from: number, to: number) => wanted.reduce((sum, w) => (w.at >= from && w.at < to ? sum + w.quantity : sum), 0);
  const expired = random.chance(EXPIRED_LOT);
  const held = random.chance(HELD_LOT);
  const regular = Math.max(1, random.int(2, 6) - (expired ? 1 : 0) - (held ? 1 : 0));
  const start = workingHours(random, Math.min(now - FIRST_RECEIPT_DAYS * DAY, (wanted[0]?.at ?? now) - DAY));
  const receipts = [start];
  for (let k = 1; k < regular; k++) receipts.push(workingHours(random, start + (k / regular) * (now - start) * between(random, 0.85, 1)));
  receipts.sort((a, b) => a - b);
  // Older lots mostly expire first; now and then a newer batch has the shorter date (FEFO takes it first).
  const expiries = receipts.map(() => plusDays(today, random.int(30, 730))).sort();
  if (regular > 1 && random.chance(0.25)) {
    const k = random.int(0, regular - 2);
    [expiries[k], expiries[k + 1]] = [expiries[k + 1], expiries[k]];
  }
  const prefix = medicine.code
    .replace(/[^a-z]/g, '')
    .slice(0, 3)
    .toUpperCase()
    .padEnd(3, 'X');
  const lot = (receivedAt: number, expiresOn: string, quantity: number, onHold: boolean): LotPlan => ({
    id: random.uuid(),
    itemId: item.id,
    // Fixed length, letters and digits: the same order under any collation (FEFO breaks ties by batch).
    batchNumber: `${prefix}${expiresOn.slice(2, 4)}${expiresOn.slice(5, 7)}${String(random.int(0, 99_999)).padStart(5, '0')}`,
    expiresOn,
    unitCostXaf: Math.max(1, Math.round(cost * between(random, 0.9, 1.1))),
    supplier: random.pick(SUPPLIERS),
    onHold,
    receivedAt,
    receivedBy: random.pick(dispensary.pharmacists),
    receiptId: random.uuid(),
    quantity,
    balance: quantity,
  });
  const lots = receipts.map((receivedAt, k) => {
    const until = k + 1 < regular ? receipts[k + 1] : Infinity;
    const stockAfter = k + 1 === regular ? perDay * between(random, 20, 60) : 0;
    return lot(receivedAt, expiries[k], roundUp(unitsBetween(receivedAt, until) * between(random, 1.1, 1.3) + stockAfter, pack), false);
  });
  if (expired) {
    // Bought early in the year, over what was needed before its date: what is left expired on the shelf.
    const expiresOn = plusDays(today, -random.int(1, 90));
    const needed = wanted.reduce((sum, w) => (localDay(w.at) <= expiresOn ? sum + w.quantity : sum), 0);
    const receivedAt = workingHours(random, start - random.int(0, 20) * DAY);
    lots.push(lot(receivedAt, expiresOn, roundUp(needed * between(random, 0.3, 1.2) + random.int(1, 4) * pack, pack), false));
  }
  if (held) {
    // In quarantine since it arrived (awaiting its certificate of analysis): never dispensed.
    const receivedAt = workingHours(random, now - random.int(1, 30) * DAY);
    lots.push(lot(receivedAt, plusDays(today, random.int(180, 730)), roundUp(perDay * between(random, 20, 60), pack), true));
  }
  // Unique batch numbers per item (the database's key): a clash is drawn again.
  const batches = new Set<string>();
  for (const each of lots) {
    while (batches.has(each.batchNumber))
      each.batchNumber = `${each.batchNumber.slice(0, 7)}${String(random.int(0, 99_999)).padStart(5, '0')}`;
    batches.add(each.batchNumber);
  }
  return lots;
}

/** A dispense from the lots usable at its time, earliest expiry first (the module's order); fails when they hold too little. */
function dispenseFefo(random: Random, want: Demand, item: ItemPlan, lots: LotPlan[]): DispensePlan {
  const day = localDay(want.at);
  const usable = lots
    .filter((lot) => !lot.onHold && lot.receivedAt <= want.at && lot.expiresOn >= day && lot.balance > 0)
    .sort(
      (a, b) =>
        a.expiresOn.localeCompare(b.expiresOn) ||
        localDay(a.receivedAt).localeCompare(localDay(b.receivedAt)) ||
        a.batchNumber.localeCompare(b.batchNumber) ||
        a.id.localeCompare(b.id),
    );
  const takes: DispensePlan['takes'] = [];
  let left = want.quantity;
  for (const lot of usable) {
    if (left === 0) break;
    const quantity = Math.min(left, lot.balance);
    lot.balance -= quantity;
    left -= quantity;
    takes.push({ movementId: random.uuid(), lotId: lot.id, quantity });
  }
  if (left > 0) throw new Error(`bench dispensaries: item ${item.id} is short of ${left} on ${day}: the lot plan is wrong`);
  return {
    id: random.uuid(),
    fulfillment: want.fulfillment,
    clinicId: want.clinicId,
    prescriptionItemId: want.item.id,
    medicineId: item.medicineId,
    description: want.item.medicineName,
    quantity: want.quantity,
    supplyType: want.supplyType,
    unitPriceXaf: item.sellingPriceXaf,
    at: want.at,
    takes,
  };
}
