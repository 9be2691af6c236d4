// Pharmacy and inventory, tested from the specification (issue 13 and the README's "Pharmacy and
// stock"), over HTTP, as each role would: the dispensary's pharmacist, a partner pharmacy's
// pharmacist, another clinic's pharmacist, the clinic's admin, doctor, nurse, receptionist, lab
// technician, the patient and anonymous. Written without reading the implementation.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseGlobalId } from '../../src/graphql/global-id.js';
import { AUDIT_LOGS } from '../../src/modules/audit/index.js';
import { useTestApi, type GraphQLResponse } from '../harness/api.js';
import { createClinic, createDoctor, createPatient, createStaff, itemInput, medicationId, recordFacts } from '../factories.js';

const api = useTestApi({ manualJobs: true });

const tag = () => randomBytes(4).toString('hex');
/** A calendar date (YYYY-MM-DD, UTC) `days` from today. */
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
/** The database id inside a global id (or the id itself). */
const dbId = (id: string) => parseGlobalId(id)?.id ?? id;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Documents

const PHARMACIES = `query($c: ID) { pharmacies(clinicId: $c) { id kind name licence phone address { street city } } }`;
const REGISTER_PARTNER = `mutation($input: PartnerPharmacyInput!) { registerPartnerPharmacy(input: $input) { id kind name licence } }`;
const ADD_PHARMACIST = `mutation($ph: ID!, $u: ID!) { addPharmacist(pharmacyId: $ph, userId: $u) { id } }`;

const RX_FIELDS = `id number status validUntil
  items { id position quantity refillsAllowed substitutionAllowed medication { code } }
  safetyFindings { id kind severity resolution { kind reason by { name role } } }`;
const CREATE_RX = `mutation($input: NewPrescriptionInput!) { createPrescription(input: $input) { ${RX_FIELDS} } }`;
const CHECK_RX = `mutation($id: ID!) { checkPrescription(id: $id) { ${RX_FIELDS} } }`;
const SIGN_RX = `mutation($id: ID!) { signPrescription(id: $id) { ${RX_FIELDS} } }`;
const OVERRIDE = `mutation($f: ID!, $r: String!) { overrideSafetyFinding(findingId: $f, reason: $r) { id } }`;
const ACKNOWLEDGE_FINDING = `mutation($f: ID!) { acknowledgeSafetyFinding(findingId: $f) { id } }`;
const CANCEL_RX = `mutation($id: ID!, $r: String!) { cancelPrescription(id: $id, reason: $r) { id status } }`;
const HOLD_RX = `mutation($id: ID!, $r: String!) { holdPrescription(id: $id, reason: $r) { id status } }`;
const RESUME_RX = `mutation($id: ID!) { resumePrescription(id: $id) { id status } }`;
const READ_RX = `query($id: ID!) { prescription(id: $id) { ${RX_FIELDS} } }`;

const FULFILLMENT = `id status statusReason urgent presentedAt acknowledgments { findingId at }`;
const PRESENT = `mutation($ph: ID!, $rx: ID!, $urgent: Boolean!) {
  presentPrescription(pharmacyId: $ph, prescriptionId: $rx, urgent: $urgent) { ${FULFILLMENT} } }`;
const QUEUE = `query($ph: ID!, $status: FulfillmentStatus, $first: Int!, $after: String) {
  pharmacyQueue(pharmacyId: $ph, status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { ${FULFILLMENT} prescription { id number } } } } }`;
const QUEUE_IN_FULL = `query($ph: ID!) { pharmacyQueue(pharmacyId: $ph, first: 20) { edges { node { id status
  patient { firstName lastName }
  prescription { id number items { id medicationName quantity }
    safetyFindings { id kind severity resolution { kind reason by { name role } } } } } } } }`;
const QUEUE_BARE = `query($ph: ID!) { pharmacyQueue(pharmacyId: $ph, first: 20) { edges { node { id status urgent presentedAt } } } }`;
const START_PREPARATION = `mutation($id: ID!) { startPreparation(id: $id) { ${FULFILLMENT} } }`;
const MARK_READY = `mutation($id: ID!) { markFulfillmentReady(id: $id) { ${FULFILLMENT} } }`;
const DECLINE = `mutation($id: ID!, $r: String!) { declineFulfillment(id: $id, reason: $r) { ${FULFILLMENT} } }`;
const HOLD_FULFILLMENT = `mutation($id: ID!, $r: String!) { holdFulfillment(id: $id, reason: $r) { ${FULFILLMENT} } }`;
const ACKNOWLEDGE_OVERRIDE = `mutation($f: ID!, $fu: ID!) { acknowledgeOverride(findingId: $f, fulfillmentId: $fu) { ${FULFILLMENT} } }`;
const DISPENSE = `mutation($input: DispenseInput!) { dispense(input: $input) {
  id quantity supplyType supplyNumber substituted unitPriceXaf fulfillmentStatus dispensedAt
  lots { batchNumber expiresOn quantity } } }`;

const CREATE_ITEM = `mutation($input: InventoryItemInput!) { createInventoryItem(input: $input) {
  id name unit reorderPoint maxLevel sellingPriceXaf active medication { code } } }`;
const LOT = `id batchNumber expiresOn quantityOnHand unitCostXaf supplier receivedOn onHold expired`;
const RECEIVE = `mutation($input: ReceiptInput!) { receiveStock(input: $input) { ${LOT} } }`;
const ADJUST = `mutation($lot: ID!, $q: Int!, $r: String!) { adjustStock(lotId: $lot, quantity: $q, reason: $r) { ${LOT} } }`;
const RETURN = `mutation($lot: ID!, $q: Int!, $r: String!) { returnStock(lotId: $lot, quantity: $q, reason: $r) { ${LOT} } }`;
const WRITE_OFF = `mutation($lot: ID!, $q: Int!, $r: WriteOffReason!, $n: String) {
  writeOffStock(lotId: $lot, quantity: $q, reason: $r, note: $n) { ${LOT} } }`;
const SET_ON_HOLD = `mutation($lot: ID!, $h: Boolean!) { setLotOnHold(lotId: $lot, onHold: $h) { ${LOT} } }`;
const TRANSFER = `mutation($lot: ID!, $q: Int!, $to: ID!) { transferStock(lotId: $lot, quantity: $q, toItemId: $to) {
  transferId from { ${LOT} } to { ${LOT} } } }`;
const START_COUNT = `mutation($ph: ID!) { startStockCount(pharmacyId: $ph) { id startedAt closedAt differences { lotId difference } } }`;
const RECORD_COUNT = `mutation($c: ID!, $lot: ID!, $n: Int!) { recordStockCount(countId: $c, lotId: $lot, counted: $n) { id } }`;
const CLOSE_COUNT = `mutation($c: ID!) { closeStockCount(countId: $c) { id closedAt differences { lotId difference } } }`;
const MOVEMENTS = `query($lot: ID!) { stockMovements(lotId: $lot) { id kind quantity reason transferId at by { id name role } } }`;
const RECONCILE = `query($ph: ID!) { reconcileStock(pharmacyId: $ph) { lotId onHand ledger } }`;
const INVENTORY = `query($ph: ID!) { inventory(pharmacyId: $ph, first: 100) { totalCount edges { node {
  id name reorderPoint sellingPriceXaf lots { ${LOT} } } } } }`;
const LOW_STOCK = `query($ph: ID!) { lowStockItems(pharmacyId: $ph) { onHand reorderPoint item { id name } } }`;
const EXPIRING = `query($ph: ID!, $d: Int) { expiringLots(pharmacyId: $ph, withinDays: $d) { id batchNumber expiresOn quantityOnHand expired } }`;
const STOCK_VALUE = `query($ph: ID!) { stockValue(pharmacyId: $ph) { units valueXaf } }`;
const HISTORY = `query($ph: ID!, $from: LocalDate!, $to: LocalDate!) {
  dispensingHistory(pharmacyId: $ph, from: $from, to: $to) { dispenses units revenueXaf medication { code } } }`;

// ---------------------------------------------------------------------------------------------
// Helpers

function ok<T>(response: GraphQLResponse<T>): T {
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!;
}
const codeOf = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions?.code;
const refusedCodes = ['FORBIDDEN', 'NOT_FOUND'];

interface Staff {
  userId: string;
  email: string;
  name: string;
  token: string;
}
interface Rx {
  id: string;
  number: string;
  status: string;
  items: Array<{ id: string; position: number; quantity: number; medication: { code: string } }>;
  safetyFindings: Array<{ id: string; kind: string; severity: string; resolution: { kind: string; reason: string | null } | null }>;
}
interface Lot {
  id: string;
  batchNumber: string;
  expiresOn: string;
  quantityOnHand: number;
  unitCostXaf: number;
  onHold: boolean;
  expired: boolean;
}
interface DispenseResult {
  id: string;
  quantity: number;
  supplyType: string;
  supplyNumber: number;
  substituted: boolean;
  unitPriceXaf: number;
  fulfillmentStatus: string;
  lots: Array<{ batchNumber: string; expiresOn: string; quantity: number }>;
}
interface Fulfillment {
  id: string;
  status: string;
  statusReason: string | null;
  urgent: boolean;
  acknowledgments: Array<{ findingId: string }>;
}

async function named(user: { userId: string }, first: string): Promise<Staff> {
  const prisma = api.database.prisma;
  const last = `N${tag()}`;
  await prisma.userProfile.update({ where: { userId: user.userId }, data: { firstName: first, lastName: last } });
  const row = await prisma.user.findUniqueOrThrow({ where: { id: user.userId } });
  return { userId: user.userId, email: row.email!, name: `${first} ${last}`, token: await api.token({ userId: user.userId }) };
}

async function staff(role: 'pharmacist' | 'admin' | 'nurse' | 'receptionist' | 'lab_technician', clinicId: string): Promise<Staff> {
  return named(await createStaff(api.database.prisma, role, clinicId), role);
}

/** A clinic with a doctor and one of each staff role, its dispensary's id (global, from the API). */
async function clinicWorld() {
  const prisma = api.database.prisma;
  const clinic = await createClinic(prisma);
  const doctorRow = await createDoctor(prisma, { clinicIds: [clinic.id] });
  const doctor = { ...(await named(doctorRow, 'Doctor')), doctorId: doctorRow.doctorId };
  const pharmacist = await staff('pharmacist', clinic.id);
  const admin = await staff('admin', clinic.id);
  const nurse = await staff('nurse', clinic.id);
  const receptionist = await staff('receptionist', clinic.id);
  const labTechnician = await staff('lab_technician', clinic.id);
  const pharmacies = ok(
    await api.graphql<{ pharmacies: Array<{ id: string; kind: string }> }>(PHARMACIES, { c: clinic.globalId }, pharmacist.token),
  );
  const dispensary = pharmacies.pharmacies.find((pharmacy) => pharmacy.kind === 'DISPENSARY');
  expect(dispensary, 'every clinic has a dispensary').toBeDefined();
  return { clinic, doctor, pharmacist, admin, nurse, receptionist, labTechnician, dispensaryId: dispensary!.id };
}
type World = Awaited<ReturnType<typeof clinicWorld>>;

/** A partner pharmacy registered by the clinic's admin, with a pharmacist of its own (not one of the clinic's). */
async function partnerOf(world: World) {
  const prisma = api.database.prisma;
  const registered = ok(
    await api.graphql<{ registerPartnerPharmacy: { id: string; kind: string } }>(
      REGISTER_PARTNER,
      {
        input: {
          clinicId: world.clinic.globalId,
          name: `Pharmacie du Marché ${tag()}`,
          street: 'Rue de la Joie',
          city: 'Douala',
          phone: '+237233421234',
          licence: `LIC-PH-${tag()}`,
        },
      },
      world.admin.token,
    ),
  ).registerPartnerPharmacy;
  expect(registered.kind).toBe('PARTNER');
  const user = await prisma.user.create({
    data: {
      email: `partner.pharmacist.${tag()}@test.clinic-graph.test`,
      role: 'pharmacist',
      profile: { create: { firstName: 'Partner', lastName: 'Pharmacist' } },
    },
  });
  // addPharmacist takes the user's global id.
  ok(await api.graphql(ADD_PHARMACIST, { ph: registered.id, u: Buffer.from(`User:${user.id}`).toString('base64url') }, world.admin.token));
  return { pharmacyId: registered.id, pharmacist: await named({ userId: user.id }, 'PartnerPharmacist') };
}

async function patientOf(world: World) {
  const row = await createPatient(api.database.prisma, { clinicId: world.clinic.id, clinicianIds: [world.doctor.userId], gender: 'male' });
  return { ...row, token: await api.token({ userId: row.userId }) };
}
type PatientOf = Awaited<ReturnType<typeof patientOf>>;

/**
 * A prescription signed through the API: written, checked, every finding resolved by the doctor
 * (HIGH overridden with a reason, the others acknowledged), signed.
 */
async function signedRx(
  world: World,
  patientId: string,
  items: Array<{ code: string } & Record<string, unknown>>,
  extra: Record<string, unknown> = {},
): Promise<Rx> {
  const inputs = await Promise.all(items.map(({ code, ...fields }) => itemInput(api.database.prisma, code, fields)));
  const created = ok(
    await api.graphql<{ createPrescription: Rx }>(
      CREATE_RX,
      { input: { patientId, clinicId: world.clinic.globalId, diagnoses: ['R50.9'], items: inputs, ...extra } },
      world.doctor.token,
    ),
  ).createPrescription;
  const checked = ok(await api.graphql<{ checkPrescription: Rx }>(CHECK_RX, { id: created.id }, world.doctor.token)).checkPrescription;
  for (const finding of checked.safetyFindings.filter((each) => !each.resolution)) {
    if (finding.severity === 'HIGH')
      ok(
        await api.graphql(
          OVERRIDE,
          { f: finding.id, r: 'Benefit outweighs the risk; patient counselled and followed up' },
          world.doctor.token,
        ),
      );
    else ok(await api.graphql(ACKNOWLEDGE_FINDING, { f: finding.id }, world.doctor.token));
  }
  const signed = ok(await api.graphql<{ signPrescription: Rx }>(SIGN_RX, { id: created.id }, world.doctor.token)).signPrescription;
  expect(signed.status).toBe('ACTIVE');
  return signed;
}

