// Rows to the graph's objects.
import { toGlobalId } from '../../graphql/global-id.js';
import type { InvoiceRow, PaymentRow } from './billing.repository.js';
import type { Invoice, InvoiceStatus, Payment, PaymentMethod, PaymentStatus } from './billing.types.js';

export function toInvoice(row: InvoiceRow): Invoice {
  return {
    dbId: row.id,
    clinicDbId: row.clinicId,
    patientDbId: row.patientId,
    id: toGlobalId('Invoice', row.id),
    number: row.number,
    status: row.status as InvoiceStatus,
    totalXaf: row.totalXaf,
    insurerShareXaf: row.insurerShareXaf,
    patientShareXaf: row.patientShareXaf,
    paidXaf: row.paidXaf,
    creditedXaf: row.creditedXaf,
    balanceXaf: row.patientShareXaf - row.paidXaf - row.creditedXaf,
    insurer: row.insurer,
    lines: row.lines.map((line) => ({
      description: line.description,
      quantity: line.quantity,
      unitPriceXaf: line.unitPriceXaf,
      totalXaf: line.totalXaf,
    })),
    creditNotes: row.creditNotes.map((note) => ({
      number: note.number,
      amountXaf: note.amountXaf,
      reason: note.reason,
      createdAt: note.createdAt,
    })),
    issuedAt: row.issuedAt,
    createdAt: row.createdAt,
  };
}

export function toPayment(row: PaymentRow): Payment {
  return {
    patientDbId: row.patientId,
    id: toGlobalId('Payment', row.id),
    method: row.method as PaymentMethod,
    amountXaf: row.amountXaf,
    status: row.status as PaymentStatus,
    receiptNumber: row.receiptNumber,
    createdAt: row.createdAt,
  };
}
