// Who may do what at a pharmacy: its pharmacists dispense and manage its stock; the admins of its
// clinic see it (queue, stock, reports); nobody else sees stock.
import type { RequestContext } from '../../context/context.js';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../../errors/errors.js';
import { idOf } from '../../graphql/global-id.js';
import type { PharmacyRow } from './pharmacies.repository.js';

export type PharmacyAccess = 'manage' | 'read';

/** The pharmacy (by global id) and what the caller may do there; FORBIDDEN below `needed`. */
export async function pharmacyFor(
  context: RequestContext,
  pharmacyId: string,
  needed: PharmacyAccess,
  path: Array<string | number> = ['pharmacyId'],
): Promise<PharmacyRow> {
  return pharmacyByDbId(context, idOf('Pharmacy', pharmacyId, path), needed);
}

export async function pharmacyByDbId(context: RequestContext, dbId: string, needed: PharmacyAccess): Promise<PharmacyRow> {
  const principal = context.principal;
  if (!principal) throw new UnauthenticatedError();
  const pharmacy = await context.loaders.pharmacyRowById.load(dbId);
  if (!pharmacy) throw new NotFoundError('The pharmacy');
  const works = principal.role === 'pharmacist' && (await context.loaders.pharmacyIdsOfUser.load(principal.userId)).includes(dbId);
  const administers = principal.role === 'admin' && principal.clinicIds.includes(pharmacy.clinicId);
  if (works || (needed === 'read' && administers)) return pharmacy;
  throw new ForbiddenError();
}