async function present(pharmacyId: string, rxId: string, token: string, urgent = false): Promise<Fulfillment> {
  return ok(await api.graphql<{ presentPrescription: Fulfillment }>(PRESENT, { ph: pharmacyId, rx: rxId, urgent }, token))
    .presentPrescription;
}

async function createItem(
  token: string,
  pharmacyId: string,
  code: string,
  options: { price?: number; reorderPoint?: number; maxLevel?: number } = {},
): Promise<string> {
  const input = {
    pharmacyId,
    medicationId: await medicationId(api.database.prisma, code),
    unit: 'tablet',
    reorderPoint: options.reorderPoint ?? 0,
    maxLevel: options.maxLevel ?? 10_000,
    sellingPriceXaf: options.price ?? 100,
  };
  return ok(await api.graphql<{ createInventoryItem: { id: string } }>(CREATE_ITEM, { input }, token)).createInventoryItem.id;
}

async function receive(
  token: string,
  itemId: string,
  quantity: number,
  expiresOn: string,
  unitCostXaf = 25,
  batchNumber = `B-${tag()}`,
): Promise<Lot> {
  return ok(
    await api.graphql<{ receiveStock: Lot }>(
      RECEIVE,
      { input: { itemId, batchNumber, expiresOn, quantity, unitCostXaf, supplier: 'LABOREX Cameroun' } },
      token,
    ),
  ).receiveStock;
}

/** A lot received earlier that has since passed its expiry date (the calendar moved, not the API). */
async function expire(lot: Lot, daysAgo = 10): Promise<Lot> {
  await api.database.prisma.$executeRawUnsafe(
    `UPDATE stock_lots SET expires_on = current_date - $1::int WHERE id = $2::uuid`,
    daysAgo,
    dbId(lot.id),
  );
  return { ...lot, expiresOn: day(-daysAgo), expired: true };
}

const balance = async (lot: { id: string }) =>
  (await api.database.prisma.stockLot.findUniqueOrThrow({ where: { id: dbId(lot.id) } })).quantityOnHand;

function dispense(token: string, fulfillmentId: string, prescriptionItemId: string, quantity: number, extra: Record<string, unknown> = {}) {
  return api.graphql<{ dispense: DispenseResult }>(DISPENSE, { input: { fulfillmentId, prescriptionItemId, quantity, ...extra } }, token);
}

async function movements(token: string, lot: { id: string }) {
  return ok(
    await api.graphql<{
      stockMovements: Array<{
        kind: string;
        quantity: number;
        reason: string | null;
        transferId: string | null;
        by: { id: string; name: string; role: string } | null;
      }>;
    }>(MOVEMENTS, { lot: lot.id }, token),
  ).stockMovements;
}

/** What the database itself says: every lot whose balance is not the sum of its movements. */
async function ledgerDrift(): Promise<unknown[]> {
  return api.database.prisma.$queryRawUnsafe(
    `SELECT l.id, l.quantity_on_hand, coalesce(sum(m.quantity), 0)::int AS ledger
       FROM stock_lots l LEFT JOIN stock_movements m ON m.lot_id = l.id
      GROUP BY l.id HAVING l.quantity_on_hand <> coalesce(sum(m.quantity), 0)`,
  );
}

/** A prescription written straight to the database, signed (a signature that is not real) with the dates given, and presented at a pharmacy. */
async function rxInDatabase(world: World, patientId: string, pharmacyId: string, dates: { issuedDaysAgo: number; validForDays: number }) {
  const prisma = api.database.prisma;
  const medicine = await prisma.medicine.findUniqueOrThrow({ where: { code: 'paracetamol' } });
  const today = new Date(`${day(0)}T00:00:00Z`);
  const issuedOn = new Date(today.getTime() - dates.issuedDaysAgo * 86_400_000);
  const row = await prisma.prescription.create({
    data: {
      number: `RX-2098-${String(parseInt(tag(), 16) % 1e6).padStart(6, '0')}`,
      patientId,
      prescriberId: world.doctor.userId,
      clinicId: world.clinic.id,
      diagnoses: ['R50.9'],
      items: {
        create: {
          position: 1,
          medicineId: medicine.id,
          medicineName: medicine.genericName,
          strength: medicine.strengths[0],
          form: medicine.forms[0],
          route: medicine.routes[0],
          doseAmount: 1,
          doseUnit: 'tablet',
          frequency: 'TID',
          durationDays: 3,
          quantity: 9,
        },
      },
    },
    include: { items: true },
  });
  await prisma.prescription.update({
    where: { id: row.id },
    data: {
      status: 'active',
      issuedOn,
      validUntil: new Date(issuedOn.getTime() + dates.validForDays * 86_400_000),
      signedAt: issuedOn,
      signedBy: world.doctor.userId,
      signatureKeyId: 'test',
      signature: 'not-a-signature',
    },
  });
  const fulfillment = await prisma.prescriptionFulfillment.create({
    data: { prescriptionId: row.id, pharmacyId: dbId(pharmacyId), patientId, presentedBy: patientId, presentedAt: issuedOn },
  });
  // Ids as the API writes them.
  const prescriptionItemId = ok(
    await api.graphql<{ prescription: Rx }>(
      READ_RX,
      { id: Buffer.from(`Prescription:${row.id}`).toString('base64url') },
      world.doctor.token,
    ),
  ).prescription.items[0].id;
  return { rowId: row.id, fulfillmentDbId: fulfillment.id, prescriptionItemId };
}

async function auditCount(filter: Record<string, unknown>) {
  return api.mongo.db.collection(AUDIT_LOGS).countDocuments(filter);
}
/** Audit entries land with the request; allow the store a moment. */
async function auditCountAbove(filter: Record<string, unknown>, before: number) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const now = await auditCount(filter);
    if (now > before) return now;
    await sleep(100);
  }
  return auditCount(filter);
}

// =============================================================================================
// The issue's "How it will be checked", in order, on one clinic: the reconciliation runs after all of it.

