// Every MongoDB collection the modules declare, for setup.
import type { CollectionSpec } from '../platform/mongo.js';
import { auditLogsSpec } from './audit/index.js';
import { patientRecordsSpec } from './records/index.js';

export const collectionSpecs: CollectionSpec[] = [patientRecordsSpec, auditLogsSpec()];
