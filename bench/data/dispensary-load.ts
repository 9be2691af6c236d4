// Writes the dispensaries' year (planned in dispensaries.ts) after the prescriptions: two
// pharmacists per clinic, then items, lots, receipts, fulfilments, acknowledgments, dispenses with
// their movements and charges, in batched INSERT ... unnest statements. Stock arrives only as
// receipts: the ledger's trigger moves each lot's balance as each movement goes in (receipts first,
// then dispenses in time order, so no balance is ever below zero on the way). A lot that expired
// lately goes in with a date still good and gets its real one after its movements, as time passing
// would have done (the trigger refuses a dispense from an expired lot at the time it is written).
// Checks, failing loudly: every clinic got its dispensary from the clinics' trigger, and every lot's
// balance is what the plan says.
import type pg from 'pg';
import { EMAIL_DOMAIN, People, STAFF } from './postgres-load.js';
import { RowWriter } from './postgres-rows.js';
import { localDay, plusDays } from './prescriptions.js';
import {
  planDispensaries,
  type CompletedPrescription,
  type DispensaryInput,
  type OpeningHours,
  type StockedMedicine,
} from './dispensaries.js';
import type { World } from './world.js';
import { Random } from '../lib/random.js';
import { Progress } from '../lib/progress.js';

const DAY = 24 * 60 * 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();
/** Items per dispensary: the most prescribed medicines (fewer when fewer are prescribed). */
const STOCKED_MEDICINES = 60;
const PHARMACISTS_PER_CLINIC = 2;
/** The unit stock is counted in, from the unit the doses are written in. */
const STOCK_UNIT: Record<string, string> = {
  tablet: 'tablet',
  capsule: 'capsule',
  sachet: 'sachet',
  vial: 'vial',
  mL: 'bottle',
  IU: 'vial',
  puff: 'inhaler',
};

export interface DispensaryCounts {
  dispensaries: number;
  pharmacists: number;
  items: number;
  lots: number;
  expiredLots: number;
  heldLots: number;
  receipts: number;
  dispenseMovements: number;
  dispenses: number;
  fulfillments: number;
  acknowledgments: number;
  chargeItems: number;
  completed: number;
  withRefills: number;
  elsewhere: number;
}

/** Every clinic has exactly one dispensary, made by PostgreSQL when the clinic was inserted (migration `pharmacy_and_inventory`). */
async function dispensariesByTrigger(client: pg.ClientBase, world: World): Promise<void> {
  const { rows } = await client.query<{ clinic_id: string; n: number }>(
    `SELECT c.id AS clinic_id, count(p.id)::int AS n FROM clinics c LEFT JOIN pharmacies p ON p.clinic_id = c.id AND p.kind = 'dispensary' GROUP BY c.id`,
  );
  const missing = rows.filter((row) => row.n !== 1);
  if (rows.length !== world.clinics.length || missing.length > 0)
    throw new Error(
      `bench dispensaries: ${rows.length} clinics in PostgreSQL for ${world.clinics.length} generated, ${missing.length} without exactly one dispensary: the clinics' trigger did not run`,
    );
}

