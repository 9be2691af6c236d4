// The pharmacy end to end over HTTP: five lots with different expiries (one expired) dispensed
// first-expiry-first-out across lots, twenty pharmacists racing for the last units (one wins, the
// rest are told what is left), a transfer, a count with a difference, the reconciliation after all
// of it, refills too early and beyond the number allowed, a pharmacist of another pharmacy refused,
// and the prescriber's overrides acknowledged before anything is dispensed.
import { describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { useTestApi } from '../harness/api.js';
import { createClinic, createDoctor, createPatient, createStaff, itemInput } from '../factories.js';

import { pino } from 'pino';
const api = useTestApi({ manualJobs: true, log: pino({ level: 'error' }) });
const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

/** A clinic with its dispensary, a pharmacist there, a doctor treating a patient, and tokens. */
async function pharmacySetting() {
  const prisma = api.database.prisma;
  const clinic = await createClinic(prisma);
  const dispensary = await prisma.pharmacy.findFirstOrThrow({ where: { clinicId: clinic.id, kind: 'dispensary' } });
  const doctor = await createDoctor(prisma, { clinicIds: [clinic.id] });
  const patient = await createPatient(prisma, { clinicId: clinic.id, clinicianIds: [doctor.userId] });
  const pharmacistUser = await createStaff(prisma, 'pharmacist', clinic.id);
  return {
    prisma,
    clinic,
    pharmacyId: toGlobalId('Pharmacy', dispensary.id),
    dispensary,
    patient,
    doctor: await api.token({ userId: doctor.userId, role: 'doctor', clinicIds: [clinic.id] }),
    pharmacist: await api.token(pharmacistUser),
    pharmacistUser,
    patientToken: await api.token({ userId: patient.userId, role: 'patient' }),
  };
}

/** A signed prescription of `code` (quantity, refills), with every finding resolved; returns its id and item id. */
async function signed(doctor: string, patientId: string, code: string, item: Record<string, unknown> = {}) {
  const input = { patientId, diagnoses: ['R51'], items: [await itemInput(api.database.prisma, code, item)] };
  const created = await api.graphql<{ createPrescription: { id: string; items: Array<{ id: string }> } }>(
    'mutation($i: NewPrescriptionInput!) { createPrescription(input: $i) { id items { id } } }',
    { i: input },
    doctor,
  );
  expect(created.errors).toBeUndefined();
  const id = created.data!.createPrescription.id;
  const checked = await api.graphql<{ checkPrescription: { safetyFindings: Array<{ id: string; severity: string }> } }>(
    'mutation($id: ID!) { checkPrescription(id: $id) { safetyFindings { id severity } } }',
    { id },
    doctor,
  );
  for (const finding of checked.data!.checkPrescription.safetyFindings.filter((f) => f.severity !== 'LOW'))
    await api.graphql(
      finding.severity === 'HIGH'
        ? 'mutation($f: ID!) { overrideSafetyFinding(findingId: $f, reason: "Reviewed with the patient today") { id } }'
        : 'mutation($f: ID!) { acknowledgeSafetyFinding(findingId: $f) { id } }',
      { f: finding.id },
      doctor,
    );
  const sign = await api.graphql('mutation($id: ID!) { signPrescription(id: $id) { status } }', { id }, doctor);
  expect(sign.errors).toBeUndefined();
  return { id, itemId: created.data!.createPrescription.items[0].id };
}

async function stock(
  pharmacist: string,
  pharmacyId: string,
  code: string,
  lots: Array<{ batch: string; expires: string; quantity: number }>,
) {
  const medication = (await itemInput(api.database.prisma, code)).medicationId;
  const item = await api.graphql<{ createInventoryItem: { id: string } }>(
    'mutation($i: InventoryItemInput!) { createInventoryItem(input: $i) { id } }',
    { i: { pharmacyId, medicationId: medication, unit: 'tablet', reorderPoint: 20, maxLevel: 500, sellingPriceXaf: 50 } },
    pharmacist,
  );
  expect(item.errors).toBeUndefined();
  const itemId = item.data!.createInventoryItem.id;
  const lotIds: Record<string, string> = {};
  for (const lot of lots) {
    if (lot.expires < day(0)) {
      // An expired lot came in while it was still good: received before, then time passed.
      const received = await api.graphql<{ receiveStock: { id: string } }>(
        'mutation($i: ReceiptInput!) { receiveStock(input: $i) { id } }',
        { i: { itemId, batchNumber: lot.batch, expiresOn: day(30), quantity: lot.quantity, unitCostXaf: 20 } },
        pharmacist,
      );
      lotIds[lot.batch] = received.data!.receiveStock.id;
      await api.database.prisma.$executeRaw`UPDATE stock_lots SET expires_on = ${lot.expires}::date WHERE batch_number = ${lot.batch}`;
      continue;
    }
    const received = await api.graphql<{ receiveStock: { id: string } }>(
      'mutation($i: ReceiptInput!) { receiveStock(input: $i) { id } }',
      { i: { itemId, batchNumber: lot.batch, expiresOn: lot.expires, quantity: lot.quantity, unitCostXaf: 20 } },
      pharmacist,
    );
    expect(received.errors).toBeUndefined();
    lotIds[lot.batch] = received.data!.receiveStock.id;
  }
  return { itemId, lotIds };
}

const PRESENT = 'mutation($p: ID!, $ph: ID!) { presentPrescription(prescriptionId: $p, pharmacyId: $ph) { id status } }';
const DISPENSE = `mutation($i: DispenseInput!) { dispense(input: $i) { supplyType supplyNumber quantity fulfillmentStatus lots { batchNumber quantity } } }`;

describe('dispensing', () => {
  it('takes the earliest unexpired lots first, across lots, never the expired one, and records the lots', async () => {
    const s = await pharmacySetting();
    const batch = (name: string) => `${name}-${s.dispensary.id.slice(0, 6)}`;
    await stock(s.pharmacist, s.pharmacyId, 'paracetamol', [
      { batch: batch('LATE'), expires: day(400), quantity: 50 },
      { batch: batch('EXPIRED'), expires: day(-3), quantity: 50 },
      { batch: batch('SOON'), expires: day(20), quantity: 4 },
      { batch: batch('NEXT'), expires: day(60), quantity: 5 },
      { batch: batch('MIDDLE'), expires: day(200), quantity: 30 },
    ]);
    const rx = await signed(s.doctor, s.patient.globalId, 'paracetamol', { quantity: 12, frequency: 'TID', durationDays: 4 });
    const presented = await api.graphql<{ presentPrescription: { id: string; status: string } }>(
      PRESENT,
      { p: rx.id, ph: s.pharmacyId },
      s.patientToken,
    );
    expect(presented.data!.presentPrescription.status).toBe('QUEUED');
    const fulfillmentId = presented.data!.presentPrescription.id;
    const queue = await api.graphql<{ pharmacyQueue: { edges: Array<{ node: { id: string } }> } }>(
      'query($ph: ID!) { pharmacyQueue(pharmacyId: $ph, first: 10) { edges { node { id } } } }',
      { ph: s.pharmacyId },
      s.pharmacist,
    );
    expect(queue.data!.pharmacyQueue.edges.map((edge) => edge.node.id)).toEqual([fulfillmentId]);

    const given = await api.graphql<{
      dispense: { supplyType: string; lots: Array<{ batchNumber: string; quantity: number }>; fulfillmentStatus: string };
    }>(DISPENSE, { i: { fulfillmentId, prescriptionItemId: rx.itemId, quantity: 12 } }, s.pharmacist);
    expect(given.errors).toBeUndefined();
    expect(given.data!.dispense).toMatchObject({
      supplyType: 'FIRST_FILL',
      fulfillmentStatus: 'DISPENSED',
      lots: [
        { batchNumber: batch('SOON'), quantity: 4 },
        { batchNumber: batch('NEXT'), quantity: 5 },
        { batchNumber: batch('MIDDLE'), quantity: 3 },
      ],
    });
    const lots = await s.prisma.stockLot.findMany({ where: { batchNumber: { startsWith: '' }, item: { pharmacyId: s.dispensary.id } } });
    expect(Object.fromEntries(lots.map((lot) => [lot.batchNumber.split('-')[0], lot.quantityOnHand]))).toEqual({
      LATE: 50,
      EXPIRED: 50,
      SOON: 0,
      NEXT: 0,
      MIDDLE: 27,
    });
    // A charge item for billing, at the price of the day.
    expect(
      await s.prisma.chargeItem.findMany({
        where: { patientId: s.patient.userId },
        select: { quantity: true, unitPriceXaf: true, totalXaf: true },
      }),
    ).toEqual([{ quantity: 12, unitPriceXaf: 50, totalXaf: 600 }]);
  });

  it('gives twenty pharmacists racing for the last units one success and nineteen clear refusals naming what is left', async () => {
    const s = await pharmacySetting();
    await stock(s.pharmacist, s.pharmacyId, 'ibuprofen', [
      { batch: `LAST-${s.dispensary.id.slice(0, 6)}`, expires: day(100), quantity: 10 },
    ]);
    const pharmacists = await Promise.all(
      Array.from({ length: 20 }, async () => api.token(await createStaff(s.prisma, 'pharmacist', s.clinic.id))),
    );
    const fulfillments = [];
    for (let i = 0; i < 20; i++) {
      const patient = await createPatient(s.prisma, { clinicId: s.clinic.id });
      const doctorUser = await createDoctor(s.prisma, { clinicIds: [s.clinic.id] });
      await s.prisma.careRelationship.create({
        data: { patientId: patient.userId, clinicId: s.clinic.id, staffUserId: doctorUser.userId, kind: 'assignment' },
      });
      const doctor = await api.token({ userId: doctorUser.userId, role: 'doctor', clinicIds: [s.clinic.id] });
      const rx = await signed(doctor, patient.globalId, 'ibuprofen', { quantity: 10 });
      const presented = await api.graphql<{ presentPrescription: { id: string } }>(PRESENT, { p: rx.id, ph: s.pharmacyId }, doctor);
      fulfillments.push({ fulfillmentId: presented.data!.presentPrescription.id, prescriptionItemId: rx.itemId });
    }
    const results = await Promise.all(
      fulfillments.map((input, i) => api.graphql(DISPENSE, { i: { ...input, quantity: 10 } }, pharmacists[i])),
    );
    const succeeded = results.filter((result) => !result.errors);
    expect(succeeded).toHaveLength(1);
    for (const refused of results.filter((result) => result.errors))
      expect(refused.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_ENOUGH_STOCK', available: 0 });
    const [lot] = await s.prisma.stockLot.findMany({ where: { item: { pharmacyId: s.dispensary.id } } });
    expect(lot.quantityOnHand).toBe(0);
    const drift = await api.graphql<{ reconcileStock: unknown[] }>(
      'query($ph: ID!) { reconcileStock(pharmacyId: $ph) { lotId } }',
      { ph: s.pharmacyId },
      s.pharmacist,
    );
    expect(drift.data!.reconcileStock).toEqual([]);
  });

  it('refuses a refill too early and one beyond the number allowed, and a pharmacist of another pharmacy', async () => {
    const s = await pharmacySetting();
    await stock(s.pharmacist, s.pharmacyId, 'metformin', [
      { batch: `MET-${s.dispensary.id.slice(0, 6)}`, expires: day(300), quantity: 500 },
    ]);
    const rx = await signed(s.doctor, s.patient.globalId, 'metformin', {
      quantity: 60,
      frequency: 'BID',
      durationDays: 30,
      refillsAllowed: 1,
    });
    const first = await api.graphql<{ presentPrescription: { id: string } }>(PRESENT, { p: rx.id, ph: s.pharmacyId }, s.patientToken);
    const fulfillmentId = first.data!.presentPrescription.id;
    const other = await api.token(await createStaff(s.prisma, 'pharmacist', (await createClinic(s.prisma)).id));
    const outsider = await api.graphql(DISPENSE, { i: { fulfillmentId, prescriptionItemId: rx.itemId, quantity: 60 } }, other);
    expect(outsider.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(
      (await api.graphql(DISPENSE, { i: { fulfillmentId, prescriptionItemId: rx.itemId, quantity: 60 } }, s.pharmacist)).errors,
    ).toBeUndefined();
    // The refill, presented again the same day: the 30 days' supply has not run out.
    const again = await api.graphql<{ presentPrescription: { id: string } }>(PRESENT, { p: rx.id, ph: s.pharmacyId }, s.patientToken);
    const refill = { fulfillmentId: again.data!.presentPrescription.id, prescriptionItemId: rx.itemId, quantity: 60 };
    const early = await api.graphql(DISPENSE, { i: refill }, s.pharmacist);
    expect(early.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'TOO_EARLY' });
    // Thirty days later (the first supply dated back), the refill goes; a second one is beyond the number allowed.
    await s.prisma
      .$executeRaw`UPDATE dispenses SET dispensed_at = dispensed_at - interval '30 days' WHERE prescription_item_id = ${Buffer.from(rx.itemId, 'base64url').toString().split(':')[1]}::uuid`;
    const late = await api.graphql<{ dispense: { supplyType: string; supplyNumber: number } }>(DISPENSE, { i: refill }, s.pharmacist);
    expect(late.errors).toBeUndefined();
    expect(late.data!.dispense).toMatchObject({ supplyType: 'REFILL', supplyNumber: 2, fulfillmentStatus: 'DISPENSED' });
    // Every supply given: the prescription is completed, and a third presentation is refused.
    const third = await api.graphql(PRESENT, { p: rx.id, ph: s.pharmacyId }, s.patientToken);
    expect(third.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', status: 'COMPLETED' });
  });

  it("makes the pharmacist acknowledge each of the prescriber's overrides before dispensing", async () => {
    const s = await pharmacySetting();
    await stock(s.pharmacist, s.pharmacyId, 'warfarin', [
      { batch: `WAR-${s.dispensary.id.slice(0, 6)}`, expires: day(300), quantity: 100 },
    ]);
    await stock(s.pharmacist, s.pharmacyId, 'ibuprofen', [
      { batch: `IBU-${s.dispensary.id.slice(0, 6)}`, expires: day(300), quantity: 100 },
    ]);
    const items = [
      await itemInput(s.prisma, 'warfarin', { quantity: 30, frequency: 'QD' }),
      await itemInput(s.prisma, 'ibuprofen', { quantity: 9, frequency: 'TID' }),
    ];
    const created = await api.graphql<{ createPrescription: { id: string; items: Array<{ id: string }> } }>(
      'mutation($i: NewPrescriptionInput!) { createPrescription(input: $i) { id items { id } } }',
      { i: { patientId: s.patient.globalId, diagnoses: ['M10.9'], items } },
      s.doctor,
    );
    const id = created.data!.createPrescription.id;
    const checked = await api.graphql<{ checkPrescription: { safetyFindings: Array<{ id: string; kind: string; severity: string }> } }>(
      'mutation($id: ID!) { checkPrescription(id: $id) { safetyFindings { id kind severity } } }',
      { id },
      s.doctor,
    );
    const interaction = checked.data!.checkPrescription.safetyFindings.find((finding) => finding.kind === 'INTERACTION')!;
    for (const finding of checked.data!.checkPrescription.safetyFindings.filter((f) => f.severity !== 'LOW')) {
      const resolved = await api.graphql(
        finding.severity === 'HIGH'
          ? 'mutation($f: ID!) { overrideSafetyFinding(findingId: $f, reason: "Three-day course, INR check booked") { id } }'
          : 'mutation($f: ID!) { acknowledgeSafetyFinding(findingId: $f) { id } }',
        { f: finding.id },
        s.doctor,
      );
      expect(resolved.errors).toBeUndefined();
    }
    expect((await api.graphql('mutation($id: ID!) { signPrescription(id: $id) { status } }', { id }, s.doctor)).errors).toBeUndefined();
    const presented = await api.graphql<{ presentPrescription: { id: string } }>(PRESENT, { p: id, ph: s.pharmacyId }, s.doctor);
    const fulfillmentId = presented.data!.presentPrescription.id;
    const item = { fulfillmentId, prescriptionItemId: created.data!.createPrescription.items[1].id, quantity: 9 };
    const refused = await api.graphql(DISPENSE, { i: item }, s.pharmacist);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', findings: [{ id: interaction.id, kind: 'INTERACTION' }] });
    // The pharmacist reads the override (reason and prescriber) through the queue, then acknowledges it.
    const queue = await api.graphql<{
      pharmacyQueue: { edges: Array<{ node: { prescription: { safetyFindings: Array<{ resolution: { reason: string } | null }> } } }> };
    }>(
      'query($ph: ID!) { pharmacyQueue(pharmacyId: $ph, first: 5) { edges { node { prescription { safetyFindings { resolution { reason by { role } } } } } } } }',
      { ph: s.pharmacyId },
      s.pharmacist,
    );
    expect(queue.errors).toBeUndefined();
    expect(queue.data!.pharmacyQueue.edges[0].node.prescription.safetyFindings.map((f) => f.resolution?.reason)).toContain(
      'Three-day course, INR check booked',
    );
    const acknowledged = await api.graphql(
      'mutation($f: ID!, $x: ID!) { acknowledgeOverride(fulfillmentId: $f, findingId: $x) { acknowledgments { findingId } } }',
      { f: fulfillmentId, x: interaction.id },
      s.pharmacist,
    );
    expect(acknowledged.errors).toBeUndefined();
    expect((await api.graphql(DISPENSE, { i: item }, s.pharmacist)).errors).toBeUndefined();
  });
});

describe('stock', () => {
  it('transfers between pharmacies (both sides linked), turns a count difference into an adjustment, and the ledger reconciles', async () => {
    const s = await pharmacySetting();
    const other = await pharmacySetting();
    const batch = `TRF-${s.dispensary.id.slice(0, 6)}`;
    const here = await stock(s.pharmacist, s.pharmacyId, 'amoxicillin', [{ batch, expires: day(200), quantity: 100 }]);
    const medication = (await itemInput(s.prisma, 'amoxicillin')).medicationId;
    const there = await api.graphql<{ createInventoryItem: { id: string } }>(
      'mutation($i: InventoryItemInput!) { createInventoryItem(input: $i) { id } }',
      {
        i: {
          pharmacyId: other.pharmacyId,
          medicationId: medication,
          unit: 'capsule',
          reorderPoint: 10,
          maxLevel: 200,
          sellingPriceXaf: 75,
        },
      },
      other.pharmacist,
    );
    const transfer = await api.graphql<{
      transferStock: { transferId: string; from: { quantityOnHand: number }; to: { quantityOnHand: number; batchNumber: string } };
    }>(
      'mutation($l: ID!, $t: ID!) { transferStock(lotId: $l, toItemId: $t, quantity: 40) { transferId from { quantityOnHand } to { quantityOnHand batchNumber } } }',
      { l: here.lotIds[batch], t: there.data!.createInventoryItem.id },
      s.pharmacist,
    );
    expect(transfer.errors).toBeUndefined();
    expect(transfer.data!.transferStock).toMatchObject({ from: { quantityOnHand: 60 }, to: { quantityOnHand: 40, batchNumber: batch } });
    const sides = await s.prisma.stockMovement.findMany({
      where: { transferId: transfer.data!.transferStock.transferId },
      orderBy: { quantity: 'asc' },
    });
    expect(sides.map((side) => [side.kind, side.quantity])).toEqual([
      ['transfer_out', -40],
      ['transfer_in', 40],
    ]);
    // Too much: the database refuses a negative balance.
    const tooMuch = await api.graphql(
      'mutation($l: ID!, $t: ID!) { transferStock(lotId: $l, toItemId: $t, quantity: 61) { transferId } }',
      { l: here.lotIds[batch], t: there.data!.createInventoryItem.id },
      s.pharmacist,
    );
    expect(tooMuch.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_ENOUGH_STOCK' });

    const count = await api.graphql<{ startStockCount: { id: string } }>(
      'mutation($ph: ID!) { startStockCount(pharmacyId: $ph) { id } }',
      { ph: s.pharmacyId },
      s.pharmacist,
    );
    const countId = count.data!.startStockCount.id;
    await api.graphql(
      'mutation($c: ID!, $l: ID!) { recordStockCount(countId: $c, lotId: $l, counted: 57) { id } }',
      { c: countId, l: here.lotIds[batch] },
      s.pharmacist,
    );
    const closed = await api.graphql<{ closeStockCount: { differences: Array<{ difference: number }> } }>(
      'mutation($c: ID!) { closeStockCount(countId: $c) { differences { lotId difference } } }',
      { c: countId },
      s.pharmacist,
    );
    expect(closed.errors).toBeUndefined();
    expect(closed.data!.closeStockCount.differences.map((d) => d.difference)).toEqual([-3]);
    for (const setting of [s, other]) {
      const drift = await api.graphql<{ reconcileStock: unknown[] }>(
        'query($ph: ID!) { reconcileStock(pharmacyId: $ph) { lotId } }',
        { ph: setting.pharmacyId },
        setting.pharmacist,
      );
      expect(drift.data!.reconcileStock).toEqual([]);
    }
    // The ledger cannot be edited, nor a balance set by hand.
    await expect(
      s.prisma.$executeRaw`UPDATE stock_movements SET quantity = 1 WHERE transfer_id = ${transfer.data!.transferStock.transferId}::uuid`,
    ).rejects.toThrow(/append-only/);
    await expect(s.prisma.$executeRaw`UPDATE stock_lots SET quantity_on_hand = 999 WHERE batch_number = ${batch}`).rejects.toThrow(
      /only through a stock movement/,
    );
  });

  it("lets nobody but the pharmacy's pharmacists and its clinic's admins see its stock", async () => {
    const s = await pharmacySetting();
    const admin = await api.token(await createStaff(s.prisma, 'admin', s.clinic.id));
    const nurse = await api.token(await createStaff(s.prisma, 'nurse', s.clinic.id));
    const STOCK = 'query($ph: ID!) { stockValue(pharmacyId: $ph) { valueXaf units } }';
    expect((await api.graphql(STOCK, { ph: s.pharmacyId }, s.pharmacist)).errors).toBeUndefined();
    expect((await api.graphql(STOCK, { ph: s.pharmacyId }, admin)).errors).toBeUndefined();
    for (const token of [nurse, s.doctor, s.patientToken])
      expect((await api.graphql(STOCK, { ph: s.pharmacyId }, token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('partner pharmacies, alerts and reports', () => {
  it('lets a partner pharmacy registered by the clinic take a prescription the patient brings, and its pharmacist read and dispense it', async () => {
    const s = await pharmacySetting();
    const admin = await api.token(await createStaff(s.prisma, 'admin', s.clinic.id));
    const registered = await api.graphql<{ registerPartnerPharmacy: { id: string; kind: string } }>(
      'mutation($i: PartnerPharmacyInput!) { registerPartnerPharmacy(input: $i) { id kind } }',
      { i: { clinicId: s.clinic.globalId, name: 'Pharmacie du Marché', street: 'Rue Joss', city: 'Douala', licence: 'ONPC-1234' } },
      admin,
    );
    expect(registered.data!.registerPartnerPharmacy.kind).toBe('PARTNER');
    const partnerId = registered.data!.registerPartnerPharmacy.id;
    const outsider = await s.prisma.user.create({
      data: {
        email: `partner.${Date.now()}@test.clinic-graph.test`,
        role: 'pharmacist',
        profile: { create: { firstName: 'Paul', lastName: 'Partner' } },
      },
    });
    expect(
      (
        await api.graphql(
          'mutation($p: ID!, $u: ID!) { addPharmacist(pharmacyId: $p, userId: $u) { id } }',
          { p: partnerId, u: toGlobalId('User', outsider.id) },
          admin,
        )
      ).errors,
    ).toBeUndefined();
    const partner = await api.token({ userId: outsider.id, role: 'pharmacist', clinicIds: [] });
    await stock(partner, partnerId, 'paracetamol', [{ batch: `PARTNER-${partnerId.slice(-6)}`, expires: day(100), quantity: 30 }]);
    const rx = await signed(s.doctor, s.patient.globalId, 'paracetamol', { quantity: 6 });
    // Before it is presented there, the partner's pharmacist cannot read it.
    expect(
      (await api.graphql('query($id: ID!) { prescription(id: $id) { number } }', { id: rx.id }, partner)).errors?.[0].extensions?.code,
    ).toBe('FORBIDDEN');
    const presented = await api.graphql<{ presentPrescription: { id: string } }>(PRESENT, { p: rx.id, ph: partnerId }, s.patientToken);
    expect((await api.graphql('query($id: ID!) { prescription(id: $id) { number } }', { id: rx.id }, partner)).errors).toBeUndefined();
    const given = await api.graphql(
      DISPENSE,
      { i: { fulfillmentId: presented.data!.presentPrescription.id, prescriptionItemId: rx.itemId, quantity: 6 } },
      partner,
    );
    expect(given.errors).toBeUndefined();
    // The clinic's dispensary pharmacist does not run the partner's stock.
    expect(
      (await api.graphql('query($ph: ID!) { stockValue(pharmacyId: $ph) { units } }', { ph: partnerId }, s.pharmacist)).errors?.[0]
        .extensions?.code,
    ).toBe('FORBIDDEN');
  });

  it('writes off an expired lot (the only way it leaves), reports low stock and expiring lots, alerts once per condition, and values the stock', async () => {
    const s = await pharmacySetting();
    const tag = s.dispensary.id.slice(0, 6);
    const { lotIds } = await stock(s.pharmacist, s.pharmacyId, 'amlodipine', [
      { batch: `OLD-${tag}`, expires: day(-1), quantity: 8 },
      { batch: `SOON-${tag}`, expires: day(45), quantity: 10 },
    ]);
    const adjusted = await api.graphql(
      'mutation($l: ID!) { adjustStock(lotId: $l, quantity: -8, reason: "used for display") { quantityOnHand } }',
      { l: lotIds[`OLD-${tag}`] },
      s.pharmacist,
    );
    expect(adjusted.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'EXPIRED_LOT' });
    const written = await api.graphql<{ writeOffStock: { quantityOnHand: number; expired: boolean } }>(
      'mutation($l: ID!) { writeOffStock(lotId: $l, quantity: 8, reason: EXPIRED) { quantityOnHand expired } }',
      { l: lotIds[`OLD-${tag}`] },
      s.pharmacist,
    );
    expect(written.data!.writeOffStock).toEqual({ quantityOnHand: 0, expired: true });
    const low = await api.graphql<{ lowStockItems: Array<{ onHand: number; reorderPoint: number; item: { name: string } }> }>(
      'query($ph: ID!) { lowStockItems(pharmacyId: $ph) { onHand reorderPoint item { name } } }',
      { ph: s.pharmacyId },
      s.pharmacist,
    );
    expect(low.data!.lowStockItems).toEqual([{ onHand: 10, reorderPoint: 20, item: { name: 'Amlodipine' } }]);
    const expiring = await api.graphql<{ expiringLots: Array<{ batchNumber: string }> }>(
      'query($ph: ID!) { expiringLots(pharmacyId: $ph) { batchNumber } }',
      { ph: s.pharmacyId },
      s.pharmacist,
    );
    expect(expiring.data!.expiringLots.map((lot) => lot.batchNumber)).toEqual([`SOON-${tag}`]);
    expect(
      (
        await api.graphql<{ stockValue: { valueXaf: number; units: number } }>(
          'query($ph: ID!) { stockValue(pharmacyId: $ph) { valueXaf units } }',
          { ph: s.pharmacyId },
          s.pharmacist,
        )
      ).data!.stockValue,
    ).toEqual({ valueXaf: 200, units: 10 });

    const sentTo = (email: string) =>
      api.notifier.sent.filter((message) => message.to === email && message.template === 'stock-alert').length;
    const pharmacistEmail = (await s.prisma.user.findUniqueOrThrow({ where: { id: s.pharmacistUser.userId } })).email;
    // The hourly job, run twice: each condition (low stock, the lot expiring) is told once.
    await api.services.inventory.sendAlerts();
    await api.services.inventory.sendAlerts();
    expect(sentTo(pharmacistEmail)).toBe(1);
    expect(api.notifier.sent.find((message) => message.to === pharmacistEmail && message.template === 'stock-alert')?.data).toMatchObject({
      lowStock: '1',
      expiring: '1',
    });
  });
});