describe('how it will be checked (issue 13)', () => {
  let world: World;
  let partner: Awaited<ReturnType<typeof partnerOf>>;
  let itemId: string;
  let lots: Record<'d400' | 'd200' | 'd100' | 'd300' | 'expired', Lot>;

  beforeAll(async () => {
    world = await clinicWorld();
    partner = await partnerOf(world);
    itemId = await createItem(world.pharmacist.token, world.dispensaryId, 'paracetamol', { price: 50 });
    const token = world.pharmacist.token;
    lots = {
      d400: await receive(token, itemId, 10, day(400), 20, `PCM-400-${tag()}`),
      d200: await receive(token, itemId, 10, day(200), 21, `PCM-200-${tag()}`),
      d100: await receive(token, itemId, 10, day(100), 22, `PCM-100-${tag()}`),
      d300: await receive(token, itemId, 10, day(300), 23, `PCM-300-${tag()}`),
      expired: await expire(await receive(token, itemId, 10, day(30), 24, `PCM-EXP-${tag()}`)),
    };
  });

  it('five lots, one expired: a dispense takes the earliest unexpired first, across lots, and never the expired lot', async () => {
    const patient = await patientOf(world);
    const rx = await signedRx(world, patient.globalId, [{ code: 'paracetamol', quantity: 15, durationDays: 5, frequency: 'TID' }]);
    const fulfillment = await present(world.dispensaryId, rx.id, patient.token);
    expect(fulfillment.status).toBe('QUEUED');

    const given = ok(await dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 15)).dispense;
    expect(given).toMatchObject({ quantity: 15, supplyType: 'FIRST_FILL', supplyNumber: 1, substituted: false, unitPriceXaf: 50 });
    // The lot numbers used are recorded with the dispense (for recalls): the 100-day lot whole, then 5 of the 200-day lot.
    expect([...given.lots].sort((a, b) => a.expiresOn.localeCompare(b.expiresOn))).toEqual([
      { batchNumber: lots.d100.batchNumber, expiresOn: day(100), quantity: 10 },
      { batchNumber: lots.d200.batchNumber, expiresOn: day(200), quantity: 5 },
    ]);
    expect(await balance(lots.expired)).toBe(10);
    expect(await balance(lots.d100)).toBe(0);
    expect(await balance(lots.d200)).toBe(5);
    expect(await balance(lots.d300)).toBe(10);
    expect(await balance(lots.d400)).toBe(10);
    // The dispense's movements name the lots it took.
    const rows = await api.database.prisma.stockMovement.findMany({ where: { dispenseId: dbId(given.id) } });
    expect(rows.map((row) => [row.lotId, row.quantity]).sort()).toEqual(
      [
        [dbId(lots.d100.id), -10],
        [dbId(lots.d200.id), -5],
      ].sort(),
    );
  });

  it('counts only usable lots as available: asking for more than the unexpired stock names what is available, the expired lot untouched', async () => {
    const patient = await patientOf(world);
    const rx = await signedRx(world, patient.globalId, [{ code: 'paracetamol', quantity: 30, durationDays: 10, frequency: 'TID' }]);
    const fulfillment = await present(world.dispensaryId, rx.id, world.receptionist.token);
    const short = await dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 30);
    expect(short.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_ENOUGH_STOCK', available: 25 });
    expect(await balance(lots.expired)).toBe(10);

    const given = ok(await dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 12)).dispense;
    expect([...given.lots].sort((a, b) => a.expiresOn.localeCompare(b.expiresOn))).toEqual([
      { batchNumber: lots.d200.batchNumber, expiresOn: day(200), quantity: 5 },
      { batchNumber: lots.d300.batchNumber, expiresOn: day(300), quantity: 7 },
    ]);
    expect(await balance(lots.expired)).toBe(10);
  });

  it('20 pharmacists dispensing the last units at once: one success, the others a clear NOT_ENOUGH_STOCK naming what is available', async () => {
    const lastUnitsItem = await createItem(world.pharmacist.token, world.dispensaryId, 'folic-acid', { price: 10 });
    const lot = await receive(world.pharmacist.token, lastUnitsItem, 7, day(200));
    const pharmacists = await Promise.all(Array.from({ length: 20 }, () => staff('pharmacist', world.clinic.id)));
    const queued = await Promise.all(
      pharmacists.map(async () => {
        const patient = await patientOf(world);
        const rx = await signedRx(world, patient.globalId, [{ code: 'folic-acid', quantity: 5, durationDays: 5, frequency: 'QD' }]);
        return { rx, fulfillment: await present(world.dispensaryId, rx.id, patient.token) };
      }),
    );
    const answers = await Promise.all(
      queued.map(({ rx, fulfillment }, i) => dispense(pharmacists[i].token, fulfillment.id, rx.items[0].id, 5)),
    );
    const succeeded = answers.filter((answer) => !answer.errors && answer.data?.dispense);
    expect(succeeded).toHaveLength(1);
    for (const answer of answers.filter((each) => each.errors))
      expect(answer.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_ENOUGH_STOCK', available: 2 });
    expect(await balance(lot)).toBe(2);
  }, 120_000);

  it('a transfer moves units to the same medicine at a partner pharmacy: both sides linked, each naming who', async () => {
    const partnerItem = await createItem(partner.pharmacist.token, partner.pharmacyId, 'paracetamol', { price: 60 });
    const moved = ok(
      await api.graphql<{ transferStock: { transferId: string; from: Lot; to: Lot } }>(
        TRANSFER,
        { lot: lots.d400.id, q: 4, to: partnerItem },
        world.pharmacist.token,
      ),
    ).transferStock;
    expect(moved.from).toMatchObject({ id: lots.d400.id, quantityOnHand: 6 });
    expect(moved.to).toMatchObject({ batchNumber: lots.d400.batchNumber, expiresOn: day(400), quantityOnHand: 4, unitCostXaf: 20 });

    const out = (await movements(world.pharmacist.token, lots.d400))[0];
    expect(out).toMatchObject({
      kind: 'TRANSFER_OUT',
      quantity: -4,
      transferId: moved.transferId,
      by: { name: world.pharmacist.name, role: 'PHARMACIST' },
    });
    const inbound = (await movements(partner.pharmacist.token, moved.to))[0];
    expect(inbound).toMatchObject({ kind: 'TRANSFER_IN', quantity: 4, transferId: moved.transferId, by: { name: world.pharmacist.name } });

    // The partner's pharmacist sees the lot at their pharmacy.
    const partnerStock = ok(
      await api.graphql<{ inventory: { edges: Array<{ node: { id: string; lots: Lot[] } }> } }>(
        INVENTORY,
        { ph: partner.pharmacyId },
        partner.pharmacist.token,
      ),
    );
    expect(partnerStock.inventory.edges.find((edge) => edge.node.id === partnerItem)?.node.lots.map((lot) => lot.quantityOnHand)).toEqual([
      4,
    ]);

    // More than the lot holds, or to another medicine, is refused and moves nothing.
    const tooMuch = await api.graphql(TRANSFER, { lot: lots.d400.id, q: 7, to: partnerItem }, world.pharmacist.token);
    expect(tooMuch.errors?.[0].extensions?.code).toBe('CONFLICT');
    const otherMedicine = await createItem(partner.pharmacist.token, partner.pharmacyId, 'zinc-sulfate');
    const wrong = await api.graphql(TRANSFER, { lot: lots.d400.id, q: 1, to: otherMedicine }, world.pharmacist.token);
    expect(wrong.errors?.[0].extensions?.code).toMatch(/BAD_USER_INPUT|CONFLICT/);
    expect(await balance(lots.d400)).toBe(6);
  });

  it('expired lots leave stock only by write-off (not by transfer, adjustment or dispense)', async () => {
    const partnerItem = ok(
      await api.graphql<{ inventory: { edges: Array<{ node: { id: string; name: string } }> } }>(
        INVENTORY,
        { ph: partner.pharmacyId },
        partner.pharmacist.token,
      ),
    ).inventory.edges.find((edge) => /paracetamol/i.test(edge.node.name))!.node.id;
    const transfer = await api.graphql(TRANSFER, { lot: lots.expired.id, q: 1, to: partnerItem }, world.pharmacist.token);
    expect(transfer.errors?.[0].extensions?.code).toMatch(/CONFLICT|BAD_USER_INPUT/);
    const adjust = await api.graphql(ADJUST, { lot: lots.expired.id, q: -1, r: 'Broken blister' }, world.pharmacist.token);
    expect(adjust.errors?.[0].extensions?.code).toMatch(/CONFLICT|BAD_USER_INPUT/);
    expect(await balance(lots.expired)).toBe(10);

    const written = ok(
      await api.graphql<{ writeOffStock: Lot }>(
        WRITE_OFF,
        { lot: lots.expired.id, q: 10, r: 'EXPIRED', n: 'Past date' },
        world.pharmacist.token,
      ),
    ).writeOffStock;
    expect(written).toMatchObject({ quantityOnHand: 0, expired: true });
    expect((await movements(world.pharmacist.token, lots.expired))[0]).toMatchObject({
      kind: 'WRITE_OFF',
      quantity: -10,
      by: { name: world.pharmacist.name },
    });
  });

  it('a count with a difference becomes an adjustment, naming who', async () => {
    const count = ok(
      await api.graphql<{ startStockCount: { id: string } }>(START_COUNT, { ph: world.dispensaryId }, world.pharmacist.token),
    ).startStockCount;
    ok(await api.graphql(RECORD_COUNT, { c: count.id, lot: lots.d400.id, n: 5 }, world.pharmacist.token)); // holds 6
    ok(await api.graphql(RECORD_COUNT, { c: count.id, lot: lots.d300.id, n: 3 }, world.pharmacist.token)); // holds 3: no difference
    const closed = ok(
      await api.graphql<{ closeStockCount: { closedAt: string | null; differences: Array<{ lotId: string; difference: number }> } }>(
        CLOSE_COUNT,
        { c: count.id },
        world.pharmacist.token,
      ),
    ).closeStockCount;
    expect(closed.closedAt).not.toBeNull();
    expect(await balance(lots.d400)).toBe(5);
    expect(await balance(lots.d300)).toBe(3);
    expect((await movements(world.pharmacist.token, lots.d400))[0]).toMatchObject({
      kind: 'ADJUSTMENT',
      quantity: -1,
      by: { name: world.pharmacist.name, role: 'PHARMACIST' },
    });
    // The difference names the lot by the id the API gives it everywhere else (StockLot.id).
    expect(closed.differences).toEqual([{ lotId: lots.d400.id, difference: -1 }]);
  });

  // A fulfilment is one visit: once its supply is given it is DISPENSED, and a refill is presented again.
  it('a refill too early is refused with when it will be due; an emergency supply is at most three days', async () => {
    const refillItem = await createItem(world.pharmacist.token, world.dispensaryId, 'pyridoxine', { price: 15 });
    await receive(world.pharmacist.token, refillItem, 100, day(300));
    const patient = await patientOf(world);
    const rx = await signedRx(world, patient.globalId, [
      { code: 'pyridoxine', quantity: 10, durationDays: 10, frequency: 'QD', refillsAllowed: 2, dose: { amount: 1, unit: 'tablet' } },
    ]);
    const first = await present(world.dispensaryId, rx.id, patient.token);
    expect(ok(await dispense(world.pharmacist.token, first.id, rx.items[0].id, 10)).dispense).toMatchObject({
      supplyType: 'FIRST_FILL',
      supplyNumber: 1,
      fulfillmentStatus: 'DISPENSED',
    });

    const again = await present(world.dispensaryId, rx.id, patient.token);
    const early = await dispense(world.pharmacist.token, again.id, rx.items[0].id, 10);
    expect(early.errors?.[0].extensions?.code).toBe('CONFLICT');
    // Due when the 10 days' supply runs out (the README allows two days early).
    const notBefore = String(early.errors?.[0].extensions?.notBefore ?? '');
    expect(notBefore.slice(0, 10) >= day(7) && notBefore.slice(0, 10) <= day(10), `notBefore ${notBefore}`).toBe(true);

    const tooLong = await dispense(world.pharmacist.token, again.id, rx.items[0].id, 4, { emergency: true });
    expect(tooLong.errors?.[0].extensions?.code).toMatch(/CONFLICT|BAD_USER_INPUT/);
    expect(ok(await dispense(world.pharmacist.token, again.id, rx.items[0].id, 3, { emergency: true })).dispense).toMatchObject({
      supplyType: 'EMERGENCY',
      quantity: 3,
    });
  });

  it('a refill past the allowed number is refused', async () => {
    const refillItem = await createItem(world.pharmacist.token, world.dispensaryId, 'zinc-sulfate', { price: 15 });
    await receive(world.pharmacist.token, refillItem, 100, day(300));
    const patient = await patientOf(world);
    // A one-day supply: each refill is due at once (the previous supply runs out within the two days' allowance).
    const rx = await signedRx(world, patient.globalId, [
      { code: 'zinc-sulfate', quantity: 1, durationDays: 1, frequency: 'QD', refillsAllowed: 1 },
    ]);
    const first = await present(world.dispensaryId, rx.id, patient.token);
    expect(ok(await dispense(world.pharmacist.token, first.id, rx.items[0].id, 1)).dispense).toMatchObject({
      supplyType: 'FIRST_FILL',
      supplyNumber: 1,
    });
    const second = await present(world.dispensaryId, rx.id, patient.token);
    expect(ok(await dispense(world.pharmacist.token, second.id, rx.items[0].id, 1)).dispense).toMatchObject({
      supplyType: 'REFILL',
      supplyNumber: 2,
    });
    // Every supply given: the prescription is complete, and a third supply is refused wherever it is asked.
    const presentedAgain = await api.graphql<{ presentPrescription: Fulfillment }>(
      PRESENT,
      { ph: world.dispensaryId, rx: rx.id, urgent: false },
      patient.token,
    );
    if (presentedAgain.data?.presentPrescription) {
      const third = await dispense(world.pharmacist.token, presentedAgain.data.presentPrescription.id, rx.items[0].id, 1);
      expect(third.errors?.[0].extensions?.code).toBe('CONFLICT');
    } else expect(codeOf(presentedAgain)).toBe('CONFLICT');
    expect(await api.database.prisma.dispense.count({ where: { prescriptionItemId: dbId(rx.items[0].id) } })).toBe(2);
  });

  it('a pharmacist of another pharmacy (a partner, another clinic) cannot dispense, prepare or acknowledge at the dispensary', async () => {
    const other = await clinicWorld();
    const patient = await patientOf(world);
    const rx = await signedRx(world, patient.globalId, [{ code: 'paracetamol', quantity: 2, durationDays: 1, frequency: 'BID' }]);
    const fulfillment = await present(world.dispensaryId, rx.id, patient.token);
    const before = await balance(lots.d300);
    for (const outsider of [partner.pharmacist, other.pharmacist]) {
      expect(refusedCodes).toContain(codeOf(await dispense(outsider.token, fulfillment.id, rx.items[0].id, 2)));
      expect(refusedCodes).toContain(codeOf(await api.graphql(START_PREPARATION, { id: fulfillment.id }, outsider.token)));
      expect(refusedCodes).toContain(codeOf(await api.graphql(DECLINE, { id: fulfillment.id, r: 'Not ours to fill' }, outsider.token)));
      expect(refusedCodes).toContain(codeOf(await api.graphql(QUEUE, { ph: world.dispensaryId, first: 10 }, outsider.token)));
    }
    expect(await balance(lots.d300)).toBe(before);
    expect(await api.database.prisma.dispense.count({ where: { fulfillmentId: dbId(fulfillment.id) } })).toBe(0);
  });

  it("the prescriber's override is shown to the pharmacist and must be acknowledged before anything is dispensed", async () => {
    const amoxicillin = await createItem(world.pharmacist.token, world.dispensaryId, 'amoxicillin', { price: 75 });
    await receive(world.pharmacist.token, amoxicillin, 50, day(200));
    const patient = await patientOf(world);
    await recordFacts(api.mongo.db, patient.userId, { allergies: ['Pénicilline'] });
    const rx = await signedRx(world, patient.globalId, [
      { code: 'amoxicillin', quantity: 15, durationDays: 5, frequency: 'TID', dose: { amount: 1, unit: 'capsule' } },
    ]);
    const override = rx.safetyFindings.find((finding) => finding.resolution?.kind === 'OVERRIDDEN');
    expect(override, 'the penicillin allergy is overridden').toBeDefined();
    // Urgent: at the head of a queue where earlier tests left many waiting.
    const fulfillment = await present(world.dispensaryId, rx.id, patient.token, true);

    const seen = ok(
      await api.graphql<{
        pharmacyQueue: {
          edges: Array<{
            node: {
              id: string;
              prescription: Rx & {
                safetyFindings: Array<{
                  id: string;
                  resolution: { kind: string; reason: string; by: { name: string; role: string } } | null;
                }>;
              };
            };
          }>;
        };
      }>(QUEUE_IN_FULL, { ph: world.dispensaryId }, world.pharmacist.token),
    ).pharmacyQueue.edges.find((edge) => edge.node.id === fulfillment.id)!.node;
    expect(seen.prescription.safetyFindings.find((finding) => finding.id === override!.id)?.resolution).toMatchObject({
      kind: 'OVERRIDDEN',
      reason: 'Benefit outweighs the risk; patient counselled and followed up',
      by: { name: world.doctor.name, role: 'DOCTOR' },
    });

    const refused = await dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 15);
    expect(refused.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(JSON.stringify(refused.errors?.[0].extensions)).toContain(override!.id);
    expect(await api.database.prisma.dispense.count({ where: { fulfillmentId: dbId(fulfillment.id) } })).toBe(0);

    // Only the pharmacy's pharmacists acknowledge.
    expect(refusedCodes).toContain(
      codeOf(await api.graphql(ACKNOWLEDGE_OVERRIDE, { f: override!.id, fu: fulfillment.id }, partner.pharmacist.token)),
    );
    expect(refusedCodes).toContain(
      codeOf(await api.graphql(ACKNOWLEDGE_OVERRIDE, { f: override!.id, fu: fulfillment.id }, world.doctor.token)),
    );
    const acknowledged = ok(
      await api.graphql<{ acknowledgeOverride: Fulfillment }>(
        ACKNOWLEDGE_OVERRIDE,
        { f: override!.id, fu: fulfillment.id },
        world.pharmacist.token,
      ),
    ).acknowledgeOverride;
    expect(acknowledged.acknowledgments.map((each) => each.findingId)).toContain(override!.id);
    expect(ok(await dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 15)).dispense.quantity).toBe(15);
  });

  it('after all of it, the reconciliation query finds no lot whose balance differs from its ledger', async () => {
    expect(
      ok(await api.graphql<{ reconcileStock: unknown[] }>(RECONCILE, { ph: world.dispensaryId }, world.pharmacist.token)).reconcileStock,
    ).toEqual([]);
    expect(
      ok(await api.graphql<{ reconcileStock: unknown[] }>(RECONCILE, { ph: partner.pharmacyId }, partner.pharmacist.token)).reconcileStock,
    ).toEqual([]);
    // The clinic's admin may run it too.
    expect(
      ok(await api.graphql<{ reconcileStock: unknown[] }>(RECONCILE, { ph: world.dispensaryId }, world.admin.token)).reconcileStock,
    ).toEqual([]);
    expect(await ledgerDrift()).toEqual([]);
    const negative = await api.database.prisma.stockLot.count({ where: { quantityOnHand: { lt: 0 } } });
    expect(negative).toBe(0);
  });
});

// =============================================================================================