async function readInputs(client: pg.ClientBase): Promise<{ medicines: StockedMedicine[]; prescriptions: CompletedPrescription[] }> {
  const medicines = (
    await client.query<{ id: string; code: string; unit: string }>(
      `SELECT m.id, m.code, mode() WITHIN GROUP (ORDER BY i.dose_unit) AS unit
       FROM prescription_items i JOIN medicines m ON m.id = i.medicine_id
       GROUP BY m.id, m.code ORDER BY count(*) DESC, m.code LIMIT $1`,
      [STOCKED_MEDICINES],
    )
  ).rows.map((row) => ({ id: row.id, code: row.code, unit: STOCK_UNIT[row.unit] ?? 'tablet' }));
  const completed = `SELECT id FROM prescriptions WHERE status = 'completed'`;
  const items = (
    await client.query(
      `SELECT i.prescription_id, i.id, i.medicine_id, i.medicine_name, i.quantity, i.refills_allowed
       FROM prescription_items i WHERE i.prescription_id IN (${completed}) ORDER BY i.prescription_id, i.position`,
    )
  ).rows;
  const overridden = (
    await client.query(
      `SELECT prescription_id, id FROM prescription_findings
       WHERE override_reason IS NOT NULL AND prescription_id IN (${completed}) ORDER BY prescription_id, id`,
    )
  ).rows;
  const prescriptions = new Map<string, CompletedPrescription>();
  for (const row of (
    await client.query(
      `SELECT id, clinic_id, patient_id, prescriber_id, signed_at, status_changed_at FROM prescriptions WHERE status = 'completed' ORDER BY id`,
    )
  ).rows)
    prescriptions.set(row.id, {
      id: row.id,
      clinicId: row.clinic_id,
      patientId: row.patient_id,
      prescriberId: row.prescriber_id,
      signedAt: (row.signed_at as Date).getTime(),
      completedAt: (row.status_changed_at as Date).getTime(),
      items: [],
      overridden: [],
    });
  for (const row of items)
    prescriptions.get(row.prescription_id)!.items.push({
      id: row.id,
      medicineId: row.medicine_id,
      medicineName: row.medicine_name,
      quantity: row.quantity,
      refills: row.refills_allowed,
    });
  for (const row of overridden) prescriptions.get(row.prescription_id)!.overridden.push(row.id);
  return { medicines, prescriptions: [...prescriptions.values()] };
}

