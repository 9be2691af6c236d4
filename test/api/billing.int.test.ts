// Billing over HTTP: fifty invoices issued at once at one clinic numbered without gaps; twenty
// identical cash payments with one idempotency key making one payment; a payment above the balance
// refused; an insurer's share; a credit note; the ledger balanced after all of it (and PostgreSQL
// refusing an entry that does not balance); a patient reading only their own invoices.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestApi } from '../harness/api.js';
import { createAppointment, createAppointmentType, createClinic, createDoctor, createPatient, createStaff } from '../factories.js';

const api = useTestApi({ manualJobs: true });

async function charged(clinicId: string, amounts: number[], options: { insurance?: number } = {}) {
  const prisma = api.database.prisma;
  const patient = await createPatient(prisma, { clinicId });
  for (const amount of amounts)
    await prisma.chargeItem.create({
      data: {
        patientId: patient.userId,
        clinicId,
        source: 'visit',
        description: 'Consultation',
        quantity: 1,
        unitPriceXaf: amount,
        totalXaf: amount,
      },
    });
  if (options.insurance)
    await prisma.insuranceCoverage.create({
      data: {
        patientId: patient.userId,
        insurer: 'Mutuelle',
        policyNumber: 'P-1',
        percentage: options.insurance,
        expiresOn: new Date(Date.now() + 100 * 86_400_000),
      },
    });
  return patient;
}

const CREATE =
  'mutation($p: ID!, $c: ID!) { createInvoice(patientId: $p, clinicId: $c) { id status totalXaf insurerShareXaf patientShareXaf balanceXaf } }';
const ISSUE = 'mutation($id: ID!) { issueInvoice(id: $id) { number status } }';
const PAY =
  'mutation($i: ID!, $a: Int!, $k: String!) { recordCashPayment(invoiceId: $i, amountXaf: $a, idempotencyKey: $k) { id receiptNumber amountXaf status } }';

