// Invoices and cash payments. The front desk of the clinic (receptionists, admins) invoices and
// takes cash; the patient reads their own. Every write is a money event of the patient's data:
// audited first (context.patients.write), written with its balanced ledger lines. A payment takes
// an idempotency key: the same key and request return the first payment, another request is refused.
import { createHash } from 'node:crypto';
import type { RequestContext } from '../../context/context.js';
import { onTopic, type TopicHandler } from '../../platform/outbox-topics.js';
import { encounterCompleted } from '../encounters/index.js';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../errors/errors.js';
import { cursorShape, decodeCursor, encodeCursor, part, toPage, type Page } from '../../graphql/connection.js';
import { idOf } from '../../graphql/global-id.js';
import { reasonText } from '../../graphql/validation.js';
import { fromLocalDate, localDateIn } from '../../graphql/scalars.js';
import { BillingRefused, type BillingRepository, type InvoiceRow } from './billing.repository.js';
import { toInvoice, toPayment } from './billing.mapper.js';
import type { Invoice, LedgerBalance, Payment } from './billing.types.js';

const INVOICE_CURSOR = cursorShape(part.literal('invoice'), part.instant, part.uuid);
const FRONT_DESK = new Set(['receptionist', 'admin']);
const today = () => localDateIn(new Date());

export class BillingService {
  constructor(private readonly billing: BillingRepository) {}

  /** What billing does with other modules' events: a completed visit becomes a charge at its type's price. */
  handlers(): TopicHandler[] {
    return [onTopic(encounterCompleted, ({ keys }) => this.billing.chargeVisit(keys.appointmentId))];
  }

  /** A draft of the patient's billable charges at the clinic, split with their insurer if covered. */
  async createInvoice(context: RequestContext, patientId: string, clinicId: string): Promise<Invoice> {
    const clinic = this.frontDesk(context, idOf('Clinic', clinicId, ['clinicId']));
    const patient = idOf('Patient', patientId, ['patientId']);
    const coverage = await this.billing.activeCoverage(patient, fromLocalDate(today()));
    const row = await this.write(context, patient, 'Invoice', ['lines', 'amounts'], 'create', () =>
      this.billing.createDraft({
        clinicId: clinic,
        patientId: patient,
        createdBy: context.principal!.userId,
        coverage: coverage ? { id: coverage.id, insurer: coverage.insurer, percentage: coverage.percentage } : null,
      }),
    );
    return toInvoice(row);
  }

  async issueInvoice(context: RequestContext, id: string): Promise<Invoice> {
    const invoice = await this.ownInvoice(context, id);
    const row = await this.write(context, invoice.patientId, 'Invoice', ['status', 'number'], 'update', () =>
      this.billing.issue(invoice.id, Number(today().slice(0, 4))),
    );
    return toInvoice(row);
  }

  /** A credit note (an admin of the clinic): takes an amount off the patient's share, with a reason. */
  async creditInvoice(context: RequestContext, id: string, amountXaf: number, reason: string): Promise<Invoice> {
    const invoice = await this.ownInvoice(context, id);
    if (context.principal!.role !== 'admin') throw new ForbiddenError('Credit notes are an admin’s.');
    if (!Number.isSafeInteger(amountXaf) || amountXaf <= 0)
      throw new BadUserInputError([{ path: ['amountXaf'], message: 'must be a positive whole amount' }]);
    const why = reasonText(reason);
    const row = await this.write(context, invoice.patientId, 'CreditNote', ['amount', 'reason'], 'create', () =>
      this.billing.credit(invoice.id, amountXaf, why, context.principal!.userId, Number(today().slice(0, 4))),
    );
    return toInvoice(row);
  }