describe('only active, unexpired, signed prescriptions are dispensed', () => {
  let world: World;
  let lot: Lot;
  beforeAll(async () => {
    world = await clinicWorld();
    const item = await createItem(world.pharmacist.token, world.dispensaryId, 'paracetamol', { price: 40 });
    lot = await receive(world.pharmacist.token, item, 500, day(300));
  });

  async function queued() {
    const patient = await patientOf(world);
    const rx = await signedRx(world, patient.globalId, [{ code: 'paracetamol', quantity: 6, durationDays: 2, frequency: 'TID' }]);
    return { patient, rx, fulfillment: await present(world.dispensaryId, rx.id, patient.token) };
  }

  it('a cancelled prescription is not dispensed', async () => {
    const { rx, fulfillment } = await queued();
    ok(await api.graphql(CANCEL_RX, { id: rx.id, r: 'Diagnosis revised' }, world.doctor.token));
    const before = await balance(lot);
    expect(codeOf(await dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 6))).toBe('CONFLICT');
    expect(await balance(lot)).toBe(before);
  });

  it('a prescription on hold is not dispensed until resumed', async () => {
    const { rx, fulfillment } = await queued();
    ok(await api.graphql(HOLD_RX, { id: rx.id, r: 'Awaiting lab results' }, world.doctor.token));
    expect(codeOf(await dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 6))).toBe('CONFLICT');
    ok(await api.graphql(RESUME_RX, { id: rx.id }, world.doctor.token));
    expect(ok(await dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 6)).dispense.quantity).toBe(6);
  });

  it('a prescription whose status was written down as expired is not dispensed', async () => {
    const { rx, fulfillment } = await queued();
    await api.database.prisma.prescription.update({ where: { id: dbId(rx.id) }, data: { status: 'expired' } });
    expect(codeOf(await dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 6))).toBe('CONFLICT');
  });

  it('a prescription past its last valid day is not dispensed even before the hourly job marks it (one still valid is)', async () => {
    const patient = await patientOf(world);
    const valid = await rxInDatabase(world, patient.userId, world.dispensaryId, { issuedDaysAgo: 5, validForDays: 30 });
    const fulfillmentOf = (id: string) => Buffer.from(`Fulfillment:${id}`).toString('base64url');
    // The same shape of prescription, still valid, is dispensed (the control) ...
    const control = await dispense(world.pharmacist.token, fulfillmentOf(valid.fulfillmentDbId), valid.prescriptionItemId, 9);
    expect(control.errors, JSON.stringify(control.errors)).toBeUndefined();
    // ... one that expired yesterday is not, though presented while it was valid.
    const other = await patientOf(world);
    const expired = await rxInDatabase(world, other.userId, world.dispensaryId, { issuedDaysAgo: 40, validForDays: 38 });
    const before = await balance(lot);
    const refused = await dispense(world.pharmacist.token, fulfillmentOf(expired.fulfillmentDbId), expired.prescriptionItemId, 9);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT' });
    expect(await balance(lot)).toBe(before);
  });

  it('a draft cannot be presented at a pharmacy', async () => {
    const patient = await patientOf(world);
    const draft = ok(
      await api.graphql<{ createPrescription: Rx }>(
        CREATE_RX,
        {
          input: {
            patientId: patient.globalId,
            clinicId: world.clinic.globalId,
            diagnoses: ['R50.9'],
            items: [await itemInput(api.database.prisma, 'paracetamol')],
          },
        },
        world.doctor.token,
      ),
    ).createPrescription;
    const refused = await api.graphql(PRESENT, { ph: world.dispensaryId, rx: draft.id, urgent: false }, world.receptionist.token);
    expect(codeOf(refused)).toMatch(/CONFLICT|NOT_FOUND|FORBIDDEN/);
    expect(await api.database.prisma.prescriptionFulfillment.count({ where: { prescriptionId: dbId(draft.id) } })).toBe(0);
  });
});

// =============================================================================================

describe('dispensing', () => {
  let world: World;
  beforeAll(async () => {
    world = await clinicWorld();
  });

  it('skips lots on hold (and uses them again once released)', async () => {
    const item = await createItem(world.pharmacist.token, world.dispensaryId, 'ferrous-sulfate', { price: 20 });
    const early = await receive(world.pharmacist.token, item, 10, day(60));
    const late = await receive(world.pharmacist.token, item, 10, day(250));
    expect(
      ok(await api.graphql<{ setLotOnHold: Lot }>(SET_ON_HOLD, { lot: early.id, h: true }, world.pharmacist.token)).setLotOnHold.onHold,
    ).toBe(true);

    const patient = await patientOf(world);
    const rx = await signedRx(world, patient.globalId, [{ code: 'ferrous-sulfate', quantity: 30, durationDays: 30, frequency: 'QD' }]);
    const fulfillment = await present(world.dispensaryId, rx.id, patient.token);
    const short = await dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 12);
    expect(short.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_ENOUGH_STOCK', available: 10 });
    const given = ok(await dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 4)).dispense;
    expect(given.lots).toEqual([{ batchNumber: late.batchNumber, expiresOn: day(250), quantity: 4 }]);
    expect(await balance(early)).toBe(10);

    ok(await api.graphql(SET_ON_HOLD, { lot: early.id, h: false }, world.pharmacist.token));
    const next = ok(await dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 4)).dispense;
    expect(next.lots).toEqual([{ batchNumber: early.batchNumber, expiresOn: day(60), quantity: 4 }]);
  });

  it('substitutes a generic only where the prescription allows it, and records it', async () => {
    const prescribed = await createItem(world.pharmacist.token, world.dispensaryId, 'aspirin', { price: 30 });
    await receive(world.pharmacist.token, prescribed, 5, day(200));
    const generic = await createItem(world.pharmacist.token, world.dispensaryId, 'aspirin-low-dose', { price: 25 });
    const genericLot = await receive(world.pharmacist.token, generic, 50, day(220));
    const paracetamol = await createItem(world.pharmacist.token, world.dispensaryId, 'paracetamol', { price: 10 });
    const paracetamolLot = await receive(world.pharmacist.token, paracetamol, 50, day(220));
    const genericId = await medicationId(api.database.prisma, 'aspirin-low-dose');

    const patient = await patientOf(world);
    const allowed = await signedRx(world, patient.globalId, [
      { code: 'aspirin', quantity: 10, durationDays: 10, frequency: 'QD', substitutionAllowed: true },
    ]);
    const allowedAt = await present(world.dispensaryId, allowed.id, patient.token);
    // Not the same active ingredients: refused.
    const unrelated = await dispense(world.pharmacist.token, allowedAt.id, allowed.items[0].id, 10, {
      substituteMedicationId: await medicationId(api.database.prisma, 'paracetamol'),
    });
    expect(codeOf(unrelated)).toMatch(/BAD_USER_INPUT|CONFLICT/);
    expect(await balance(paracetamolLot)).toBe(50);

    const given = ok(
      await dispense(world.pharmacist.token, allowedAt.id, allowed.items[0].id, 10, { substituteMedicationId: genericId }),
    ).dispense;
    expect(given).toMatchObject({ substituted: true, quantity: 10 });
    expect(given.lots).toEqual([{ batchNumber: genericLot.batchNumber, expiresOn: day(220), quantity: 10 }]);
    const row = await api.database.prisma.dispense.findUniqueOrThrow({ where: { id: dbId(given.id) } });
    expect(row.medicineId).toBe(dbId(genericId));
    expect(row.substituted).toBe(true);

    const other = await patientOf(world);
    const forbidden = await signedRx(world, other.globalId, [
      { code: 'aspirin', quantity: 10, durationDays: 10, frequency: 'QD', substitutionAllowed: false },
    ]);
    const forbiddenAt = await present(world.dispensaryId, forbidden.id, other.token);
    const refused = await dispense(world.pharmacist.token, forbiddenAt.id, forbidden.items[0].id, 10, {
      substituteMedicationId: genericId,
    });
    expect(codeOf(refused)).toMatch(/BAD_USER_INPUT|CONFLICT/);
    expect(await balance(genericLot)).toBe(40);
  });

  it('records partial fills: the fulfilment is PARTIALLY_DISPENSED, never more than the supply, then DISPENSED and the prescription COMPLETED', async () => {
    const item = await createItem(world.pharmacist.token, world.dispensaryId, 'metformin', { price: 35 });
    await receive(world.pharmacist.token, item, 100, day(200));
    const patient = await patientOf(world);
    const rx = await signedRx(world, patient.globalId, [{ code: 'metformin', quantity: 10, durationDays: 5, frequency: 'BID' }]);
    const fulfillment = await present(world.dispensaryId, rx.id, patient.token);

    const first = ok(await dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 4)).dispense;
    expect(first).toMatchObject({ quantity: 4, supplyNumber: 1, fulfillmentStatus: 'PARTIALLY_DISPENSED' });
    const over = await dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 7);
    expect(codeOf(over)).toMatch(/CONFLICT|BAD_USER_INPUT/);
    const second = ok(await dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 6)).dispense;
    expect(second).toMatchObject({ quantity: 6, supplyNumber: 1, fulfillmentStatus: 'DISPENSED' });
    expect([first.supplyType, second.supplyType]).toContain('PARTIAL');
    const read = ok(await api.graphql<{ prescription: Rx }>(READ_RX, { id: rx.id }, world.doctor.token)).prescription;
    expect(read.status).toBe('COMPLETED');
    const dispensed = ok(
      await api.graphql<{ pharmacyQueue: { edges: Array<{ node: { id: string } }> } }>(
        QUEUE,
        { ph: world.dispensaryId, status: 'DISPENSED', first: 50 },
        world.pharmacist.token,
      ),
    );
    expect(dispensed.pharmacyQueue.edges.map((edge) => edge.node.id)).toContain(fulfillment.id);
  });

  it('creates a charge item with the medicine, the quantity and the unit price of that day, kept when the price changes', async () => {
    const item = await createItem(world.pharmacist.token, world.dispensaryId, 'omeprazole', { price: 120 });
    await receive(world.pharmacist.token, item, 100, day(200));
    const patient = await patientOf(world);
    const rx = await signedRx(world, patient.globalId, [
      { code: 'omeprazole', quantity: 14, durationDays: 14, frequency: 'QD', dose: { amount: 1, unit: 'capsule' } },
    ]);
    const fulfillment = await present(world.dispensaryId, rx.id, patient.token);
    const given = ok(await dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 6)).dispense;
    expect(given.unitPriceXaf).toBe(120);

    // The selling price changes afterwards (no mutation changes an item's price: written in the database).
    await api.database.prisma.inventoryItem.update({ where: { id: dbId(item) }, data: { sellingPriceXaf: 999 } });
    const charge = await api.database.prisma.chargeItem.findUniqueOrThrow({ where: { dispenseId: dbId(given.id) } });
    expect(charge).toMatchObject({
      patientId: patient.userId,
      clinicId: world.clinic.id,
      quantity: 6,
      unitPriceXaf: 120,
      totalXaf: 720,
      status: 'billable',
    });
    expect(charge.description).toMatch(/omeprazole/i);

    const later = ok(await dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 8)).dispense;
    expect(later.unitPriceXaf).toBe(999);
    expect(await api.database.prisma.chargeItem.findUniqueOrThrow({ where: { dispenseId: dbId(given.id) } })).toMatchObject({
      unitPriceXaf: 120,
      totalXaf: 720,
    });
    // The report counts what was charged.
    const history = ok(
      await api.graphql<{
        dispensingHistory: Array<{ dispenses: number; units: number; revenueXaf: number; medication: { code: string } | null }>;
      }>(HISTORY, { ph: world.dispensaryId, from: day(0), to: day(0) }, world.pharmacist.token),
    );
    expect(history.dispensingHistory.find((row) => row.medication?.code === 'omeprazole')).toEqual({
      dispenses: 2,
      units: 14,
      revenueXaf: 720 + 8 * 999,
      medication: { code: 'omeprazole' },
    });
  });
});

// =============================================================================================

