// Builds one request's context: the principal from the bearer token (narrowed to the partner's
// clinic when a partner's key comes with it), fresh loaders, the services.
import { HeaderMap } from '@apollo/server';
import type { Principal } from '../auth/principal.js';
import { PatientScope } from '../authz/patient-scope.js';
import { UnauthenticatedError } from '../errors/errors.js';
import { RequestAudit } from '../modules/audit/index.js';
import type { Partner } from '../modules/partners/index.js';
import type { RequestContext } from './context.js';
import { createLoaders } from './loaders.js';
import type { Repositories, Services } from './services.js';

export interface ContextSources {
  repositories: Repositories;
  services: Services;
}

export interface IncomingRequestInfo {
  requestId: string;
  authorization: string | undefined;
  /** The partner whose API key the request carries (already checked). */
  partner: Partner | null;
  ip: string;
  userAgent: string;
}

/** Through a partner's integration, staff reach only the partner's clinic (a patient is still themself). */
function withinPartnerClinic(principal: Principal, partner: Partner | null): Principal {
  return partner ? { ...principal, clinicIds: principal.clinicIds.filter((id) => id === partner.clinicId) } : principal;
}

/**
 * A token that is present but invalid (expired, revoked, forged) is refused outright, on every
 * operation, public ones included: 401 with `WWW-Authenticate: Bearer error="invalid_token"`
 * (RFC 6750), so a client refreshes it or signs in again instead of silently getting anonymous
 * answers. Without a token, public fields answer and protected ones are UNAUTHENTICATED (200).
 */
export async function buildContext(sources: ContextSources, request: IncomingRequestInfo): Promise<RequestContext> {
  let principal: Principal | null = null;
  if (request.authorization) {
    const match = /^Bearer ([A-Za-z0-9._-]{1,4096})$/.exec(request.authorization);
    principal = match ? await sources.services.sessions.principalFromToken(match[1]) : null;
    if (!principal) {
      throw new UnauthenticatedError('The access token is invalid or has expired.', {
        http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer error="invalid_token"']]) },
      });
    }
    principal = withinPartnerClinic(principal, request.partner);
  }
  const audit = new RequestAudit(sources.services.audit, {
    actor: principal ? { userId: principal.userId, role: principal.role } : null,
    requestId: request.requestId,
    ip: request.ip,
    userAgent: request.userAgent,
  });
  const loaders = createLoaders(sources.repositories, principal);
  return {
    requestId: request.requestId,
    principal,
    partner: request.partner,
    audit,
    patients: new PatientScope(principal, loaders.tiesToPatient, audit),
    loaders,
    services: sources.services,
    client: { ip: request.ip, userAgent: request.userAgent },
  };
}
