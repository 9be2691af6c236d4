// What a dispensing run works on, made fresh for each side of each run in the generated database:
// a medicine the dispensary has never stocked, as a new inventory item with five lots received
// through the module's repository (one of them expired since: received with a good date, which is
// then moved into the past, as time passing would), and, for each pharmacist, a queue of signed
// prescriptions of it (one item each, no refills) presented at that dispensary, written through the
// prescriptions module's repository and signed with its signer, for patients registered at the
// clinic, by one of its doctors. The twenty pharmacists are staff of the clinic (made once, by email).
// Lots are append-only (a trigger refuses their deletion): each run uses up medicines the dispensary
// does not stock (tablets and capsules, not controlled), two a run.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { fromLocalDate, localDateIn } from '../../src/graphql/scalars.js';
import { InventoryRepository } from '../../src/modules/pharmacy/inventory.repository.js';
import { PharmaciesRepository } from '../../src/modules/pharmacy/pharmacies.repository.js';
import { addDays } from '../../src/modules/prescriptions/prescription-dates.js';
import { PrescriptionSigner, signingKeys } from '../../src/modules/prescriptions/prescription-signature.js';
import { PrescriptionsRepository } from '../../src/modules/prescriptions/prescriptions.repository.js';
import { EMAIL_DOMAIN } from '../data/postgres-load.js';
import { fromDist } from '../lib/dist.js';
import { benchSigningKey } from '../settings.js';
import type { TokenMint } from '../fixtures.js';

/** One prescription in a pharmacist's queue: its fulfilment at the dispensary and its one item. */
export interface Presented {
  fulfillmentId: string;
  prescriptionId: string;
  itemId: string;
  quantity: number;
}

export interface StockedLot {
  id: string;
  batchNumber: string;
  expiresOn: string;
  received: number;
  expired: boolean;
}

/** One side's medicine: its item, lots and the pharmacists' queues. */
export interface Side {
  medicine: { id: string; code: string; name: string };
  itemId: string;
  lots: StockedLot[];
  /** Units in the lots that may be dispensed (all but the expired one). */
  usableUnits: number;
  queues: Presented[][];
}

export interface Dispensary {
  id: string;
  clinicId: string;
  name: string;
  pharmacists: Array<{ userId: string; token: string }>;
  doctorId: string;
  /** Medicines it has never stocked, for the sides of this run. */
  fresh: Array<{ id: string; code: string; name: string; strength: string; form: string; route: string }>;
}

export interface StockPlan {
  /** Units in the four lots that have not expired (split 15%, 20%, 30%, 35%, first expiry first). */
  units: number;
  expiredUnits: number;
  /** Units each prescription is written for (1 to 3 are given a request). */
  perPrescription: number;
  prescriptionsPerPharmacist: number;
}

const DAY_MS = 86_400_000;

/**
 * The dispensary of the clinic with the most registered patients that still has two medicines it
 * never stocked, its twenty pharmacists (tokens minted) and one of its doctors.
 */
export async function chooseDispensary(client: pg.ClientBase, mint: TokenMint, pharmacists: number): Promise<Dispensary> {
  const { rows } = await client.query(
    `SELECT p.id, p.clinic_id, p.name FROM pharmacies p WHERE p.kind = 'dispensary' AND p.active
     ORDER BY (SELECT count(*) FROM care_relationships c WHERE c.clinic_id = p.clinic_id AND c.kind = 'registration') DESC, p.id`,
  );
  for (const pharmacy of rows) {
    const fresh = (
      await client.query(
        `SELECT m.id, m.code, m.generic_name AS name, m.strengths[1] AS strength, m.forms[1] AS form, m.routes[1] AS route
         FROM medicines m WHERE m.active AND NOT m.controlled AND m.forms[1] ~ '(tablet|capsule)'
           AND NOT EXISTS (SELECT 1 FROM inventory_items i WHERE i.pharmacy_id = $1 AND i.medicine_id = m.id)
         ORDER BY m.code LIMIT 2`,
        [pharmacy.id],
      )
    ).rows;
    if (fresh.length < 2) continue;
    const doctor = (
      await client.query(
        `SELECT user_id FROM clinic_staff WHERE clinic_id = $1 AND role = 'doctor' AND is_active ORDER BY joined_at, user_id LIMIT 1`,
        [pharmacy.clinic_id],
      )
    ).rows[0];
    if (!doctor) continue;
    const userIds = await pharmacistsOf(client, pharmacy.clinic_id, pharmacists);
    const tokens = await mint.forUsers(userIds);
    return {
      id: pharmacy.id,
      clinicId: pharmacy.clinic_id,
      name: pharmacy.name,
      pharmacists: userIds.map((userId, i) => ({ userId, token: tokens[i] })),
      doctorId: doctor.user_id,
      fresh,
    };
  }
  throw new Error('no dispensary has two medicines it never stocked, or a doctor: run npm run bench:generate again');
}

