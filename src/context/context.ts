// What every resolver gets for one request: who asks, fresh DataLoaders (never shared between
// requests, so one user's results never reach another), the services, and the request's id.
import type { Principal } from '../auth/principal.js';
import type { RequestAudit } from '../modules/audit/index.js';
import type { Partner } from '../modules/partners/index.js';
import type { Loaders } from './loaders.js';
import type { Services } from './services.js';

export interface RequestContext {
  requestId: string;
  principal: Principal | null;
  /** The partner integration the request comes through (its API key), if any. */
  partner: Partner | null;
  loaders: Loaders;
  services: Services;
  client: { ip: string; userAgent: string };
  /** What this request read and wrote of patients' data, for the audit trail. */
  audit: RequestAudit;
}