describe('stock never goes negative, and the ledger is the only way to change it', () => {
  let world: World;
  let partner: Awaited<ReturnType<typeof partnerOf>>;
  beforeAll(async () => {
    world = await clinicWorld();
    partner = await partnerOf(world);
  });

  it('adjustments, transfers and dispenses racing for one lot never take it below zero, and the ledger reconciles', async () => {
    const item = await createItem(world.pharmacist.token, world.dispensaryId, 'cetirizine', { price: 30 });
    const lot = await receive(world.pharmacist.token, item, 10, day(200));
    const partnerItem = await createItem(partner.pharmacist.token, partner.pharmacyId, 'cetirizine', { price: 30 });
    const pharmacists = await Promise.all(Array.from({ length: 4 }, () => staff('pharmacist', world.clinic.id)));
    const queued = await Promise.all(
      pharmacists.map(async () => {
        const patient = await patientOf(world);
        const rx = await signedRx(world, patient.globalId, [{ code: 'cetirizine', quantity: 3, durationDays: 3, frequency: 'QD' }]);
        return { rx, fulfillment: await present(world.dispensaryId, rx.id, patient.token) };
      }),
    );
    const work: Array<Promise<GraphQLResponse<Record<string, unknown>>>> = [];
    for (let i = 0; i < 4; i++) {
      work.push(
        dispense(pharmacists[i].token, queued[i].fulfillment.id, queued[i].rx.items[0].id, 3) as Promise<
          GraphQLResponse<Record<string, unknown>>
        >,
      );
      work.push(api.graphql(ADJUST, { lot: lot.id, q: -3, r: 'Broken bottle' }, pharmacists[(i + 1) % 4].token));
      work.push(api.graphql(TRANSFER, { lot: lot.id, q: 3, to: partnerItem }, pharmacists[(i + 2) % 4].token));
    }
    const answers = await Promise.all(work);
    const succeeded = answers.filter((answer) => !answer.errors).length;
    expect(succeeded).toBe(3); // 10 units, 3 at a time
    for (const answer of answers.filter((each) => each.errors)) expect(codeOf(answer)).toBe('CONFLICT');
    expect(await balance(lot)).toBe(1);
    expect(
      ok(await api.graphql<{ reconcileStock: unknown[] }>(RECONCILE, { ph: world.dispensaryId }, world.pharmacist.token)).reconcileStock,
    ).toEqual([]);
    expect(
      ok(await api.graphql<{ reconcileStock: unknown[] }>(RECONCILE, { ph: partner.pharmacyId }, partner.pharmacist.token)).reconcileStock,
    ).toEqual([]);
    expect(await ledgerDrift()).toEqual([]);
  }, 60_000);

  it('PostgreSQL itself refuses a balance below zero, a balance set directly, and any change or deletion of a movement', async () => {
    const item = await createItem(world.pharmacist.token, world.dispensaryId, 'chlorphenamine', { price: 5 });
    const lot = await receive(world.pharmacist.token, item, 5, day(200));
    const prisma = api.database.prisma;
    const id = dbId(lot.id);
    await expect(
      prisma.$executeRawUnsafe(
        `INSERT INTO stock_movements (id, lot_id, kind, quantity, reason, by_user_id) VALUES (gen_random_uuid(), $1::uuid, 'adjustment', -6, 'test', $2::uuid)`,
        id,
        world.pharmacist.userId,
      ),
    ).rejects.toThrow();
    await expect(prisma.$executeRawUnsafe(`UPDATE stock_lots SET quantity_on_hand = 999 WHERE id = $1::uuid`, id)).rejects.toThrow();
    await expect(prisma.$executeRawUnsafe(`UPDATE stock_movements SET quantity = 50 WHERE lot_id = $1::uuid`, id)).rejects.toThrow();
    await expect(prisma.$executeRawUnsafe(`DELETE FROM stock_movements WHERE lot_id = $1::uuid`, id)).rejects.toThrow();
    expect(await balance(lot)).toBe(5);
    expect(await prisma.stockMovement.count({ where: { lotId: id } })).toBe(1);
  });

  it('PostgreSQL itself lets an expired lot leave stock only by write-off', async () => {
    const item = await createItem(world.pharmacist.token, world.dispensaryId, 'prednisolone', { price: 5 });
    const lot = await expire(await receive(world.pharmacist.token, item, 5, day(100)));
    const prisma = api.database.prisma;
    for (const kind of ['adjustment', 'transfer_out', 'dispense', 'return'])
      await expect(
        prisma.$executeRawUnsafe(
          `INSERT INTO stock_movements (id, lot_id, kind, quantity, reason, by_user_id) VALUES (gen_random_uuid(), $1::uuid, $2::movement_kind, -1, 'test', $3::uuid)`,
          dbId(lot.id),
          kind,
          world.pharmacist.userId,
        ),
        kind,
      ).rejects.toThrow();
    expect(await balance(lot)).toBe(5);
  });

  it('every movement is in the ledger, newest first, naming who made it and why; an adjustment needs a reason', async () => {
    const item = await createItem(world.pharmacist.token, world.dispensaryId, 'albendazole', { price: 5 });
    const lot = await receive(world.pharmacist.token, item, 20, day(200));
    const colleague = await staff('pharmacist', world.clinic.id);
    ok(await api.graphql(ADJUST, { lot: lot.id, q: 2, r: 'Found in the back store' }, colleague.token));
    const noReason = await api.graphql(ADJUST, { lot: lot.id, q: -1, r: '' }, colleague.token);
    expect(codeOf(noReason)).toBe('BAD_USER_INPUT');
    ok(await api.graphql(WRITE_OFF, { lot: lot.id, q: 3, r: 'DAMAGED', n: 'Crushed box' }, world.pharmacist.token));
    ok(await api.graphql(RETURN, { lot: lot.id, q: 1, r: 'Returned to supplier' }, colleague.token));
    const ledger = await movements(world.admin.token, lot);
    expect(ledger.map((movement) => [movement.kind, movement.by?.name])).toEqual([
      ['RETURN', colleague.name],
      ['WRITE_OFF', world.pharmacist.name],
      ['ADJUSTMENT', colleague.name],
      ['RECEIPT', world.pharmacist.name],
    ]);
    expect(ledger[2]).toMatchObject({ quantity: 2, reason: 'Found in the back store' });
    expect(ledger[3].quantity).toBe(20);
    expect(await balance(lot)).toBe(20 + 2 - 3 + ledger[0].quantity);
    expect(
      ok(await api.graphql<{ reconcileStock: unknown[] }>(RECONCILE, { ph: world.dispensaryId }, world.pharmacist.token)).reconcileStock,
    ).toEqual([]);
  });
});

// =============================================================================================

describe('alerts, lists and reports', () => {
  it('low-stock and expiring-lot alerts go once per condition to the pharmacy’s pharmacists and the clinic’s admins, and to no one else', async () => {
    const world = await clinicWorld();
    const secondPharmacist = await staff('pharmacist', world.clinic.id);
    const secondAdmin = await staff('admin', world.clinic.id);
    const partner = await partnerOf(world);
    const other = await clinicWorld();
    const low = await createItem(world.pharmacist.token, world.dispensaryId, 'paracetamol', { reorderPoint: 20 });
    const lowLot = await receive(world.pharmacist.token, low, 15, day(300));
    const expiring = await createItem(world.pharmacist.token, world.dispensaryId, 'metformin', { reorderPoint: 0 });
    await receive(world.pharmacist.token, expiring, 40, day(30));

    // One message per recipient and run, carrying how many conditions of each kind are new (data: lowStock, expiring).
    const sentTo = (person: Staff) =>
      api.notifier.sent
        .filter((message) => message.to === person.email)
        .reduce((conditions, message) => conditions + Number(message.data.lowStock ?? 0) + Number(message.data.expiring ?? 0), 0);
    const recipients = [world.pharmacist, secondPharmacist, world.admin, secondAdmin];
    const bystanders = [
      world.doctor,
      world.nurse,
      world.receptionist,
      world.labTechnician,
      partner.pharmacist,
      other.admin,
      other.pharmacist,
    ];
    const before = new Map([...recipients, ...bystanders].map((person) => [person.userId, sentTo(person)]));

    await api.services.inventory.sendAlerts();
    for (const person of recipients) expect(sentTo(person) - before.get(person.userId)!, person.name).toBe(2); // one per condition
    await api.services.inventory.sendAlerts();
    for (const person of recipients) expect(sentTo(person) - before.get(person.userId)!, `${person.name}, again`).toBe(2);
    for (const person of bystanders) expect(sentTo(person) - before.get(person.userId)!, person.name).toBe(0);

    // The low stock clears (a receipt), then comes back: a new condition, a new alert.
    await receive(world.pharmacist.token, low, 30, day(300));
    await api.services.inventory.sendAlerts();
    ok(await api.graphql(ADJUST, { lot: lowLot.id, q: -15, r: 'Damaged by water' }, world.pharmacist.token));
    const lots = ok(
      await api.graphql<{ inventory: { edges: Array<{ node: { id: string; lots: Lot[] } }> } }>(
        INVENTORY,
        { ph: world.dispensaryId },
        world.pharmacist.token,
      ),
    );
    for (const each of lots.inventory.edges
      .find((edge) => edge.node.id === low)!
      .node.lots.filter((lot) => lot.quantityOnHand > 0 && lot.id !== lowLot.id))
      ok(await api.graphql(ADJUST, { lot: each.id, q: -20, r: 'Damaged by water' }, world.pharmacist.token));
    await api.services.inventory.sendAlerts();
    for (const person of recipients) expect(sentTo(person) - before.get(person.userId)!, `${person.name}, after it came back`).toBe(3);
  }, 60_000);

  it('lowStockItems lists items at or below their reorder point, counting usable lots only', async () => {
    const world = await clinicWorld();
    const token = world.pharmacist.token;
    const atPoint = await createItem(token, world.dispensaryId, 'paracetamol', { reorderPoint: 10 });
    await receive(token, atPoint, 10, day(200));
    const held = await createItem(token, world.dispensaryId, 'metformin', { reorderPoint: 10 });
    await receive(token, held, 3, day(200));
    const heldLot = await receive(token, held, 50, day(250));
    ok(await api.graphql(SET_ON_HOLD, { lot: heldLot.id, h: true }, token));
    const expiredStock = await createItem(token, world.dispensaryId, 'amlodipine', { reorderPoint: 10 });
    await receive(token, expiredStock, 2, day(200));
    await expire(await receive(token, expiredStock, 60, day(100)));
    const plenty = await createItem(token, world.dispensaryId, 'folic-acid', { reorderPoint: 10 });
    await receive(token, plenty, 11, day(200));

    for (const reader of [world.pharmacist, world.admin]) {
      const listed = ok(
        await api.graphql<{ lowStockItems: Array<{ onHand: number; reorderPoint: number; item: { id: string } }> }>(
          LOW_STOCK,
          { ph: world.dispensaryId },
          reader.token,
        ),
      ).lowStockItems;
      expect(Object.fromEntries(listed.map((row) => [row.item.id, row.onHand]))).toEqual({ [atPoint]: 10, [held]: 3, [expiredStock]: 2 });
    }
  });

  it('expiringLots lists lots with stock expiring within 90 days by default (or the days asked), expired ones included, earliest first', async () => {
    const world = await clinicWorld();
    const token = world.pharmacist.token;
    const item = await createItem(token, world.dispensaryId, 'paracetamol');
    const in30 = await receive(token, item, 5, day(30));
    const in85 = await receive(token, item, 5, day(85));
    const in120 = await receive(token, item, 5, day(120));
    const in200 = await receive(token, item, 5, day(200));
    const gone = await expire(await receive(token, item, 5, day(150)), 3);
    const empty = await receive(token, item, 5, day(20));
    ok(await api.graphql(WRITE_OFF, { lot: empty.id, q: 5, r: 'DAMAGED', n: null }, token));

    const byDefault = ok(await api.graphql<{ expiringLots: Lot[] }>(EXPIRING, { ph: world.dispensaryId }, token)).expiringLots;
    expect(byDefault.map((lot) => lot.id)).toEqual([gone.id, in30.id, in85.id]);
    expect(byDefault[0].expired).toBe(true);
    const wider = ok(
      await api.graphql<{ expiringLots: Lot[] }>(EXPIRING, { ph: world.dispensaryId, d: 150 }, world.admin.token),
    ).expiringLots;
    expect(wider.map((lot) => lot.id)).toEqual([gone.id, in30.id, in85.id, in120.id]);
    expect(wider.map((lot) => lot.id)).not.toContain(in200.id);
  });

  it('stockValue is what the pharmacy holds, at cost, in XAF', async () => {
    const world = await clinicWorld();
    const token = world.pharmacist.token;
    const first = await createItem(token, world.dispensaryId, 'paracetamol', { price: 500 });
    await receive(token, first, 10, day(100), 100);
    await receive(token, first, 5, day(200), 250);
    const second = await createItem(token, world.dispensaryId, 'metformin', { price: 500 });
    await receive(token, second, 4, day(100), 75);
    expect(
      ok(await api.graphql<{ stockValue: { units: number; valueXaf: number } }>(STOCK_VALUE, { ph: world.dispensaryId }, token)).stockValue,
    ).toEqual({
      units: 19,
      valueXaf: 10 * 100 + 5 * 250 + 4 * 75,
    });
    const patient = await patientOf(world);
    const rx = await signedRx(world, patient.globalId, [{ code: 'paracetamol', quantity: 3, durationDays: 1, frequency: 'TID' }]);
    const fulfillment = await present(world.dispensaryId, rx.id, patient.token);
    ok(await dispense(token, fulfillment.id, rx.items[0].id, 3)); // from the 100 XAF lot (earliest expiry)
    expect(
      ok(await api.graphql<{ stockValue: { units: number; valueXaf: number } }>(STOCK_VALUE, { ph: world.dispensaryId }, world.admin.token))
        .stockValue,
    ).toEqual({
      units: 16,
      valueXaf: 7 * 100 + 5 * 250 + 4 * 75,
    });
  });

  it('dispensingHistory gives units, dispenses and revenue per medicine over a period, for that pharmacy only', async () => {
    const world = await clinicWorld();
    const token = world.pharmacist.token;
    const paracetamol = await createItem(token, world.dispensaryId, 'paracetamol', { price: 40 });
    await receive(token, paracetamol, 100, day(200));
    const metformin = await createItem(token, world.dispensaryId, 'metformin', { price: 70 });
    await receive(token, metformin, 100, day(200));
    const patient = await patientOf(world);
    const rx = await signedRx(world, patient.globalId, [
      { code: 'paracetamol', quantity: 9, durationDays: 3, frequency: 'TID' },
      { code: 'metformin', quantity: 10, durationDays: 5, frequency: 'BID' },
    ]);
    const fulfillment = await present(world.dispensaryId, rx.id, patient.token);
    ok(await dispense(token, fulfillment.id, rx.items[0].id, 5));
    ok(await dispense(token, fulfillment.id, rx.items[0].id, 4));
    ok(await dispense(token, fulfillment.id, rx.items[1].id, 10));

    const rows = ok(
      await api.graphql<{
        dispensingHistory: Array<{ dispenses: number; units: number; revenueXaf: number; medication: { code: string } | null }>;
      }>(HISTORY, { ph: world.dispensaryId, from: day(-1), to: day(1) }, world.admin.token),
    ).dispensingHistory;
    expect([...rows].sort((a, b) => a.medication!.code.localeCompare(b.medication!.code))).toEqual([
      { dispenses: 1, units: 10, revenueXaf: 700, medication: { code: 'metformin' } },
      { dispenses: 2, units: 9, revenueXaf: 360, medication: { code: 'paracetamol' } },
    ]);
    const before = ok(
      await api.graphql<{ dispensingHistory: unknown[] }>(HISTORY, { ph: world.dispensaryId, from: day(-30), to: day(-2) }, token),
    ).dispensingHistory;
    expect(before).toEqual([]);
    const other = await clinicWorld();
    expect(
      ok(
        await api.graphql<{ dispensingHistory: unknown[] }>(
          HISTORY,
          { ph: other.dispensaryId, from: day(-1), to: day(1) },
          other.pharmacist.token,
        ),
      ).dispensingHistory,
    ).toEqual([]);
  });
});

// =============================================================================================