/** `count` pharmacists on the clinic's staff, made the first time (by email), their user ids in order. */
async function pharmacistsOf(client: pg.ClientBase, clinicId: string, count: number): Promise<string[]> {
  const emails = Array.from({ length: count }, (_, k) => `bench-pharmacist${k}.${clinicId.slice(0, 8)}@${EMAIL_DOMAIN}`);
  await client.query(
    `INSERT INTO users (id, email, role, status, updated_at) SELECT gen_random_uuid(), e, 'pharmacist', 'active', now() FROM unnest($1::text[]) AS e
     ON CONFLICT (email) DO NOTHING`,
    [emails],
  );
  const ids = (await client.query(`SELECT id, email FROM users WHERE email = ANY($1::text[])`, [emails])).rows;
  const idOf = new Map(ids.map((row) => [row.email as string, row.id as string]));
  const userIds = emails.map((email) => idOf.get(email)!);
  await client.query(
    `INSERT INTO user_profiles (user_id, first_name, last_name, updated_at) SELECT u, 'Bench', 'Pharmacist', now() FROM unnest($1::uuid[]) AS u
     ON CONFLICT (user_id) DO NOTHING`,
    [userIds],
  );
  await client.query(
    `INSERT INTO clinic_staff (id, clinic_id, user_id, role) SELECT gen_random_uuid(), $2, u, 'pharmacist' FROM unnest($1::uuid[]) AS u
     ON CONFLICT (clinic_id, user_id) DO NOTHING`,
    [userIds, clinicId],
  );
  return userIds;
}

/** A new inventory item of `medicine` with its five lots, received as the module receives stock. */
async function stock(
  prisma: PrismaClient,
  dispensary: Dispensary,
  medicine: Dispensary['fresh'][number],
  plan: StockPlan,
  run: string,
): Promise<Pick<Side, 'itemId' | 'lots' | 'usableUnits'>> {
  const inventory = new InventoryRepository(prisma);
  const today = localDateIn(new Date());
  const byUserId = dispensary.pharmacists[0].userId;
  const item = await inventory.createItem({
    pharmacyId: dispensary.id,
    medicineId: medicine.id,
    supplyName: null,
    unit: medicine.form,
    reorderPoint: 50,
    maxLevel: Math.max(50, plan.units * 2),
    sellingPriceXaf: 75,
  });
  const shares = [0.15, 0.2, 0.3, 0.35];
  const quantities = shares.map((share) => Math.floor(plan.units * share));
  quantities[3] += plan.units - quantities.reduce((sum, q) => sum + q, 0);
  const lots: StockedLot[] = [];
  // In FEFO order after the expired one: 20, 90, 200 and 400 days to go.
  const wanted = [
    { days: -3, quantity: plan.expiredUnits, expired: true },
    ...[20, 90, 200, 400].map((days, k) => ({ days, quantity: quantities[k], expired: false })),
  ];
  for (const [k, lot] of wanted.entries()) {
    const expiresOn = fromLocalDate(today).getTime() + lot.days * DAY_MS;
    const received = await inventory.receive({
      itemId: item.id,
      batchNumber: `BENCH${run}${k}`.toUpperCase(),
      // An expired lot came in while it was good (the trigger refuses nothing at receipt, but its date moves after).
      expiresOn: new Date(lot.expired ? fromLocalDate(today).getTime() + 30 * DAY_MS : expiresOn),
      quantity: lot.quantity,
      unitCostXaf: 40,
      supplier: 'CENAME',
      receivedOn: fromLocalDate(today),
      byUserId,
    });
    if (lot.expired)
      await prisma.$executeRaw`UPDATE stock_lots SET expires_on = ${new Date(expiresOn)}::date WHERE id = ${received.id}::uuid`;
    lots.push({
      id: received.id,
      batchNumber: received.batchNumber,
      expiresOn: new Date(expiresOn).toISOString().slice(0, 10),
      received: lot.quantity,
      expired: lot.expired,
    });
  }
  return { itemId: item.id, lots, usableUnits: plan.units };
}

