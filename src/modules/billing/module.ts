// The billing module: invoices of charge items (visits, dispensed medicines), whole XAF, numbered
// per clinic and year without gaps; cash payments with idempotency keys; a double-entry ledger that
// PostgreSQL keeps balanced. Mobile money, refunds, receipts and the cashier's day are to come.
import { defineModule } from '../../platform/module.js';
import { BillingRepository } from './billing.repository.js';
import { BillingResolver, InvoiceResolver, PatientInvoicesResolver } from './billing.resolver.js';
import { billingPermissions } from './billing.permissions.js';
import { BillingService } from './billing.service.js';
import type { Invoice, Payment } from './billing.types.js';

declare module '../../graphql/global-id.js' {
  interface NodeTypes {
    Invoice: true;
    Payment: true;
  }
}

export const billingModule = defineModule({
  name: 'billing',
  resolvers: [BillingResolver, InvoiceResolver, PatientInvoicesResolver],
  permissions: billingPermissions,
  repositories: ({ prisma }) => ({ billingRecords: new BillingRepository(prisma) }),
  services: (repositories) => ({ billing: new BillingService(repositories.billingRecords) }),
  idKinds: ['Invoice', 'Payment'],
  patientData: {
    Invoice: (invoice: Invoice) => invoice.patientDbId,
    Payment: (payment: Payment) => payment.patientDbId,
  },
  patientStores: { models: ['Invoice', 'InvoiceLine', 'CreditNote', 'Payment'] },
  handlers: (services) => services.billing.handlers(),
});
