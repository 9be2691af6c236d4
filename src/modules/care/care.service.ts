// Care relationships and break-the-glass: what ties a caller to a patient, and the emergency path
// for a clinician without one (reason required, one hour, the clinic's admins alerted).
import type { RequestContext } from '../../context/context.js';
import { BadUserInputError, ConflictError, ForbiddenError, UnauthenticatedError } from '../../errors/errors.js';
import { cursorShape, decodeCursor, encodeCursor, part, toPage, type Page } from '../../graphql/connection.js';
import { idOf, toGlobalId } from '../../graphql/global-id.js';
import type { Notifier } from '../../platform/notifier.js';
import type { EmergencyAccessGrant } from './care.types.js';
import type { CareRepository, GrantRow } from './care.repository.js';

const EMERGENCY_ACCESS_MINUTES = 60;
const MAX_GRANT_RANGE_DAYS = 366;
const DAY = 24 * 60 * 60 * 1000;
/** Grants are listed in (createdAt, id) order. */
const GRANT_CURSOR = cursorShape(part.instant, part.uuid);

const toGrant = (row: GrantRow): EmergencyAccessGrant => ({
  patientDbId: row.patientId,
  staffUserId: row.staffUserId,
  id: row.id,
  patientId: toGlobalId('Patient', row.patientId),
  reason: row.reason,
  createdAt: row.createdAt,
  expiresAt: row.expiresAt,
});

export class CareService {
  constructor(
    private readonly repository: CareRepository,
    private readonly notifier: Notifier,
  ) {}

  async requestEmergencyAccess(context: RequestContext, patientGlobalId: string, reasonInput: string): Promise<EmergencyAccessGrant> {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    const patientId = idOf('Patient', patientGlobalId, ['patientId']);
    const reason = reasonInput.trim();
    if (reason.length < 10 || reason.length > 500)
      throw new BadUserInputError([{ path: ['reason'], message: 'reason must be 10 to 500 characters' }]);
    if (!(await context.loaders.patientById.load(patientId))) throw new ForbiddenError(); // says nothing about existence
    const current = await context.patients.capabilities(patientId);
    if (current.clinicalRead && current.purpose === 'normal') throw new ConflictError('You already have access to this patient.');
    // A grant still running is the answer to a second request: breaking the glass again must not
    // quietly extend access (nor alert the admins twice for one emergency).
    const active = await this.repository.activeGrant(principal.userId, patientId);
    if (active) return toGrant(active);
    const [clinicId] = await this.repository.staffClinics(principal.userId, principal.clinicIds, ['doctor', 'nurse']);
    if (!clinicId) throw new ForbiddenError('Emergency access is for clinicians working in a clinic.');
    const breakGlass = { patientId, resource: 'Patient', fields: [], action: 'emergency_access', purpose: 'emergency' } as const;
    const { grant, created } = await context.patients.write(breakGlass, () =>
      this.repository.grantUnlessActive({
        staffUserId: principal.userId,
        patientId,
        clinicId,
        reason,
        expiresAt: new Date(Date.now() + EMERGENCY_ACCESS_MINUTES * 60_000),
      }),
    );
    context.patients.forget(patientId);
    if (!created) return toGrant(grant); // a parallel request made it, and alerted
    for (const to of await this.repository.adminEmails(clinicId)) {
      await this.notifier.send({
        channel: 'email',
        to,
        template: 'emergency_access_alert',
        data: {
          clinicianRole: principal.role,
          clinician: toGlobalId('User', principal.userId),
          patient: patientGlobalId,
          reason: grant.reason,
          expiresAt: grant.expiresAt.toISOString(),
        },
      });
    }
    return toGrant(grant);
  }

  /** The grants made from a clinic in [from, to), for its admins; each grant read is audited in its patient's trail. */
  async grantsOfClinic(
    context: RequestContext,
    args: { clinicId: string; from: Date; to: Date; first: number; after?: string | null },
  ): Promise<Page<EmergencyAccessGrant>> {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    const clinicId = idOf('Clinic', args.clinicId, ['clinicId']);
    if (principal.role !== 'admin' || !principal.clinicIds.includes(clinicId))
      throw new ForbiddenError("Emergency access grants are for the clinic's admins.");
    if (!(args.to > args.from) || args.to.getTime() - args.from.getTime() > MAX_GRANT_RANGE_DAYS * DAY) {
      throw new BadUserInputError([{ path: ['to'], message: `to must be after from, within ${MAX_GRANT_RANGE_DAYS} days` }]);
    }
    const after = args.after ? decodeCursor(args.after, GRANT_CURSOR) : undefined;
    const rows = await this.repository.grantsOfClinic(clinicId, args.from, args.to, after, args.first + 1);
    return toPage(
      rows,
      args.first,
      Boolean(args.after),
      (row) => encodeCursor([row.createdAt.toISOString(), row.id]),
      toGrant,
      () => this.repository.countGrantsOfClinic(clinicId, args.from, args.to),
    );
  }

  /** A front desk or admin assigns one of their clinic's clinicians to a patient of the clinic. */
  async assignClinician(context: RequestContext, patientGlobalId: string, staffGlobalId: string): Promise<boolean> {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    const patientId = idOf('Patient', patientGlobalId, ['patientId']);
    const staffUserId = idOf('User', staffGlobalId, ['staffUserId']);
    const ties = await this.repository.relationships([patientId], principal.clinicIds);
    const shared = await this.repository.staffClinics(staffUserId, [...new Set(ties.map((tie) => tie.clinicId))], ['doctor', 'nurse']);
    if (shared.length === 0) throw new ForbiddenError('The patient and the clinician must both belong to one of your clinics.');
    await context.patients.write({ patientId, resource: 'CareRelationship', fields: ['clinicId', 'staffUserId'], action: 'create' }, () =>
      this.repository.addRelationship({ patientId, clinicId: shared[0], staffUserId, kind: 'assignment', createdBy: principal.userId }),
    );
    return true;
  }
}