/** Signed prescriptions of `medicine`, one per patient, presented at the dispensary; dealt to the pharmacists in turn. */
async function presented(
  client: pg.ClientBase,
  prisma: PrismaClient,
  dispensary: Dispensary,
  medicine: Dispensary['fresh'][number],
  plan: StockPlan,
  run: string,
): Promise<Presented[][]> {
  const { signedContent } = await fromDist<typeof import('../../src/modules/prescriptions/prescriptions.mapper.js')>(
    'src/modules/prescriptions/prescriptions.mapper.js',
  );
  const prescriptions = new PrescriptionsRepository(prisma);
  const pharmacies = new PharmaciesRepository(prisma);
  const signer = new PrescriptionSigner(signingKeys(benchSigningKey()));
  const count = dispensary.pharmacists.length * plan.prescriptionsPerPharmacist;
  const patients = (
    await client.query(
      `SELECT patient_id FROM care_relationships WHERE clinic_id = $1 AND kind = 'registration' ORDER BY md5(patient_id::text || $2) LIMIT $3`,
      [dispensary.clinicId, run, count],
    )
  ).rows.map((row) => row.patient_id as string);
  if (patients.length < count) throw new Error(`${dispensary.name} has ${patients.length} registered patients, ${count} needed`);
  const today = localDateIn(new Date());
  const write = async (patientId: string): Promise<Presented> => {
    const draft = await prescriptions.createDraft({
      patientId,
      prescriberId: dispensary.doctorId,
      clinicId: dispensary.clinicId,
      appointmentId: null,
      diagnoses: ['R51'],
      notes: null,
      validityDays: 30,
      year: Number(today.slice(0, 4)),
      items: [
        {
          position: 1,
          medicineId: medicine.id,
          medicineName: medicine.name,
          strength: medicine.strength,
          form: medicine.form,
          route: medicine.route,
          doseAmount: 1,
          doseUnit: 'tablet',
          frequency: 'TID',
          durationDays: Math.ceil(plan.perPrescription / 3),
          quantity: plan.perPrescription,
          refillsAllowed: 0,
          substitutionAllowed: true,
          instructions: null,
        },
      ],
    });
    const now = new Date();
    const checked = (await prescriptions.saveFindings(draft.id, draft.updatedAt, [], now))!;
    const signing = { signedAt: now, signedBy: dispensary.doctorId, issuedOn: fromLocalDate(today), validUntil: addDays(today, 30) };
    const signed = await prescriptions.sign(draft.id, checked.checkedAt!, signing, (row) => signer.sign(signedContent(row, signing)));
    if (!signed) throw new Error('a bench prescription could not be signed');
    const fulfillment = await pharmacies.present({
      prescriptionId: signed.id,
      pharmacyId: dispensary.id,
      patientId,
      urgent: false,
      presentedBy: patientId,
    });
    return { fulfillmentId: fulfillment.id, prescriptionId: signed.id, itemId: signed.items[0].id, quantity: plan.perPrescription };
  };
  const written: Presented[] = [];
  for (let from = 0; from < patients.length; from += 8) written.push(...(await Promise.all(patients.slice(from, from + 8).map(write))));
  return dispensary.pharmacists.map((_, k) => written.filter((__, i) => i % dispensary.pharmacists.length === k));
}

/** One side of the run: a fresh item of the `index`-th fresh medicine, its lots and the prescriptions to dispense. */
export async function makeSide(
  client: pg.ClientBase,
  prisma: PrismaClient,
  dispensary: Dispensary,
  index: number,
  plan: StockPlan,
): Promise<Side> {
  const medicine = dispensary.fresh[index];
  const run = randomBytes(3).toString('hex');
  const stocked = await stock(prisma, dispensary, medicine, plan, run);
  return {
    medicine: { id: medicine.id, code: medicine.code, name: medicine.name },
    ...stocked,
    queues: await presented(client, prisma, dispensary, medicine, plan, run),
  };
}