describe('the queue', () => {
  let world: World;
  beforeAll(async () => {
    world = await clinicWorld();
  });

  it('is urgent first, then oldest first, paged; statuses move along, a decline needs a reason; one open presentation at a time', async () => {
    const item = await createItem(world.pharmacist.token, world.dispensaryId, 'paracetamol', { price: 40 });
    await receive(world.pharmacist.token, item, 200, day(200));
    const make = async () => {
      const patient = await patientOf(world);
      return {
        patient,
        rx: await signedRx(world, patient.globalId, [{ code: 'paracetamol', quantity: 6, durationDays: 2, frequency: 'TID' }]),
      };
    };
    const [a, b, c, d] = [await make(), await make(), await make(), await make()];
    const fa = await present(world.dispensaryId, a.rx.id, a.patient.token);
    await sleep(20);
    const fb = await present(world.dispensaryId, b.rx.id, world.receptionist.token);
    await sleep(20);
    const fc = await present(world.dispensaryId, c.rx.id, world.nurse.token, true);
    await sleep(20);
    const fd = await present(world.dispensaryId, d.rx.id, d.patient.token, true);
    expect(fc.urgent).toBe(true);

    const page = (after?: string) =>
      api.graphql<{
        pharmacyQueue: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: Fulfillment }> };
      }>(QUEUE, { ph: world.dispensaryId, first: 3, after }, world.pharmacist.token);
    const one = ok(await page()).pharmacyQueue;
    expect(one.totalCount).toBe(4);
    expect(one.edges.map((edge) => edge.node.id)).toEqual([fc.id, fd.id, fa.id]);
    expect(one.pageInfo.hasNextPage).toBe(true);
    const two = ok(await page(one.pageInfo.endCursor)).pharmacyQueue;
    expect(two.edges.map((edge) => edge.node.id)).toEqual([fb.id]);

    // The same prescription cannot be presented again while it waits.
    expect(codeOf(await api.graphql(PRESENT, { ph: world.dispensaryId, rx: a.rx.id, urgent: false }, a.patient.token))).toBe('CONFLICT');

    expect(
      ok(await api.graphql<{ startPreparation: Fulfillment }>(START_PREPARATION, { id: fa.id }, world.pharmacist.token)).startPreparation
        .status,
    ).toBe('IN_PREPARATION');
    expect(
      ok(await api.graphql<{ markFulfillmentReady: Fulfillment }>(MARK_READY, { id: fa.id }, world.pharmacist.token)).markFulfillmentReady
        .status,
    ).toBe('READY');
    expect(codeOf(await api.graphql(DECLINE, { id: fb.id, r: '' }, world.pharmacist.token))).toBe('BAD_USER_INPUT');
    const declined = ok(
      await api.graphql<{ declineFulfillment: Fulfillment }>(
        DECLINE,
        { id: fb.id, r: 'Medicine out of stock; referred' },
        world.pharmacist.token,
      ),
    ).declineFulfillment;
    expect(declined).toMatchObject({ status: 'DECLINED', statusReason: 'Medicine out of stock; referred' });
    const held = ok(
      await api.graphql<{ holdFulfillment: Fulfillment }>(
        HOLD_FULFILLMENT,
        { id: fd.id, r: 'Patient will come back' },
        world.pharmacist.token,
      ),
    ).holdFulfillment;
    expect(held).toMatchObject({ status: 'ON_HOLD', statusReason: 'Patient will come back' });

    const byStatus = async (status: string) =>
      ok(
        await api.graphql<{ pharmacyQueue: { edges: Array<{ node: Fulfillment }> } }>(
          QUEUE,
          { ph: world.dispensaryId, status, first: 10 },
          world.pharmacist.token,
        ),
      ).pharmacyQueue.edges.map((edge) => edge.node.id);
    expect(await byStatus('READY')).toEqual([fa.id]);
    expect(await byStatus('DECLINED')).toEqual([fb.id]);
    expect(await byStatus('QUEUED')).toEqual([fc.id]);
    expect(await byStatus('ON_HOLD')).toEqual([fd.id]);
    const open = ok(await page()).pharmacyQueue.edges.map((edge) => edge.node.id);
    expect(open).not.toContain(fb.id);

    // A declined fulfilment is not dispensed; the prescription may be presented again.
    expect(codeOf(await dispense(world.pharmacist.token, fb.id, b.rx.items[0].id, 6))).toBe('CONFLICT');
    const again = await present(world.dispensaryId, b.rx.id, b.patient.token);
    expect(again.status).toBe('QUEUED');

    expect(ok(await dispense(world.pharmacist.token, fa.id, a.rx.items[0].id, 6)).dispense.fulfillmentStatus).toBe('DISPENSED');
  }, 60_000);

  it('a prescription is presented by its patient or its clinic’s staff, at their dispensary or a partner, and nobody else', async () => {
    const partner = await partnerOf(world);
    const other = await clinicWorld();
    const patient = await patientOf(world);
    const stranger = await patientOf(other);
    const rx = await signedRx(world, patient.globalId, [{ code: 'paracetamol', quantity: 6, durationDays: 2, frequency: 'TID' }]);
    for (const outsider of [stranger.token, other.receptionist.token, other.pharmacist.token])
      expect(refusedCodes).toContain(codeOf(await api.graphql(PRESENT, { ph: world.dispensaryId, rx: rx.id, urgent: false }, outsider)));
    expect(codeOf(await api.graphql(PRESENT, { ph: world.dispensaryId, rx: rx.id, urgent: false }))).toBe('UNAUTHENTICATED');
    expect(await api.database.prisma.prescriptionFulfillment.count({ where: { prescriptionId: dbId(rx.id) } })).toBe(0);

    // The patient chooses the partner pharmacy: it appears in that pharmacy's queue, and its pharmacist reads the prescription with its overrides.
    const atPartner = await present(partner.pharmacyId, rx.id, patient.token);
    const queue = ok(
      await api.graphql<{ pharmacyQueue: { edges: Array<{ node: { id: string; prescription: { id: string } } }> } }>(
        QUEUE,
        { ph: partner.pharmacyId, first: 10 },
        partner.pharmacist.token,
      ),
    );
    expect(queue.pharmacyQueue.edges.map((edge) => edge.node.id)).toEqual([atPartner.id]);
    const read = await api.graphql<{ prescription: Rx }>(READ_RX, { id: rx.id }, partner.pharmacist.token);
    expect(read.errors).toBeUndefined();
    expect(read.data?.prescription?.id).toBe(rx.id);
    // Not in the dispensary's queue.
    const dispensaryQueue = ok(
      await api.graphql<{ pharmacyQueue: { edges: Array<{ node: { id: string } }> } }>(
        QUEUE,
        { ph: world.dispensaryId, first: 50 },
        world.pharmacist.token,
      ),
    );
    expect(dispensaryQueue.pharmacyQueue.edges.map((edge) => edge.node.id)).not.toContain(atPartner.id);
    // A prescription not presented at the partner is not the partner's to read.
    const notPresented = await signedRx(world, patient.globalId, [{ code: 'folic-acid', quantity: 5, durationDays: 5, frequency: 'QD' }]);
    const hidden = await api.graphql<{ prescription: Rx | null }>(READ_RX, { id: notPresented.id }, partner.pharmacist.token);
    expect(hidden.data?.prescription ?? null).toBeNull();
  });
});

// =============================================================================================

describe('who sees and manages stock', () => {
  let world: World;
  let partner: Awaited<ReturnType<typeof partnerOf>>;
  let other: World;
  let patient: PatientOf;
  let itemId: string;
  let lot: Lot;
  let partnerItem: string;
  beforeAll(async () => {
    world = await clinicWorld();
    partner = await partnerOf(world);
    other = await clinicWorld();
    patient = await patientOf(world);
    itemId = await createItem(world.pharmacist.token, world.dispensaryId, 'paracetamol', { price: 40, reorderPoint: 100 });
    lot = await receive(world.pharmacist.token, itemId, 50, day(60));
    partnerItem = await createItem(partner.pharmacist.token, partner.pharmacyId, 'paracetamol');
    // Stocked, far from expiry: the partner has no alert of its own.
    await receive(partner.pharmacist.token, partnerItem, 10, day(300));
  });

  const READS: Record<string, [string, (ph: string, lotId: string) => Record<string, unknown>]> = {
    inventory: [INVENTORY, (ph) => ({ ph })],
    lowStockItems: [LOW_STOCK, (ph) => ({ ph })],
    expiringLots: [EXPIRING, (ph) => ({ ph })],
    stockValue: [STOCK_VALUE, (ph) => ({ ph })],
    dispensingHistory: [HISTORY, (ph) => ({ ph, from: day(-7), to: day(0) })],
    reconcileStock: [RECONCILE, (ph) => ({ ph })],
    stockMovements: [MOVEMENTS, (_ph, lotId) => ({ lot: lotId })],
  };
  type Who =
    | 'dispensary pharmacist'
    | 'partner pharmacist'
    | 'other clinic pharmacist'
    | 'admin'
    | 'other clinic admin'
    | 'doctor'
    | 'nurse'
    | 'receptionist'
    | 'lab technician'
    | 'patient'
    | 'anonymous';
  const WHO: Who[] = [
    'dispensary pharmacist',
    'partner pharmacist',
    'other clinic pharmacist',
    'admin',
    'other clinic admin',
    'doctor',
    'nurse',
    'receptionist',
    'lab technician',
    'patient',
    'anonymous',
  ];
  const tokenOf = (who: Who): string | undefined =>
    ({
      'dispensary pharmacist': world.pharmacist.token,
      'partner pharmacist': partner.pharmacist.token,
      'other clinic pharmacist': other.pharmacist.token,
      admin: world.admin.token,
      'other clinic admin': other.admin.token,
      doctor: world.doctor.token,
      nurse: world.nurse.token,
      receptionist: world.receptionist.token,
      'lab technician': world.labTechnician.token,
      patient: patient.token,
      anonymous: undefined,
    })[who];

  for (const who of WHO)
    it(`the dispensary's stock, read as ${who}: ${who === 'dispensary pharmacist' || who === 'admin' ? 'seen' : 'refused'}`, async () => {
      const sees = who === 'dispensary pharmacist' || who === 'admin';
      for (const [field, [query, variables]] of Object.entries(READS)) {
        const response = await api.graphql<Record<string, unknown>>(query, variables(world.dispensaryId, lot.id), tokenOf(who));
        if (sees) expect(response.errors, `${field}: ${JSON.stringify(response.errors)}`).toBeUndefined();
        else {
          expect(response.data?.[field] ?? null, field).toBeNull();
          if (who === 'anonymous') expect(codeOf(response), field).toBe('UNAUTHENTICATED');
          else expect(refusedCodes, field).toContain(codeOf(response));
        }
      }
      // The queue is the pharmacists' (the admin's reading of it is not asserted).
      if (who !== 'admin') {
        const queue = await api.graphql<{ pharmacyQueue: unknown }>(QUEUE, { ph: world.dispensaryId, first: 5 }, tokenOf(who));
        if (who === 'dispensary pharmacist') expect(queue.errors).toBeUndefined();
        else expect(queue.data?.pharmacyQueue ?? null).toBeNull();
      }
    });

  for (const who of WHO.filter((each) => each !== 'dispensary pharmacist'))
    it(`the dispensary's stock cannot be changed by ${who}`, async () => {
      const token = tokenOf(who);
      const count = await api.graphql(START_COUNT, { ph: world.dispensaryId }, token);
      const attempts = [
        await api.graphql(
          RECEIVE,
          { input: { itemId, batchNumber: `X-${tag()}`, expiresOn: day(100), quantity: 5, unitCostXaf: 1 } },
          token,
        ),
        await api.graphql(ADJUST, { lot: lot.id, q: -5, r: 'Taken' }, token),
        await api.graphql(RETURN, { lot: lot.id, q: 5, r: 'Taken' }, token),
        await api.graphql(WRITE_OFF, { lot: lot.id, q: 5, r: 'DAMAGED' }, token),
        await api.graphql(SET_ON_HOLD, { lot: lot.id, h: true }, token),
        await api.graphql(TRANSFER, { lot: lot.id, q: 5, to: partnerItem }, token),
        count,
        await api.graphql(
          CREATE_ITEM,
          {
            input: {
              pharmacyId: world.dispensaryId,
              medicationId: await medicationId(api.database.prisma, 'metformin'),
              unit: 'tablet',
              reorderPoint: 1,
              maxLevel: 10,
              sellingPriceXaf: 1,
            },
          },
          token,
        ),
      ];
      for (const attempt of attempts) {
        expect(attempt.data ?? null, JSON.stringify(attempt.data)).toBeNull();
        expect(who === 'anonymous' ? ['UNAUTHENTICATED'] : refusedCodes).toContain(codeOf(attempt));
      }
      expect(await balance(lot)).toBe(50);
      const held = await api.database.prisma.stockLot.findUniqueOrThrow({ where: { id: dbId(lot.id) } });
      expect(held.onHold).toBe(false);
      expect(await api.database.prisma.inventoryItem.count({ where: { pharmacyId: dbId(world.dispensaryId) } })).toBe(1);
    });

  it('alerts of the dispensary are not sent to other pharmacies’ pharmacists (the stock is below its reorder point)', async () => {
    const before = api.notifier.sent.length;
    await api.services.inventory.sendAlerts();
    const recipients = new Set(api.notifier.sent.slice(before).map((message) => message.to));
    expect(recipients.has(world.pharmacist.email)).toBe(true);
    expect(recipients.has(world.admin.email)).toBe(true);
    for (const outsider of [
      partner.pharmacist,
      other.pharmacist,
      other.admin,
      world.doctor,
      world.nurse,
      world.receptionist,
      world.labTechnician,
    ])
      expect(recipients.has(outsider.email), outsider.name).toBe(false);
  });
});

