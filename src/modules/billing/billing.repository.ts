// Invoices, payments and the ledger in PostgreSQL. Numbers (invoices, credit notes, receipts) come
// from a per-clinic, per-year counter taken in the transaction that issues; every money event
// writes its balanced double entry in the same transaction (PostgreSQL checks the balance at commit).
import { randomUUID } from 'node:crypto';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';

const WITH_LINES = { lines: { orderBy: { description: 'asc' } }, creditNotes: true } satisfies Prisma.InvoiceInclude;
export type InvoiceRow = Prisma.InvoiceGetPayload<{ include: typeof WITH_LINES }>;
export type PaymentRow = Prisma.PaymentGetPayload<object>;
export type Transaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
type Account = Prisma.LedgerEntryCreateManyInput['account'];

/** A refusal the database or the rules made, for the service to word. */
export class BillingRefused extends Error {
  constructor(readonly reason: 'NOTHING_TO_INVOICE' | 'NOT_DRAFT' | 'NOT_ISSUED' | 'OVERPAID' | 'STATUS') {
    super(reason);
  }
}

async function nextNumber(tx: Transaction, clinicId: string, year: number, series: 'INV' | 'CN' | 'RCT'): Promise<string> {
  const [{ last_number: sequence }] = await tx.$queryRaw<Array<{ last_number: number }>>`
    INSERT INTO billing_counters (clinic_id, year, series, last_number) VALUES (${clinicId}::uuid, ${year}, ${series}, 1)
    ON CONFLICT (clinic_id, year, series) DO UPDATE SET last_number = billing_counters.last_number + 1
    RETURNING last_number`;
  return `${series}-${year}-${String(sequence).padStart(6, '0')}`;
}

/** Writes one money event's lines (debits and credits): PostgreSQL refuses the commit if they do not balance. */
async function post(
  tx: Transaction,
  event: { kind: string; clinicId: string; invoiceId?: string; paymentId?: string },
  lines: Array<{ account: Account; debit?: number; credit?: number }>,
): Promise<void> {
  const eventId = randomUUID();
  await tx.ledgerEntry.createMany({
    data: lines
      .filter((line) => (line.debit ?? 0) > 0 || (line.credit ?? 0) > 0)
      .map((line) => ({
        eventId,
        eventKind: event.kind,
        clinicId: event.clinicId,
        account: line.account,
        debitXaf: line.debit ?? 0,
        creditXaf: line.credit ?? 0,
        invoiceId: event.invoiceId ?? null,
        paymentId: event.paymentId ?? null,
      })),
  });
}

