// Every MongoDB collection the modules declare, for setup.
import type { CollectionSpec } from '../platform/mongo.js';
import { auditHeadsSpec, auditLogsSpec } from './audit/index.js';
import { encountersSpec } from './encounters/index.js';
import { notificationsSpec } from './notifications/index.js';
import { patientRecordsSpec } from './records/index.js';

/** The collections, with the audit trail kept for `auditRetentionSeconds` (6 years by default). */
export function collectionSpecsFor(options: { auditRetentionSeconds?: number } = {}): CollectionSpec[] {
  return [patientRecordsSpec, auditLogsSpec(options.auditRetentionSeconds), auditHeadsSpec, encountersSpec, notificationsSpec];
}

export const collectionSpecs: CollectionSpec[] = collectionSpecsFor();