// =============================================================================================

describe('audit', () => {
  it('every read of a fulfilment and every dispense is in the patient’s audit trail, naming the pharmacist', async () => {
    const world = await clinicWorld();
    const item = await createItem(world.pharmacist.token, world.dispensaryId, 'paracetamol', { price: 40 });
    await receive(world.pharmacist.token, item, 50, day(200));
    const patient = await patientOf(world);
    const rx = await signedRx(world, patient.globalId, [{ code: 'paracetamol', quantity: 6, durationDays: 2, frequency: 'TID' }]);
    const fulfillment = await present(world.dispensaryId, rx.id, patient.token);
    const byPharmacist = { patientId: patient.userId, 'actor.userId': world.pharmacist.userId };

    // The queue with the patient and the prescription.
    let before = await auditCount({ ...byPharmacist, action: 'read' });
    ok(await api.graphql(QUEUE_IN_FULL, { ph: world.dispensaryId }, world.pharmacist.token));
    expect(await auditCountAbove({ ...byPharmacist, action: 'read' }, before)).toBeGreaterThan(before);

    // The queue with nothing but the fulfilment itself (that this patient presented a prescription here).
    before = await auditCount({ ...byPharmacist, action: 'read' });
    ok(await api.graphql(QUEUE_BARE, { ph: world.dispensaryId }, world.pharmacist.token));
    expect(await auditCountAbove({ ...byPharmacist, action: 'read' }, before), 'a bare queue read').toBeGreaterThan(before);

    // A dispense (its answer is the patient's dispense).
    before = await auditCount(byPharmacist);
    ok(await dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 6));
    expect(await auditCountAbove(byPharmacist, before), 'a dispense').toBeGreaterThan(before);
  });
});

// =============================================================================================