  /** Cash taken at the front desk: idempotent by key; never more than the invoice's balance. */
  async recordCashPayment(context: RequestContext, invoiceId: string, amountXaf: number, idempotencyKey: string): Promise<Payment> {
    const invoice = await this.ownInvoice(context, invoiceId);
    if (!Number.isSafeInteger(amountXaf) || amountXaf <= 0)
      throw new BadUserInputError([{ path: ['amountXaf'], message: 'must be a positive whole amount' }]);
    if (!/^[A-Za-z0-9._:-]{8,128}$/.test(idempotencyKey))
      throw new BadUserInputError([{ path: ['idempotencyKey'], message: 'must be 8 to 128 letters, digits, ".", "_", ":" or "-"' }]);
    const request = createHash('sha256')
      .update(JSON.stringify(['cash', invoice.id, amountXaf]))
      .digest('hex');
    const outcome = await this.write(context, invoice.patientId, 'Payment', ['amount', 'method'], 'create', () =>
      this.billing.idempotent(context.principal!.userId, idempotencyKey, 'recordCashPayment', request, async (tx) =>
        toPayment(await this.billing.payCash(invoice.id, amountXaf, context.principal!.userId, Number(today().slice(0, 4)), tx)),
      ),
    );
    if ('conflict' in outcome)
      throw new ConflictError(
        'This idempotency key was used for another request.',
        [{ path: ['idempotencyKey'], message: 'was used for another request' }],
        {
          reason: 'IDEMPOTENCY_KEY_REUSED',
        },
      );
    return { ...outcome.result, createdAt: new Date(outcome.result.createdAt) };
  }

  async invoice(context: RequestContext, id: string): Promise<Invoice | null> {
    const [row] = await this.billing.invoicesByIds([idOf('Invoice', id, ['id'])]);
    return row ? toInvoice(row) : null;
  }

  invoicesOf(patientId: string, first: number, after?: string | null): Promise<Page<Invoice>> {
    return this.page(patientId, first, after);
  }

  myInvoices(context: RequestContext, first: number, after?: string | null): Promise<Page<Invoice>> {
    const patientId = context.principal?.patientId;
    if (!patientId) throw new ForbiddenError('Only patients have invoices of their own.');
    return this.page(patientId, first, after);
  }

  async payments(invoice: Invoice): Promise<Payment[]> {
    return (await this.billing.paymentsOfInvoices([invoice.dbId])).map(toPayment);
  }

  async ledgerBalance(context: RequestContext, clinicId: string): Promise<LedgerBalance> {
    const clinic = idOf('Clinic', clinicId, ['clinicId']);
    const principal = context.principal;
    if (!principal || principal.role !== 'admin' || !principal.clinicIds.includes(clinic)) throw new ForbiddenError();
    const balance = await this.billing.ledgerBalance(clinic);
    return { debitsXaf: balance.debits, creditsXaf: balance.credits, unbalancedEvents: balance.unbalancedEvents };
  }

  private async page(patientId: string, first: number, after?: string | null): Promise<Page<Invoice>> {
    const cursor = after ? decodeCursor(after, INVOICE_CURSOR) : undefined;
    const rows = await this.billing.invoicesOfPatient(patientId, first + 1, cursor ? { createdAt: cursor[1], id: cursor[2] } : undefined);
    return toPage(
      rows,
      first,
      cursor !== undefined,
      (row) => encodeCursor(['invoice', row.createdAt.toISOString(), row.id]),
      toInvoice,
      () => this.billing.countInvoicesOfPatient(patientId),
    );
  }

  /** The caller works at the clinic's front desk (a receptionist or an admin of it). */
  private frontDesk(context: RequestContext, clinicId: string): string {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    if (!FRONT_DESK.has(principal.role) || !principal.clinicIds.includes(clinicId)) throw new ForbiddenError();
    return clinicId;
  }

  private async ownInvoice(context: RequestContext, id: string): Promise<InvoiceRow> {
    const [row] = await this.billing.invoicesByIds([idOf('Invoice', id, ['invoiceId'])]);
    if (!row) throw new NotFoundError('The invoice');
    this.frontDesk(context, row.clinicId);
    return row;
  }

  /** A money event: audited first, its refusals worded. */
  private async write<T>(
    context: RequestContext,
    patientId: string,
    resource: string,
    fields: string[],
    action: 'create' | 'update',
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      return await context.patients.write({ patientId, resource, fields, action, purpose: 'normal' }, work);
    } catch (error) {
      if (!(error instanceof BillingRefused)) throw error;
      switch (error.reason) {
        case 'NOTHING_TO_INVOICE':
          throw new ConflictError('The patient has no charges to invoice at this clinic.', [], { reason: error.reason });
        case 'OVERPAID':
          throw new ConflictError('More than the invoice’s balance.', [{ path: ['amountXaf'], message: 'is more than the balance' }], {
            reason: error.reason,
          });
        default:
          throw new ConflictError('The invoice cannot do that in its current status.', [], { reason: error.reason });
      }
    }
  }
}
