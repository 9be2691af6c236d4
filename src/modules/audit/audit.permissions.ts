// The audit trail: admins of a clinic caring for the patient; the patient sees who viewed them.
import { hasRole, onPatient } from '../../authz/rules.js';
import { allow, and } from '../../authz/shield.js';
import type { ModulePermissions } from '../../platform/module.js';

export const auditPermissions: ModulePermissions = {
  Query: {
    verifyAuditChain: and(hasRole('admin'), onPatient('identity')),
    auditTrail: and(hasRole('admin'), onPatient('identity')),
    whoViewedMyRecord: hasRole('patient'),
  },
  AuditVerification: allow,
  AuditEntry: allow,
  AuditEntryConnection: allow,
  AuditEntryEdge: allow,
  RecordView: allow,
  RecordViewConnection: allow,
  RecordViewEdge: allow,
};
