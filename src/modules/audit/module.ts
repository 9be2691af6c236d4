// The audit module: the tamper-evident trail of who read or changed whose data. Its log is built
// by the composition root (it must exist before any request, and drain the spool at start).
import { defineModule } from '../../platform/module.js';
import { auditHeadsSpec, auditLogsSpec } from './audit.collections.js';
import { auditPermissions } from './audit.permissions.js';
import { AuditEntryResolver, AuditResolver } from './audit.resolver.js';

export const auditModule = defineModule({
  name: 'audit',
  resolvers: [AuditResolver, AuditEntryResolver],
  permissions: auditPermissions,
  services: (_repositories, dependencies) => ({ audit: dependencies.auditLog }),
  collections: ({ auditRetentionSeconds }) => [auditLogsSpec(auditRetentionSeconds), auditHeadsSpec],
});
