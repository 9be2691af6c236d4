// Thin resolvers: invoices and cash payments.
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { PageArgs, type Page } from '../../graphql/connection.js';
import { Patient } from '../patients/index.js';
import { Invoice, InvoiceConnection, LedgerBalance, Payment } from './billing.types.js';

@Resolver()
export class BillingResolver {
  @Query(() => Invoice, { nullable: true, description: 'The patient, or the front desk of its clinic.' })
  invoice(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Invoice | null> {
    return context.services.billing.invoice(context, id);
  }

  @Query(() => InvoiceConnection, { description: 'Your invoices, newest first (a patient).' })
  myInvoices(@Args(() => PageArgs) { first, after }: PageArgs, @Ctx() context: RequestContext): Promise<Page<Invoice>> {
    return context.services.billing.myInvoices(context, first, after);
  }

  @Query(() => LedgerBalance, { description: "The clinic's ledger: debits, credits, and events that do not balance (none). Its admins." })
  ledgerBalance(@Arg('clinicId', () => ID) clinicId: string, @Ctx() context: RequestContext): Promise<LedgerBalance> {
    return context.services.billing.ledgerBalance(context, clinicId);
  }

  @Mutation(() => Invoice, { description: "A draft of the patient's billable charges at the clinic (its front desk)." })
  createInvoice(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('clinicId', () => ID) clinicId: string,
    @Ctx() context: RequestContext,
  ): Promise<Invoice> {
    return context.services.billing.createInvoice(context, patientId, clinicId);
  }

  @Mutation(() => Invoice, { description: 'Issues a draft: its number (per clinic and year, without gaps); fixed from then on.' })
  issueInvoice(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Invoice> {
    return context.services.billing.issueInvoice(context, id);
  }

  @Mutation(() => Invoice, { description: 'A credit note on an issued invoice (an admin of its clinic).' })
  creditInvoice(
    @Arg('id', () => ID) id: string,
    @Arg('amountXaf', () => Int) amountXaf: number,
    @Arg('reason') reason: string,
    @Ctx() context: RequestContext,
  ): Promise<Invoice> {
    return context.services.billing.creditInvoice(context, id, amountXaf, reason);
  }

  @Mutation(() => Payment, { description: 'Cash taken at the front desk. The same idempotency key and request return the first payment.' })
  recordCashPayment(
    @Arg('invoiceId', () => ID) invoiceId: string,
    @Arg('amountXaf', () => Int) amountXaf: number,
    @Arg('idempotencyKey') idempotencyKey: string,
    @Ctx() context: RequestContext,
  ): Promise<Payment> {
    return context.services.billing.recordCashPayment(context, invoiceId, amountXaf, idempotencyKey);
  }
}

@Resolver(() => Invoice)
export class InvoiceResolver {
  @FieldResolver(() => [Payment])
  payments(@Root() invoice: Invoice, @Ctx() context: RequestContext): Promise<Payment[]> {
    return context.services.billing.payments(invoice);
  }
}

@Resolver(() => Patient)
export class PatientInvoicesResolver {
  @FieldResolver(() => InvoiceConnection, {
    nullable: true,
    description: 'Invoices, newest first (the patient, and the front desk of their clinic).',
  })
  invoices(
    @Root() patient: Patient,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Ctx() context: RequestContext,
  ): Promise<Page<Invoice>> {
    return context.services.billing.invoicesOf(patient.dbId, first, after);
  }
}
