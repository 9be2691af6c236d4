// Who sees and moves money: the patient reads their own invoices; the front desk of the invoice's
// clinic (receptionists, admins) invoices and takes payments; admins issue credit notes and read
// the ledger (the services check the clinic).
import type { RequestContext } from '../../context/context.js';
import { UnauthenticatedError } from '../../errors/errors.js';
import { hasRole, isAuthenticated, onPatient } from '../../authz/rules.js';
import { allow, rule } from '../../authz/shield.js';
import type { ModulePermissions } from '../../platform/module.js';

const frontDesk = hasRole('receptionist', 'admin');

export const canReadInvoice = rule('canReadInvoice', { cache: 'no_cache' })((
  parent: { patientDbId?: string; clinicDbId?: string },
  _args,
  context: RequestContext,
) => {
  const principal = context.principal;
  if (!principal) return new UnauthenticatedError();
  if (principal.patientId) return principal.patientId === parent.patientDbId;
  return (principal.role === 'receptionist' || principal.role === 'admin') && principal.clinicIds.includes(parent.clinicDbId ?? '');
});

export const billingPermissions: ModulePermissions = {
  Query: {
    invoice: isAuthenticated,
    myInvoices: hasRole('patient'),
    ledgerBalance: hasRole('admin'),
  },
  Mutation: {
    createInvoice: frontDesk,
    issueInvoice: frontDesk,
    creditInvoice: hasRole('admin'),
    recordCashPayment: frontDesk,
  },
  // The patient and the front desk of their clinic (who may change their contact details).
  Patient: { invoices: onPatient('contactWrite') },
  Invoice: canReadInvoice,
  InvoiceConnection: allow,
  InvoiceEdge: allow,
  InvoiceLine: allow,
  CreditNote: allow,
  Payment: allow,
  LedgerBalance: allow,
};