describe('invoices', () => {
  it('numbers fifty invoices issued at once at one clinic without gaps or duplicates', async () => {
    const clinic = await createClinic(api.database.prisma);
    const desk = await api.token(await createStaff(api.database.prisma, 'receptionist', clinic.id));
    const drafts: string[] = [];
    for (let i = 0; i < 50; i++) {
      const patient = await charged(clinic.id, [15_000]);
      const draft = await api.graphql<{ createInvoice: { id: string } }>(CREATE, { p: patient.globalId, c: clinic.globalId }, desk);
      expect(draft.errors).toBeUndefined();
      drafts.push(draft.data!.createInvoice.id);
    }
    const issued = await Promise.all(drafts.map((id) => api.graphql<{ issueInvoice: { number: string } }>(ISSUE, { id }, desk)));
    const numbers = issued.map((response) => response.data!.issueInvoice.number).sort();
    const year = numbers[0].slice(4, 8);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => `INV-${year}-${String(i + 1).padStart(6, '0')}`));
  });

  it("splits an invoice with the patient's insurer, and an issued one is fixed (a credit note corrects it)", async () => {
    const clinic = await createClinic(api.database.prisma);
    const desk = await api.token(await createStaff(api.database.prisma, 'receptionist', clinic.id));
    const admin = await api.token(await createStaff(api.database.prisma, 'admin', clinic.id));
    const patient = await charged(clinic.id, [10_000, 5_001], { insurance: 70 });
    const draft = (await api.graphql<{ createInvoice: Record<string, unknown> }>(CREATE, { p: patient.globalId, c: clinic.globalId }, desk))
      .data!.createInvoice;
    expect(draft).toMatchObject({ status: 'DRAFT', totalXaf: 15_001, insurerShareXaf: 10_500, patientShareXaf: 4_501, balanceXaf: 4_501 });
    await api.graphql(ISSUE, { id: draft.id }, desk);
    const row = await api.database.prisma.invoice.findUniqueOrThrow({
      where: { id: Buffer.from(String(draft.id), 'base64url').toString().split(':')[1] },
    });
    await expect(api.database.prisma.$executeRaw`UPDATE invoices SET total_xaf = 1 WHERE id = ${row.id}::uuid`).rejects.toThrow(
      /credit note/,
    );
    const credited = await api.graphql<{ creditInvoice: { balanceXaf: number; creditNotes: Array<{ number: string }> } }>(
      'mutation($id: ID!) { creditInvoice(id: $id, amountXaf: 501, reason: "Duplicate line") { balanceXaf creditNotes { number } } }',
      { id: draft.id },
      admin,
    );
    expect(credited.data!.creditInvoice.balanceXaf).toBe(4_000);
    expect(credited.data!.creditInvoice.creditNotes[0].number).toMatch(/^CN-\d{4}-000001$/);
    const byDesk = await api.graphql(
      'mutation($id: ID!) { creditInvoice(id: $id, amountXaf: 1, reason: "no") { id } }',
      { id: draft.id },
      desk,
    );
    expect(byDesk.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('cash payments', () => {
  it('makes one payment of twenty identical requests with one key, refuses the key for another request, and never takes more than the balance', async () => {
    const clinic = await createClinic(api.database.prisma);
    const desk = await api.token(await createStaff(api.database.prisma, 'receptionist', clinic.id));
    const admin = await api.token(await createStaff(api.database.prisma, 'admin', clinic.id));
    const patient = await charged(clinic.id, [15_000]);
    const id = (await api.graphql<{ createInvoice: { id: string } }>(CREATE, { p: patient.globalId, c: clinic.globalId }, desk)).data!
      .createInvoice.id;
    await api.graphql(ISSUE, { id }, desk);
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.graphql<{ recordCashPayment: { id: string; receiptNumber: string } }>(PAY, { i: id, a: 10_000, k: key }, desk),
      ),
    );
    expect(responses.map((response) => response.errors)).toEqual(Array(20).fill(undefined));
    expect(new Set(responses.map((response) => response.data!.recordCashPayment.id)).size).toBe(1);
    expect(responses[0].data!.recordCashPayment.receiptNumber).toMatch(/^RCT-\d{4}-000001$/);
    expect(await api.database.prisma.payment.count({ where: { patientId: patient.userId } })).toBe(1);

    const reused = await api.graphql(PAY, { i: id, a: 5_000, k: key }, desk);
    expect(reused.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    const tooMuch = await api.graphql(PAY, { i: id, a: 5_001, k: randomUUID() }, desk);
    expect(tooMuch.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'OVERPAID' });
    const rest = await api.graphql<{ recordCashPayment: { status: string } }>(PAY, { i: id, a: 5_000, k: randomUUID() }, desk);
    expect(rest.data!.recordCashPayment.status).toBe('SUCCESSFUL');
    const invoice = await api.graphql<{ invoice: { status: string; balanceXaf: number; payments: unknown[] } }>(
      'query($id: ID!) { invoice(id: $id) { status balanceXaf payments { amountXaf } } }',
      { id },
      desk,
    );
    expect(invoice.data!.invoice).toMatchObject({ status: 'PAID', balanceXaf: 0, payments: [{ amountXaf: 10_000 }, { amountXaf: 5_000 }] });

    // The ledger balances, and PostgreSQL refuses an event that does not.
    const ledger = await api.graphql<{ ledgerBalance: { debitsXaf: number; creditsXaf: number; unbalancedEvents: number } }>(
      'query($c: ID!) { ledgerBalance(clinicId: $c) { debitsXaf creditsXaf unbalancedEvents } }',
      { c: clinic.globalId },
      admin,
    );
    expect(ledger.data!.ledgerBalance).toEqual({ debitsXaf: 30_000, creditsXaf: 30_000, unbalancedEvents: 0 });
    await expect(
      api.database.prisma
        .$executeRaw`INSERT INTO ledger_entries (id, event_id, event_kind, clinic_id, account, debit_xaf) VALUES (gen_random_uuid(), gen_random_uuid(), 'payment', ${clinic.id}::uuid, 'cash', 100)`,
    ).rejects.toThrow(/does not balance/);
  });
});

describe('who sees an invoice', () => {
  it('shows a patient their own invoices only, and the front desk its clinic’s', async () => {
    const clinic = await createClinic(api.database.prisma);
    const other = await createClinic(api.database.prisma);
    const desk = await api.token(await createStaff(api.database.prisma, 'receptionist', clinic.id));
    const otherDesk = await api.token(await createStaff(api.database.prisma, 'receptionist', other.id));
    const patient = await charged(clinic.id, [7_500]);
    const stranger = await createPatient(api.database.prisma, { clinicId: clinic.id });
    const id = (await api.graphql<{ createInvoice: { id: string } }>(CREATE, { p: patient.globalId, c: clinic.globalId }, desk)).data!
      .createInvoice.id;
    const READ = 'query($id: ID!) { invoice(id: $id) { totalXaf } }';
    expect((await api.graphql(READ, { id }, await api.token({ userId: patient.userId, role: 'patient' }))).data).toEqual({
      invoice: { totalXaf: 7_500 },
    });
    for (const token of [await api.token({ userId: stranger.userId, role: 'patient' }), otherDesk])
      expect((await api.graphql(READ, { id }, token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const mine = await api.graphql<{ myInvoices: { edges: unknown[] } }>(
      '{ myInvoices(first: 5) { edges { node { totalXaf } } } }',
      {},
      await api.token({ userId: stranger.userId, role: 'patient' }),
    );
    expect(mine.data!.myInvoices.edges).toEqual([]);
  });
});

describe('charges', () => {
  it("charges a completed visit once, at its appointment type's price, ready to invoice", async () => {
    const prisma = api.database.prisma;
    const clinic = await createClinic(prisma);
    const doctor = await createDoctor(prisma, { clinicIds: [clinic.id] });
    const patient = await createPatient(prisma, { clinicId: clinic.id, clinicianIds: [doctor.userId] });
    const type = await createAppointmentType(prisma);
    const visit = await createAppointment(prisma, {
      patientId: patient.userId,
      doctorId: doctor.doctorId,
      clinicId: clinic.id,
      appointmentTypeId: type.id,
      startsAt: new Date(Date.now() - 3_600_000),
      status: 'in_consultation',
    });
    const completed = await api.graphql(
      'mutation($id: ID!) { completeAppointment(appointmentId: $id, encounter: { chiefComplaint: "Fever", diagnoses: [] }) { status } }',
      { id: visit.globalId },
      await api.token(doctor),
    );
    expect(completed.errors).toBeUndefined();
    await api.relayOutbox();
    await api.relayOutbox();
    const charges = await prisma.chargeItem.findMany({ where: { patientId: patient.userId } });
    expect(charges.map((charge) => [charge.source, charge.totalXaf])).toEqual([['visit', type.priceMinor]]);
    const desk = await api.token(await createStaff(prisma, 'receptionist', clinic.id));
    const invoice = await api.graphql<{ createInvoice: { totalXaf: number } }>(CREATE, { p: patient.globalId, c: clinic.globalId }, desk);
    expect(invoice.data!.createInvoice.totalXaf).toBe(type.priceMinor);
  });
});
