// Low stock and lots expiring soon, checked every hour, once across processes; each condition is
// told once (to the pharmacy's pharmacists and its clinic's admins) until it clears.
import type { JobDefinition } from '../../platform/jobs.js';
import type { InventoryService } from './inventory.service.js';

export function stockAlertsJob(inventory: InventoryService): JobDefinition<null> {
  return {
    name: 'pharmacy.stock-alerts',
    queue: { policy: 'singleton', retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 600 },
    schedule: '17 * * * *',
    pollingIntervalSeconds: 30,
    run: async () => ({ sent: await inventory.sendAlerts() }),
  };
}
