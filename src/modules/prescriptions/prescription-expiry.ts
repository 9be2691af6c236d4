// Expiry: reads show a prescription past its last day as EXPIRED at once (prescriptions.mapper.ts);
// this job writes it down every hour, once across processes, so that queries by stored status and
// other modules (the pharmacy's queue) see the same.
import { inSystemWrite } from '../../authz/patient-writes.js';
import type { JobDefinition } from '../../platform/jobs.js';
import type { PrescriptionsService } from './prescriptions.service.js';

export function prescriptionExpiryJob(prescriptions: PrescriptionsService): JobDefinition<null> {
  return {
    name: 'prescriptions.expire',
    queue: { policy: 'singleton', retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 600 },
    schedule: '7 * * * *',
    pollingIntervalSeconds: 30,
    // The status follows the calendar: the system's own write, not a person's.
    run: async () => ({ expired: await inSystemWrite('prescriptions:expire', () => prescriptions.expireDue()) }),
  };
}