/** Writes the dispensaries' year; `passwordHash` is the accounts' one hash. */
export async function loadDispensaries(client: pg.ClientBase, world: World, passwordHash: string, seed: number): Promise<DispensaryCounts> {
  const random = new Random(seed + 5);
  const created = iso(world.now - 400 * DAY);
  await dispensariesByTrigger(client, world);
  // The trigger's ids are random: each dispensary gets one from the seed before anything refers to it.
  const ids = world.clinics.map(() => random.uuid());
  const hours = await client.query<{ clinic_id: string; hours: OpeningHours[] }>(
    `UPDATE pharmacies p SET id = v.id, created_at = $3 FROM unnest($1::uuid[], $2::uuid[]) AS v(clinic_id, id)
     WHERE p.clinic_id = v.clinic_id AND p.kind = 'dispensary' RETURNING p.clinic_id, p.hours`,
    [world.clinics.map((clinic) => clinic.id), ids, created],
  );
  const hoursOf = new Map(hours.rows.map((row) => [row.clinic_id, row.hours]));
  const dispensaries: DispensaryInput[] = world.clinics.map((clinic, i) => ({
    id: ids[i],
    clinicId: clinic.id,
    pharmacists: Array.from({ length: PHARMACISTS_PER_CLINIC }, () => random.uuid()),
    hours: hoursOf.get(clinic.id)!,
  }));
  const people = new People(client, random, passwordHash, created);
  const staff = new RowWriter(client, 'clinic_staff', STAFF, undefined, [people.users]);
  for (const [i, dispensary] of dispensaries.entries())
    for (const [k, id] of dispensary.pharmacists.entries()) {
      await people.add({ id, email: `pharmacist${k}.c${i}@${EMAIL_DOMAIN}`, role: 'pharmacist', female: random.chance(0.55) });
      await staff.add([random.uuid(), dispensary.clinicId, id, 'pharmacist', created]);
    }
  await people.flush();
  await staff.flush();

  const { medicines, prescriptions } = await readInputs(client);
  const plan = planDispensaries(random, world.now, dispensaries, medicines, prescriptions);
  const today = localDay(world.now);
  const progress = new Progress('postgres dispensaries', plan.lots.length + plan.dispenses.length);

  const items = new RowWriter(client, 'inventory_items', [
    ['id', 'uuid'],
    ['pharmacy_id', 'uuid'],
    ['medicine_id', 'uuid'],
    ['unit', 'varchar'],
    ['reorder_point', 'int'],
    ['max_level', 'int'],
    ['selling_price_xaf', 'int'],
    ['created_at', 'timestamptz'],
  ]);
  const lots = new RowWriter(
    client,
    'stock_lots',
    [
      ['id', 'uuid'],
      ['item_id', 'uuid'],
      ['batch_number', 'varchar'],
      ['expires_on', 'date'],
      ['unit_cost_xaf', 'int'],
      ['supplier', 'varchar'],
      ['received_on', 'date'],
      ['on_hold', 'boolean'],
    ],
    progress,
    [items],
  );
  const fulfillments = new RowWriter(client, 'prescription_fulfillments', [
    ['id', 'uuid'],
    ['prescription_id', 'uuid'],
    ['pharmacy_id', 'uuid'],
    ['patient_id', 'uuid'],
    ['status', 'fulfillment_status'],
    ['urgent', 'boolean'],
    ['presented_by', 'uuid'],
    ['presented_at', 'timestamptz'],
    ['status_changed_at', 'timestamptz'],
    ['status_changed_by', 'uuid'],
  ]);
  const acknowledgments = new RowWriter(
    client,
    'override_acknowledgments',
    [
      ['fulfillment_id', 'uuid'],
      ['finding_id', 'uuid'],
      ['acknowledged_by', 'uuid'],
      ['acknowledged_at', 'timestamptz'],
    ],
    undefined,
    [fulfillments],
  );
  const dispenses = new RowWriter(
    client,
    'dispenses',
    [
      ['id', 'uuid'],
      ['fulfillment_id', 'uuid'],
      ['prescription_item_id', 'uuid'],
      ['pharmacy_id', 'uuid'],
      ['patient_id', 'uuid'],
      ['medicine_id', 'uuid'],
      ['quantity', 'int'],
      ['supply_type', 'supply_type'],
      ['supply_number', 'int'],
      ['unit_price_xaf', 'int'],
      ['dispensed_by', 'uuid'],
      ['dispensed_at', 'timestamptz'],
    ],
    progress,
    [fulfillments],
  );
  const movements = new RowWriter(
    client,
    'stock_movements',
    [
      ['id', 'uuid'],
      ['lot_id', 'uuid'],
      ['kind', 'movement_kind'],
      ['quantity', 'int'],
      ['dispense_id', 'uuid'],
      ['by_user_id', 'uuid'],
      ['at', 'timestamptz'],
    ],
    undefined,
    [lots, dispenses],
  );
  const charges = new RowWriter(
    client,
    'charge_items',
    [
      ['id', 'uuid'],
      ['patient_id', 'uuid'],
      ['clinic_id', 'uuid'],
      ['source', 'varchar'],
      ['dispense_id', 'uuid'],
      ['description', 'varchar'],
      ['quantity', 'int'],
      ['unit_price_xaf', 'int'],
      ['total_xaf', 'int'],
      ['created_at', 'timestamptz'],
    ],
    undefined,
    [dispenses],
  );

  for (const item of plan.items)
    await items.add([
      item.id,
      item.pharmacyId,
      item.medicineId,
      item.unit,
      item.reorderPoint,
      item.maxLevel,
      item.sellingPriceXaf,
      iso(world.now - 345 * DAY),
    ]);
  const expired = plan.lots.filter((lot) => lot.expiresOn < today);
  for (const lot of plan.lots)
    await lots.add([
      lot.id,
      lot.itemId,
      lot.batchNumber,
      lot.expiresOn < today ? plusDays(today, 1) : lot.expiresOn,
      lot.unitCostXaf,
      lot.supplier,
      localDay(lot.receivedAt),
      lot.onHold,
    ]);
  for (const f of plan.fulfillments) {
    await fulfillments.add([
      f.id,
      f.prescriptionId,
      f.pharmacyId,
      f.patientId,
      'dispensed',
      f.urgent,
      f.presentedBy,
      iso(f.presentedAt),
      iso(f.completedAt),
      f.pharmacist,
    ]);
    for (const ack of f.acknowledgments) await acknowledgments.add([f.id, ack.findingId, f.pharmacist, iso(ack.at)]);
  }
  for (const lot of plan.lots)
    await movements.add([lot.receiptId, lot.id, 'receipt', lot.quantity, null, lot.receivedBy, iso(lot.receivedAt)]);
  const inTime = [...plan.dispenses].sort((a, b) => a.at - b.at);
  for (const d of inTime) {
    const by = d.fulfillment.pharmacist;
    await dispenses.add([
      d.id,
      d.fulfillment.id,
      d.prescriptionItemId,
      d.fulfillment.pharmacyId,
      d.fulfillment.patientId,
      d.medicineId,
      d.quantity,
      d.supplyType,
      1,
      d.unitPriceXaf,
      by,
      iso(d.at),
    ]);
    for (const take of d.takes) await movements.add([take.movementId, take.lotId, 'dispense', -take.quantity, d.id, by, iso(d.at)]);
    await charges.add([
      random.uuid(),
      d.fulfillment.patientId,
      d.clinicId,
      'dispense',
      d.id,
      d.description.slice(0, 200),
      d.quantity,
      d.unitPriceXaf,
      d.quantity * d.unitPriceXaf,
      iso(d.at),
    ]);
  }
  for (const writer of [items, lots, fulfillments, acknowledgments, dispenses, movements, charges]) await writer.flush();
  // Time passed: the lots that expired lately get their date.
  await client.query(`UPDATE stock_lots l SET expires_on = v.e FROM unnest($1::uuid[], $2::date[]) AS v(id, e) WHERE l.id = v.id`, [
    expired.map((lot) => lot.id),
    expired.map((lot) => lot.expiresOn),
  ]);
  // A prescription completed by its last dispense was completed then (in opening hours), by that pharmacist.
  await client.query(
    `UPDATE prescriptions p SET status_changed_at = v.at, updated_at = v.at, status_changed_by = v.by
     FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[]) AS v(id, at, by) WHERE p.id = v.id`,
    [
      plan.fulfillments.map((f) => f.prescriptionId),
      plan.fulfillments.map((f) => iso(f.completedAt)),
      plan.fulfillments.map((f) => f.pharmacist),
    ],
  );
  await client.query('VACUUM ANALYZE stock_lots, prescriptions');
  progress.finish();

  const balances = new Map(
    (await client.query<{ id: string; quantity_on_hand: number }>('SELECT id, quantity_on_hand FROM stock_lots')).rows.map((row) => [
      row.id,
      row.quantity_on_hand,
    ]),
  );
  const wrong = plan.lots.filter((lot) => balances.get(lot.id) !== lot.balance);
  if (wrong.length > 0 || balances.size !== plan.lots.length)
    throw new Error(`bench dispensaries: ${wrong.length} lots of ${plan.lots.length} do not hold what the plan left in them`);
  return {
    dispensaries: dispensaries.length,
    pharmacists: dispensaries.length * PHARMACISTS_PER_CLINIC,
    items: items.written,
    lots: lots.written,
    expiredLots: expired.length,
    heldLots: plan.lots.filter((lot) => lot.onHold).length,
    receipts: plan.lots.length,
    dispenseMovements: movements.written - plan.lots.length,
    dispenses: dispenses.written,
    fulfillments: fulfillments.written,
    acknowledgments: acknowledgments.written,
    chargeItems: charges.written,
    completed: prescriptions.length,
    withRefills: plan.withRefills,
    elsewhere: plan.elsewhere,
  };
}