describe('more from the specification', () => {
  let world: World;
  let partner: Awaited<ReturnType<typeof partnerOf>>;
  beforeAll(async () => {
    world = await clinicWorld();
    partner = await partnerOf(world);
  });

  it('a partner pharmacy is registered with its name, address, phone, hours and licence, and listed with the clinic’s pharmacies', async () => {
    const input = {
      clinicId: world.clinic.globalId,
      name: `Pharmacie de la Gare ${tag()}`,
      street: 'Avenue de Gaulle',
      city: 'Yaoundé',
      phone: '+237222231234',
      licence: `LIC-PH-${tag()}`,
      hours: [
        { dayOfWeek: 1, opens: '08:00', closes: '20:00' },
        { dayOfWeek: 6, opens: '09:00', closes: '13:00' },
      ],
    };
    const registered = await api.graphql<{ registerPartnerPharmacy: { id: string; hours: unknown[] } }>(
      `mutation($input: PartnerPharmacyInput!) { registerPartnerPharmacy(input: $input) { id kind name phone licence address { street city } hours { dayOfWeek opens closes } } }`,
      { input },
      world.admin.token,
    );
    expect(registered.errors, JSON.stringify(registered.errors)).toBeUndefined();
    expect(registered.data!.registerPartnerPharmacy).toMatchObject({
      kind: 'PARTNER',
      name: input.name,
      phone: input.phone,
      licence: input.licence,
      address: { street: input.street, city: input.city },
      hours: input.hours,
    });
  });

  it('partner pharmacies are listed with the clinic’s dispensary; only the clinic’s admins register them and add their pharmacists', async () => {
    const listed = ok(
      await api.graphql<{ pharmacies: Array<{ id: string; kind: string; licence: string | null }> }>(
        PHARMACIES,
        { c: world.clinic.globalId },
        (await patientOf(world)).token,
      ),
    ).pharmacies;
    // One dispensary, and the partners registered by the clinic (another test of this file registers one too).
    expect(listed.filter((pharmacy) => pharmacy.kind === 'DISPENSARY')).toHaveLength(1);
    expect(listed.filter((pharmacy) => pharmacy.kind === 'PARTNER').map((pharmacy) => pharmacy.id)).toContain(partner.pharmacyId);
    const other = await clinicWorld();
    const input = { clinicId: world.clinic.globalId, name: 'Pharmacie Pirate', street: 'Rue 2', city: 'Douala', licence: 'LIC-X' };
    for (const token of [world.pharmacist.token, world.doctor.token, world.receptionist.token, other.admin.token])
      expect(refusedCodes).toContain(codeOf(await api.graphql(REGISTER_PARTNER, { input }, token)));
    const user = await createStaff(api.database.prisma, 'pharmacist', other.clinic.id);
    const userId = Buffer.from(`User:${user.userId}`).toString('base64url');
    expect(refusedCodes).toContain(codeOf(await api.graphql(ADD_PHARMACIST, { ph: partner.pharmacyId, u: userId }, other.admin.token)));
    expect(refusedCodes).toContain(
      codeOf(await api.graphql(ADD_PHARMACIST, { ph: partner.pharmacyId, u: userId }, partner.pharmacist.token)),
    );
  });

  it('the clinic’s admin reads its partner pharmacy’s stock; another clinic’s admin does not', async () => {
    const item = await createItem(partner.pharmacist.token, partner.pharmacyId, 'folic-acid');
    await receive(partner.pharmacist.token, item, 10, day(300));
    expect(
      ok(await api.graphql<{ stockValue: { units: number } }>(STOCK_VALUE, { ph: partner.pharmacyId }, world.admin.token)).stockValue.units,
    ).toBe(10);
    const other = await clinicWorld();
    expect(refusedCodes).toContain(codeOf(await api.graphql(STOCK_VALUE, { ph: partner.pharmacyId }, other.admin.token)));
    // The dispensary's pharmacists do not see the partner's stock, nor change it.
    expect(refusedCodes).toContain(codeOf(await api.graphql(STOCK_VALUE, { ph: partner.pharmacyId }, world.pharmacist.token)));
  });

  it('a partner pharmacy dispenses what is presented to it, from its own lots, with a charge item; the dispensary cannot dispense it', async () => {
    const item = await createItem(partner.pharmacist.token, partner.pharmacyId, 'paracetamol', { price: 55 });
    const lot = await receive(partner.pharmacist.token, item, 30, day(200));
    const dispensaryItem = await createItem(world.pharmacist.token, world.dispensaryId, 'paracetamol', { price: 40 });
    const dispensaryLot = await receive(world.pharmacist.token, dispensaryItem, 30, day(100));
    const patient = await patientOf(world);
    const rx = await signedRx(world, patient.globalId, [{ code: 'paracetamol', quantity: 6, durationDays: 2, frequency: 'TID' }]);
    const fulfillment = await present(partner.pharmacyId, rx.id, patient.token);
    expect(refusedCodes).toContain(codeOf(await dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 6)));
    const given = ok(await dispense(partner.pharmacist.token, fulfillment.id, rx.items[0].id, 6)).dispense;
    expect(given).toMatchObject({ unitPriceXaf: 55, lots: [{ batchNumber: lot.batchNumber, quantity: 6 }] });
    expect(await balance(lot)).toBe(24);
    expect(await balance(dispensaryLot)).toBe(30);
    expect(await api.database.prisma.chargeItem.findUniqueOrThrow({ where: { dispenseId: dbId(given.id) } })).toMatchObject({
      quantity: 6,
      unitPriceXaf: 55,
      totalXaf: 330,
    });
    expect((await movements(partner.pharmacist.token, lot))[0]).toMatchObject({
      kind: 'DISPENSE',
      quantity: -6,
      by: { name: partner.pharmacist.name, role: 'PHARMACIST' },
    });
  });

  it('a dispense gives only an item of the fulfilment’s own prescription', async () => {
    const item = await createItem(world.pharmacist.token, world.dispensaryId, 'metformin', { price: 10 });
    const lot = await receive(world.pharmacist.token, item, 100, day(200));
    const first = await patientOf(world);
    const second = await patientOf(world);
    const rxA = await signedRx(world, first.globalId, [{ code: 'metformin', quantity: 10, durationDays: 5, frequency: 'BID' }]);
    const rxB = await signedRx(world, second.globalId, [{ code: 'metformin', quantity: 10, durationDays: 5, frequency: 'BID' }]);
    const atA = await present(world.dispensaryId, rxA.id, first.token);
    const crossed = await dispense(world.pharmacist.token, atA.id, rxB.items[0].id, 10);
    expect(codeOf(crossed)).toMatch(/BAD_USER_INPUT|NOT_FOUND|CONFLICT/);
    expect(await balance(lot)).toBe(100);
  });

  it('refuses quantities that are not positive, everywhere', async () => {
    const item = await createItem(world.pharmacist.token, world.dispensaryId, 'amlodipine', { price: 10 });
    const lot = await receive(world.pharmacist.token, item, 20, day(200));
    const partnerItem = await createItem(partner.pharmacist.token, partner.pharmacyId, 'amlodipine');
    await receive(partner.pharmacist.token, partnerItem, 20, day(200));
    const patient = await patientOf(world);
    const rx = await signedRx(world, patient.globalId, [{ code: 'amlodipine', quantity: 10, durationDays: 10, frequency: 'QD' }]);
    const fulfillment = await present(world.dispensaryId, rx.id, patient.token);
    const token = world.pharmacist.token;
    const answers = {
      'dispense 0': await dispense(token, fulfillment.id, rx.items[0].id, 0),
      'dispense -2': await dispense(token, fulfillment.id, rx.items[0].id, -2),
      'transfer -5': await api.graphql(TRANSFER, { lot: lot.id, q: -5, to: partnerItem }, token),
      'transfer 0': await api.graphql(TRANSFER, { lot: lot.id, q: 0, to: partnerItem }, token),
      'write-off -5': await api.graphql(WRITE_OFF, { lot: lot.id, q: -5, r: 'DAMAGED' }, token),
      'adjust 0': await api.graphql(ADJUST, { lot: lot.id, q: 0, r: 'Nothing' }, token),
      'receive 0': await api.graphql(
        RECEIVE,
        { input: { itemId: item, batchNumber: `Z-${tag()}`, expiresOn: day(100), quantity: 0, unitCostXaf: 5 } },
        token,
      ),
      'receive at a negative cost': await api.graphql(
        RECEIVE,
        { input: { itemId: item, batchNumber: `Z-${tag()}`, expiresOn: day(100), quantity: 3, unitCostXaf: -5 } },
        token,
      ),
    };
    for (const [what, answer] of Object.entries(answers)) expect(codeOf(answer as GraphQLResponse<unknown>), what).toBe('BAD_USER_INPUT');
    expect(await balance(lot)).toBe(20);
    const partnerLots = await api.database.prisma.stockLot.findMany({ where: { itemId: dbId(partnerItem) } });
    expect(partnerLots.reduce((sum, each) => sum + each.quantityOnHand, 0)).toBe(20);
  });

  it('pharmacists giving the same item at once give it once (never more than the supply); the others get a clear CONFLICT', async () => {
    const item = await createItem(world.pharmacist.token, world.dispensaryId, 'cetirizine', { price: 10 });
    const lot = await receive(world.pharmacist.token, item, 100, day(200));
    const colleague = await staff('pharmacist', world.clinic.id);
    // A few rounds: the answers must hold whatever the interleaving.
    for (let round = 0; round < 3; round++) {
      const patient = await patientOf(world);
      const rx = await signedRx(world, patient.globalId, [{ code: 'cetirizine', quantity: 10, durationDays: 10, frequency: 'QD' }]);
      const fulfillment = await present(world.dispensaryId, rx.id, patient.token);
      const answers = await Promise.all(
        [world.pharmacist, colleague, world.pharmacist, colleague].map((who) => dispense(who.token, fulfillment.id, rx.items[0].id, 10)),
      );
      expect(
        answers.filter((answer) => !answer.errors),
        `round ${round}`,
      ).toHaveLength(1);
      expect(
        answers.filter((each) => each.errors).map((answer) => codeOf(answer)),
        `round ${round}`,
      ).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
      expect(await balance(lot)).toBe(90 - 10 * round);
    }
  }, 60_000);

  it('two items of one prescription given at once: the fulfilment is DISPENSED and the prescription COMPLETED', async () => {
    const first = await createItem(world.pharmacist.token, world.dispensaryId, 'omeprazole', { price: 10 });
    await receive(world.pharmacist.token, first, 100, day(200));
    const second = await createItem(world.pharmacist.token, world.dispensaryId, 'metoclopramide', { price: 10 });
    await receive(world.pharmacist.token, second, 100, day(200));
    const colleague = await staff('pharmacist', world.clinic.id);
    for (let round = 0; round < 3; round++) {
      const patient = await patientOf(world);
      const rx = await signedRx(world, patient.globalId, [
        { code: 'omeprazole', quantity: 5, durationDays: 5, frequency: 'QD', dose: { amount: 1, unit: 'capsule' } },
        { code: 'metoclopramide', quantity: 6, durationDays: 2, frequency: 'TID' },
      ]);
      const fulfillment = await present(world.dispensaryId, rx.id, patient.token);
      const answers = await Promise.all([
        dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 5),
        dispense(colleague.token, fulfillment.id, rx.items[1].id, 6),
      ]);
      for (const answer of answers) expect(answer.errors, `round ${round}`).toBeUndefined();
      const row = await api.database.prisma.prescriptionFulfillment.findUniqueOrThrow({ where: { id: dbId(fulfillment.id) } });
      expect.soft(row.status, `round ${round}: the fulfilment`).toBe('dispensed');
      expect(
        ok(await api.graphql<{ prescription: Rx }>(READ_RX, { id: rx.id }, world.doctor.token)).prescription.status,
        `round ${round}: the prescription`,
      ).toBe('COMPLETED');
    }
  }, 60_000);

  it('a prescription presented twice at once is presented once', async () => {
    const patient = await patientOf(world);
    const rx = await signedRx(world, patient.globalId, [{ code: 'folic-acid', quantity: 5, durationDays: 5, frequency: 'QD' }]);
    const answers = await Promise.all(
      [world.dispensaryId, partner.pharmacyId, world.dispensaryId, partner.pharmacyId].map((ph) =>
        api.graphql(PRESENT, { ph, rx: rx.id, urgent: false }, patient.token),
      ),
    );
    expect(answers.filter((answer) => !answer.errors)).toHaveLength(1);
    expect(await api.database.prisma.prescriptionFulfillment.count({ where: { prescriptionId: dbId(rx.id) } })).toBe(1);
  });

  it('a prescription on hold or cancelled cannot be presented', async () => {
    const patient = await patientOf(world);
    const onHold = await signedRx(world, patient.globalId, [{ code: 'folic-acid', quantity: 5, durationDays: 5, frequency: 'QD' }]);
    ok(await api.graphql(HOLD_RX, { id: onHold.id, r: 'Waiting for results' }, world.doctor.token));
    expect(codeOf(await api.graphql(PRESENT, { ph: world.dispensaryId, rx: onHold.id, urgent: false }, patient.token))).toBe('CONFLICT');
    const other = await patientOf(world);
    const cancelled = await signedRx(world, other.globalId, [{ code: 'folic-acid', quantity: 5, durationDays: 5, frequency: 'QD' }]);
    ok(await api.graphql(CANCEL_RX, { id: cancelled.id, r: 'Not needed' }, world.doctor.token));
    expect(codeOf(await api.graphql(PRESENT, { ph: world.dispensaryId, rx: cancelled.id, urgent: false }, other.token))).toBe('CONFLICT');
  });

  it('a refill is planned from every supply given, whichever pharmacy gave it', async () => {
    const item = await createItem(world.pharmacist.token, world.dispensaryId, 'levothyroxine', { price: 10 });
    await receive(world.pharmacist.token, item, 100, day(200));
    const partnerItem = await createItem(partner.pharmacist.token, partner.pharmacyId, 'levothyroxine', { price: 10 });
    const partnerLot = await receive(partner.pharmacist.token, partnerItem, 100, day(200));
    const patient = await patientOf(world);
    const rx = await signedRx(world, patient.globalId, [
      { code: 'levothyroxine', quantity: 30, durationDays: 30, frequency: 'QD', refillsAllowed: 1 },
    ]);
    const first = await present(world.dispensaryId, rx.id, patient.token);
    ok(await dispense(world.pharmacist.token, first.id, rx.items[0].id, 30));
    const atPartner = await present(partner.pharmacyId, rx.id, patient.token);
    const early = await dispense(partner.pharmacist.token, atPartner.id, rx.items[0].id, 30);
    expect(early.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT' });
    expect(early.errors?.[0].extensions?.notBefore).toBeDefined();
    expect(await balance(partnerLot)).toBe(100);
  });

  it('after its last supply the prescription is COMPLETED', async () => {
    const item = await createItem(world.pharmacist.token, world.dispensaryId, 'zinc-sulfate', { price: 10 });
    await receive(world.pharmacist.token, item, 100, day(200));
    const patient = await patientOf(world);
    const rx = await signedRx(world, patient.globalId, [
      { code: 'zinc-sulfate', quantity: 1, durationDays: 1, frequency: 'QD', refillsAllowed: 1 },
    ]);
    ok(await dispense(world.pharmacist.token, (await present(world.dispensaryId, rx.id, patient.token)).id, rx.items[0].id, 1));
    expect(ok(await api.graphql<{ prescription: Rx }>(READ_RX, { id: rx.id }, world.doctor.token)).prescription.status).toBe('ACTIVE');
    ok(await dispense(world.pharmacist.token, (await present(world.dispensaryId, rx.id, patient.token)).id, rx.items[0].id, 1));
    expect(ok(await api.graphql<{ prescription: Rx }>(READ_RX, { id: rx.id }, world.doctor.token)).prescription.status).toBe('COMPLETED');
  });

  it('a medicine the pharmacy does not stock is a CONFLICT naming nothing available', async () => {
    const patient = await patientOf(world);
    const rx = await signedRx(world, patient.globalId, [{ code: 'albendazole', quantity: 1, durationDays: 1, frequency: 'QD' }]);
    const fulfillment = await present(world.dispensaryId, rx.id, patient.token);
    const refused = (await dispense(world.pharmacist.token, fulfillment.id, rx.items[0].id, 1)).errors?.[0].extensions;
    expect(refused).toMatchObject({ code: 'CONFLICT', available: 0 });
    expect(['NOT_ENOUGH_STOCK', 'NOT_STOCKED']).toContain(refused?.reason);
  });

  it('items: one per medicine and pharmacy, or a supply by name; lots listed earliest expiry first', async () => {
    const token = world.pharmacist.token;
    const medicine = await medicationId(api.database.prisma, 'prednisolone');
    const input = {
      pharmacyId: world.dispensaryId,
      medicationId: medicine,
      unit: 'tablet',
      reorderPoint: 5,
      maxLevel: 100,
      sellingPriceXaf: 15,
    };
    const item = ok(
      await api.graphql<{ createInventoryItem: { id: string; name: string } }>(CREATE_ITEM, { input }, token),
    ).createInventoryItem;
    expect(item.name).toMatch(/prednisolone/i);
    expect(codeOf(await api.graphql(CREATE_ITEM, { input }, token))).toBe('CONFLICT');
    expect(codeOf(await api.graphql(CREATE_ITEM, { input: { ...input, medicationId: undefined } }, token))).toBe('BAD_USER_INPUT');
    expect(codeOf(await api.graphql(CREATE_ITEM, { input: { ...input, supplyName: 'Gloves' } }, token))).toBe('BAD_USER_INPUT');
    expect(
      codeOf(
        await api.graphql(
          CREATE_ITEM,
          { input: { ...input, medicationId: await medicationId(api.database.prisma, 'captopril'), sellingPriceXaf: -1 } },
          token,
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    const gloves = ok(
      await api.graphql<{ createInventoryItem: { id: string; name: string; medication: unknown } }>(
        CREATE_ITEM,
        {
          input: {
            pharmacyId: world.dispensaryId,
            supplyName: 'Examination gloves (M)',
            unit: 'box',
            reorderPoint: 2,
            maxLevel: 20,
            sellingPriceXaf: 3500,
          },
        },
        token,
      ),
    ).createInventoryItem;
    expect(gloves).toMatchObject({ name: 'Examination gloves (M)', medication: null });
    await receive(token, gloves.id, 4, day(700), 2500);
    await receive(token, item.id, 5, day(300));
    await receive(token, item.id, 5, day(40));
    await receive(token, item.id, 5, day(150));
    const listed = ok(
      await api.graphql<{ inventory: { edges: Array<{ node: { id: string; lots: Lot[] } }> } }>(
        INVENTORY,
        { ph: world.dispensaryId },
        token,
      ),
    ).inventory;
    expect(listed.edges.find((edge) => edge.node.id === item.id)?.node.lots.map((lot) => lot.expiresOn)).toEqual([
      day(40),
      day(150),
      day(300),
    ]);
    expect(listed.edges.find((edge) => edge.node.id === gloves.id)?.node.lots.map((lot) => lot.quantityOnHand)).toEqual([4]);
  });

  it('a count: only the pharmacy’s own lots, closed once, nothing recorded after', async () => {
    const token = world.pharmacist.token;
    const item = await createItem(token, world.dispensaryId, 'chlorphenamine');
    const lot = await receive(token, item, 10, day(200));
    const partnerItem = await createItem(partner.pharmacist.token, partner.pharmacyId, 'chlorphenamine');
    const partnerLot = await receive(partner.pharmacist.token, partnerItem, 10, day(200));
    const count = ok(
      await api.graphql<{ startStockCount: { id: string } }>(START_COUNT, { ph: world.dispensaryId }, token),
    ).startStockCount;
    expect(codeOf(await api.graphql(RECORD_COUNT, { c: count.id, lot: partnerLot.id, n: 0 }, token))).toMatch(
      /BAD_USER_INPUT|NOT_FOUND|FORBIDDEN/,
    );
    expect(codeOf(await api.graphql(RECORD_COUNT, { c: count.id, lot: lot.id, n: -1 }, token))).toBe('BAD_USER_INPUT');
    ok(await api.graphql(RECORD_COUNT, { c: count.id, lot: lot.id, n: 12 }, token));
    // Another pharmacist of another pharmacy cannot record into it.
    expect(refusedCodes).toContain(codeOf(await api.graphql(RECORD_COUNT, { c: count.id, lot: lot.id, n: 0 }, partner.pharmacist.token)));
    const closed = ok(
      await api.graphql<{ closeStockCount: { differences: Array<{ difference: number }> } }>(CLOSE_COUNT, { c: count.id }, token),
    ).closeStockCount;
    expect(closed.differences.map((each) => each.difference)).toEqual([2]);
    expect(await balance(lot)).toBe(12);
    expect(await balance(partnerLot)).toBe(10);
    expect(codeOf(await api.graphql(CLOSE_COUNT, { c: count.id }, token))).toBe('CONFLICT');
    expect(codeOf(await api.graphql(RECORD_COUNT, { c: count.id, lot: lot.id, n: 3 }, token))).toBe('CONFLICT');
    expect(await balance(lot)).toBe(12);
  });

  it('a count recorded before a dispense does not undo the dispense when it is closed', async () => {
    const token = world.pharmacist.token;
    const item = await createItem(token, world.dispensaryId, 'hydrochlorothiazide', { price: 10 });
    const lot = await receive(token, item, 10, day(200));
    const count = ok(
      await api.graphql<{ startStockCount: { id: string } }>(START_COUNT, { ph: world.dispensaryId }, token),
    ).startStockCount;
    ok(await api.graphql(RECORD_COUNT, { c: count.id, lot: lot.id, n: 10 }, token)); // the shelf holds what the books say
    const patient = await patientOf(world);
    const rx = await signedRx(world, patient.globalId, [{ code: 'hydrochlorothiazide', quantity: 3, durationDays: 3, frequency: 'QD' }]);
    ok(await dispense(token, (await present(world.dispensaryId, rx.id, patient.token)).id, rx.items[0].id, 3)); // 3 leave the shelf
    const closed = ok(
      await api.graphql<{ closeStockCount: { differences: Array<{ difference: number }> } }>(CLOSE_COUNT, { c: count.id }, token),
    ).closeStockCount;
    expect(closed.differences).toEqual([]);
    expect(await balance(lot)).toBe(7);
  });

  it('an alert whose sending failed is sent when the job runs again', async () => {
    const own = await clinicWorld();
    const item = await createItem(own.pharmacist.token, own.dispensaryId, 'paracetamol', { reorderPoint: 50 });
    await receive(own.pharmacist.token, item, 10, day(300));
    const received = (person: Staff) => api.notifier.sent.filter((message) => message.to === person.email).length;
    const send = api.notifier.send.bind(api.notifier);
    let failed = false;
    // The provider is down for one message to this clinic's pharmacist (the job is retried).
    api.notifier.send = async (message) => {
      if (!failed && message.to === own.pharmacist.email) {
        failed = true;
        throw new Error('email provider unavailable');
      }
      return send(message);
    };
    try {
      await api.services.inventory.sendAlerts().catch(() => undefined);
      await api.services.inventory.sendAlerts();
    } finally {
      api.notifier.send = send;
    }
    expect(failed).toBe(true);
    expect(received(own.pharmacist), 'the pharmacist').toBe(1);
    expect(received(own.admin), 'the admin').toBe(1);
  });

  it('alerts for a partner pharmacy go to its pharmacists and its clinic’s admins, not to the dispensary’s pharmacists', async () => {
    const own = await clinicWorld();
    const ownPartner = await partnerOf(own);
    const item = await createItem(ownPartner.pharmacist.token, ownPartner.pharmacyId, 'paracetamol', { reorderPoint: 50 });
    await receive(ownPartner.pharmacist.token, item, 10, day(300));
    const received = (person: Staff) => api.notifier.sent.filter((message) => message.to === person.email).length;
    const before = new Map([ownPartner.pharmacist, own.admin, own.pharmacist].map((person) => [person.userId, received(person)]));
    await api.services.inventory.sendAlerts();
    expect(received(ownPartner.pharmacist) - before.get(ownPartner.pharmacist.userId)!).toBe(1);
    expect(received(own.admin) - before.get(own.admin.userId)!).toBe(1);
    expect(received(own.pharmacist) - before.get(own.pharmacist.userId)!).toBe(0);
  });

  it('runs of the alert job that overlap still alert once per condition', async () => {
    const own = await clinicWorld();
    const received = (person: Staff) => api.notifier.sent.filter((message) => message.to === person.email).length;
    for (let round = 0; round < 3; round++) {
      const item = await createItem(own.pharmacist.token, own.dispensaryId, ['paracetamol', 'metformin', 'folic-acid'][round], {
        reorderPoint: 50,
      });
      await receive(own.pharmacist.token, item, 10, day(300));
      const before = received(own.pharmacist);
      await Promise.all(Array.from({ length: 6 }, () => api.services.inventory.sendAlerts()));
      expect(received(own.pharmacist) - before, `round ${round}`).toBe(1);
    }
  }, 60_000);
});
