// What every resolver gets for one request: who asks, fresh DataLoaders (never shared between
// requests, so one user's results never reach another), the services, and the request's id.
import type { Principal } from '../auth/principal.js';
import type { PatientScope } from '../authz/patient-scope.js';
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
  /** What this request read and wrote, for the audit trail (a patient's data goes through `patients`). */
  audit: RequestAudit;
  /** The caller's access to each patient, and the one way to read or write a patient's data audited. */
  patients: PatientScope;
}