export class BillingRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** A draft gathering the patient's billable charge items at the clinic (each invoiced once: a unique line per item). */
  async createDraft(input: {
    clinicId: string;
    patientId: string;
    createdBy: string;
    coverage: { id: string; insurer: string; percentage: number } | null;
  }): Promise<InvoiceRow> {
    return this.prisma.$transaction(async (tx) => {
      const charges = await tx.$queryRaw<
        Array<{ id: string; description: string; quantity: number; unit_price_xaf: number; total_xaf: number }>
      >`
        SELECT c.id, c.description, c.quantity, c.unit_price_xaf, c.total_xaf FROM charge_items c
        WHERE c.patient_id = ${input.patientId}::uuid AND c.clinic_id = ${input.clinicId}::uuid AND c.status = 'billable'
          AND NOT EXISTS (SELECT 1 FROM invoice_lines l WHERE l.charge_item_id = c.id)
        ORDER BY c.created_at FOR UPDATE`;
      if (charges.length === 0) throw new BillingRefused('NOTHING_TO_INVOICE');
      const total = charges.reduce((sum, charge) => sum + charge.total_xaf, 0);
      const insurerShare = input.coverage ? Math.floor((total * input.coverage.percentage) / 100) : 0;
      return tx.invoice.create({
        data: {
          clinicId: input.clinicId,
          patientId: input.patientId,
          totalXaf: total,
          insurerShareXaf: insurerShare,
          patientShareXaf: total - insurerShare,
          coverageId: input.coverage?.id ?? null,
          insurer: input.coverage?.insurer ?? null,
          insurerPercentage: input.coverage?.percentage ?? 0,
          createdBy: input.createdBy,
          lines: {
            createMany: {
              data: charges.map((charge) => ({
                chargeItemId: charge.id,
                description: charge.description,
                quantity: charge.quantity,
                unitPriceXaf: charge.unit_price_xaf,
                totalXaf: charge.total_xaf,
              })),
            },
          },
        },
        include: WITH_LINES,
      });
    });
  }

  /** Issues a draft: its number, its charge items billed, and the revenue and receivables it makes. */
  async issue(id: string, year: number): Promise<InvoiceRow> {
    return this.prisma.$transaction(async (tx) => {
      const [draft] = await tx.$queryRaw<Array<{ clinic_id: string; status: string }>>`
        SELECT clinic_id, status::text FROM invoices WHERE id = ${id}::uuid FOR UPDATE`;
      if (!draft || draft.status !== 'draft') throw new BillingRefused('NOT_DRAFT');
      const number = await nextNumber(tx, draft.clinic_id, year, 'INV');
      const invoice = await tx.invoice.update({
        where: { id },
        data: { status: 'issued', number, issuedAt: new Date() },
        include: WITH_LINES,
      });
      await tx.chargeItem.updateMany({ where: { id: { in: invoice.lines.map((line) => line.chargeItemId) } }, data: { status: 'billed' } });
      await post(tx, { kind: 'invoice_issued', clinicId: invoice.clinicId, invoiceId: id }, [
        { account: 'receivable', debit: invoice.patientShareXaf },
        { account: 'insurer_receivable', debit: invoice.insurerShareXaf },
        { account: 'revenue', credit: invoice.totalXaf },
      ]);
      return invoice;
    });
  }

  /** Takes `amount` off an issued invoice's patient share, with a numbered credit note and its ledger lines. */
  async credit(id: string, amount: number, reason: string, by: string, year: number): Promise<InvoiceRow> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const [invoice] = await tx.$queryRaw<Array<{ clinic_id: string; status: string }>>`
          SELECT clinic_id, status::text FROM invoices WHERE id = ${id}::uuid FOR UPDATE`;
        if (!invoice || !['issued', 'partially_paid', 'paid'].includes(invoice.status)) throw new BillingRefused('NOT_ISSUED');
        const number = await nextNumber(tx, invoice.clinic_id, year, 'CN');
        await tx.creditNote.create({ data: { invoiceId: id, number, amountXaf: amount, reason, createdBy: by } });
        const updated = await tx.invoice.update({ where: { id }, data: { creditedXaf: { increment: amount } }, include: WITH_LINES });
        await tx.invoice.update({ where: { id }, data: { status: settledStatus(updated) } });
        await post(tx, { kind: 'credit_note', clinicId: invoice.clinic_id, invoiceId: id }, [
          { account: 'refunds', debit: amount },
          { account: 'receivable', credit: amount },
        ]);
        return tx.invoice.findUniqueOrThrow({ where: { id }, include: WITH_LINES });
      });
    } catch (error) {
      throw overpaid(error);
    }
  }

  /**
   * Records a cash payment, settled at once: a receipt number, the invoice's paid amount and status,
   * the ledger. In `within` when given (an idempotent call's transaction: the payment and the key's
   * result commit together).
   */
  async payCash(id: string, amount: number, by: string, year: number, within?: Transaction): Promise<PaymentRow> {
    const run = <T>(work: (tx: Transaction) => Promise<T>) => (within ? work(within) : this.prisma.$transaction(work));
    try {
      return await run(async (tx) => {
        const [invoice] = await tx.$queryRaw<Array<{ clinic_id: string; patient_id: string; status: string }>>`
          SELECT clinic_id, patient_id, status::text FROM invoices WHERE id = ${id}::uuid FOR UPDATE`;
        if (!invoice || !['issued', 'partially_paid'].includes(invoice.status)) throw new BillingRefused('STATUS');
        const receiptNumber = await nextNumber(tx, invoice.clinic_id, year, 'RCT');
        const payment = await tx.payment.create({
          data: {
            invoiceId: id,
            clinicId: invoice.clinic_id,
            patientId: invoice.patient_id,
            method: 'cash',
            amountXaf: amount,
            status: 'successful',
            receiptNumber,
            recordedBy: by,
            settledAt: new Date(),
          },
        });
        const updated = await tx.invoice.update({ where: { id }, data: { paidXaf: { increment: amount } }, include: WITH_LINES });
        await tx.invoice.update({ where: { id }, data: { status: settledStatus(updated) } });
        await post(tx, { kind: 'payment', clinicId: invoice.clinic_id, invoiceId: id, paymentId: payment.id }, [
          { account: 'cash', debit: amount },
          { account: 'receivable', credit: amount },
        ]);
        return payment;
      });
    } catch (error) {
      throw overpaid(error);
    }
  }

  /** The visit's charge at its appointment type's price, once (a replayed event adds nothing). */
  async chargeVisit(appointmentId: string): Promise<void> {
    await this.prisma.$executeRaw`
      INSERT INTO charge_items (id, patient_id, clinic_id, source, appointment_id, description, quantity, unit_price_xaf, total_xaf)
      SELECT gen_random_uuid(), a.patient_id, a.clinic_id, 'visit', a.id, t.name_fr, 1, t.price_minor, t.price_minor
      FROM appointments a JOIN appointment_types t ON t.id = a.appointment_type_id
      WHERE a.id = ${appointmentId}::uuid AND t.price_minor > 0
      ON CONFLICT (appointment_id) DO NOTHING`;
  }

  invoicesByIds(ids: readonly string[]): Promise<InvoiceRow[]> {
    return this.prisma.invoice.findMany({ where: { id: { in: [...ids] } }, include: WITH_LINES });
  }

  invoicesOfPatient(patientId: string, take: number, after?: { createdAt: Date; id: string }): Promise<InvoiceRow[]> {
    return this.prisma.invoice.findMany({
      where: {
        patientId,
        ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
      include: WITH_LINES,
    });
  }

  countInvoicesOfPatient(patientId: string): Promise<number> {
    return this.prisma.invoice.count({ where: { patientId } });
  }

  paymentsOfInvoices(invoiceIds: readonly string[]): Promise<PaymentRow[]> {
    return this.prisma.payment.findMany({ where: { invoiceId: { in: [...invoiceIds] } }, orderBy: { createdAt: 'asc' } });
  }

  activeCoverage(patientId: string, today: Date) {
    return this.prisma.insuranceCoverage.findFirst({ where: { patientId, expiresOn: { gte: today } }, orderBy: { createdAt: 'desc' } });
  }

  /** Debits and credits over the whole ledger (or a clinic's), and the events that do not balance: none, always. */
  async ledgerBalance(clinicId?: string): Promise<{ debits: number; credits: number; unbalancedEvents: number }> {
    const where = clinicId ? Prisma.sql`WHERE clinic_id = ${clinicId}::uuid` : Prisma.empty;
    const [row] = await this.prisma.$queryRaw<Array<{ debits: bigint; credits: bigint; unbalanced: bigint }>>`
      SELECT coalesce(sum(debit_xaf), 0) AS debits, coalesce(sum(credit_xaf), 0) AS credits,
             (SELECT count(*) FROM (SELECT event_id FROM ledger_entries ${where} GROUP BY event_id
                                    HAVING sum(debit_xaf) <> sum(credit_xaf)) e) AS unbalanced
      FROM ledger_entries ${where}`;
    return { debits: Number(row.debits), credits: Number(row.credits), unbalancedEvents: Number(row.unbalanced) };
  }

  /**
   * Runs `work` once per (user, key), in the transaction that stores its result (so a crash between
   * the two leaves neither): a repeat with the same request returns the first result, another request
   * with the key is refused (`conflict`), a call while the first still runs waits for it (the key's row lock).
   */
  async idempotent<T extends object>(
    userId: string,
    key: string,
    operation: string,
    requestHash: string,
    work: (tx: Transaction) => Promise<T>,
  ): Promise<{ result: T } | { conflict: true }> {
    await this.prisma.idempotencyKey.createMany({ data: [{ userId, key, operation, requestHash }], skipDuplicates: true });
    return this.prisma.$transaction(
      async (tx) => {
        const [stored] = await tx.$queryRaw<Array<{ operation: string; request_hash: string; result: T | null }>>`
          SELECT operation, request_hash, result FROM idempotency_keys WHERE user_id = ${userId}::uuid AND key = ${key} FOR UPDATE`;
        if (stored.operation !== operation || stored.request_hash !== requestHash) return { conflict: true as const };
        if (stored.result) return { result: stored.result };
        const result = await work(tx);
        await tx.idempotencyKey.update({ where: { userId_key: { userId, key } }, data: { result: result as Prisma.InputJsonValue } });
        return { result };
      },
      { timeout: 30_000 },
    );
  }
}

function settledStatus(invoice: { paidXaf: number; creditedXaf: number; patientShareXaf: number }): 'issued' | 'partially_paid' | 'paid' {
  const settled = invoice.paidXaf + invoice.creditedXaf;
  if (settled >= invoice.patientShareXaf) return 'paid';
  return invoice.paidXaf > 0 ? 'partially_paid' : 'issued';
}

function overpaid(error: unknown): unknown {
  const text = `${(error as Error)?.message ?? ''} ${JSON.stringify((error as { meta?: unknown })?.meta ?? {})}`;
  return /invoices_not_overpaid/.test(text) ? new BillingRefused('OVERPAID') : error;
}
