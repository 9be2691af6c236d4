// Invoices and payments as the graph shows them. Amounts are whole XAF (no minor unit).
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../graphql/connection.js';
import { DateTime } from '../../graphql/scalars.js';

export enum InvoiceStatus {
  DRAFT = 'draft',
  ISSUED = 'issued',
  PARTIALLY_PAID = 'partially_paid',
  PAID = 'paid',
  CANCELLED = 'cancelled',
}
registerEnumType(InvoiceStatus, {
  name: 'InvoiceStatus',
  description: 'DRAFT (no number) -> ISSUED (fixed; corrected by credit notes) -> PARTIALLY_PAID -> PAID.',
});

export enum PaymentMethod {
  CASH = 'cash',
  MTN_MOMO = 'mtn_momo',
  ORANGE_MONEY = 'orange_money',
  INSURANCE = 'insurance',
}
registerEnumType(PaymentMethod, { name: 'PaymentMethod' });

export enum PaymentStatus {
  PENDING = 'pending',
  SUCCESSFUL = 'successful',
  FAILED = 'failed',
  EXPIRED = 'expired',
}
registerEnumType(PaymentStatus, { name: 'PaymentStatus' });

@ObjectType()
export class InvoiceLine {
  @Field() description!: string;
  @Field(() => Int) quantity!: number;
  @Field(() => Int) unitPriceXaf!: number;
  @Field(() => Int) totalXaf!: number;
}

@ObjectType()
export class CreditNote {
  @Field() number!: string;
  @Field(() => Int) amountXaf!: number;
  @Field() reason!: string;
  @Field(() => DateTime) createdAt!: Date;
}

@ObjectType()
export class Payment {
  patientDbId!: string;
  @Field(() => ID) id!: string;
  @Field(() => PaymentMethod) method!: PaymentMethod;
  @Field(() => Int) amountXaf!: number;
  @Field(() => PaymentStatus) status!: PaymentStatus;
  @Field(() => String, { nullable: true, description: 'RCT-YYYY-NNNNNN once successful.' }) receiptNumber!: string | null;
  @Field(() => DateTime) createdAt!: Date;
}

@ObjectType()
export class Invoice {
  dbId!: string;
  clinicDbId!: string;
  patientDbId!: string;
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true, description: 'INV-YYYY-NNNNNN, per clinic, without gaps; given at issue.' }) number!:
    string | null;
  @Field(() => InvoiceStatus) status!: InvoiceStatus;
  @Field(() => Int) totalXaf!: number;
  @Field(() => Int, { description: "The insurer's share (its percentage of the total, rounded down)." }) insurerShareXaf!: number;
  @Field(() => Int) patientShareXaf!: number;
  @Field(() => Int, { description: 'Paid by the patient, net of refunds.' }) paidXaf!: number;
  @Field(() => Int) creditedXaf!: number;
  @Field(() => Int, { description: 'What the patient still owes: their share less what was paid and credited.' }) balanceXaf!: number;
  @Field(() => String, { nullable: true }) insurer!: string | null;
  @Field(() => [InvoiceLine]) lines!: InvoiceLine[];
  @Field(() => [CreditNote]) creditNotes!: CreditNote[];
  @Field(() => DateTime, { nullable: true }) issuedAt!: Date | null;
  @Field(() => DateTime) createdAt!: Date;
}

export const InvoiceConnection = Connection(Invoice, 'Invoice');
export type InvoiceConnection = InstanceType<typeof InvoiceConnection>;

@ObjectType({ description: 'The double-entry ledger: debits equal credits, always.' })
export class LedgerBalance {
  @Field(() => Int) debitsXaf!: number;
  @Field(() => Int) creditsXaf!: number;
  @Field(() => Int, { description: 'Money events whose lines do not balance: 0, always.' }) unbalancedEvents!: number;
}
