// Care relationships and break-the-glass: what ties a caller to a patient, and the emergency path
// for a clinician without one (reason required, one hour, the clinic's admins alerted).
import type { RequestContext } from '../../context/context.js';
import { patientCapabilities, type PatientCapabilities } from '../../authz/patient-access.js';
import { BadUserInputError, ConflictError, ForbiddenError, UnauthenticatedError } from '../../errors/errors.js';
import { idOf, toGlobalId } from '../../graphql/global-id.js';
import type { Notifier } from '../../platform/notifier.js';
import type { EmergencyAccessGrant } from './care.types.js';
import type { CareRepository } from './care.repository.js';

const EMERGENCY_ACCESS_MINUTES = 60;

export class CareService {
  constructor(
    private readonly repository: CareRepository,
    private readonly notifier: Notifier,
  ) {}

  async capabilities(context: RequestContext, patientId: string): Promise<PatientCapabilities> {
    return patientCapabilities(context.principal, await context.loaders.tiesToPatient.load(patientId));
  }

  async requestEmergencyAccess(context: RequestContext, patientGlobalId: string, reasonInput: string): Promise<EmergencyAccessGrant> {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    const patientId = idOf('Patient', patientGlobalId, ['patientId']);
    const reason = reasonInput.trim();
    if (reason.length < 10 || reason.length > 500) throw new BadUserInputError([{ path: ['reason'], message: 'reason must be 10 to 500 characters' }]);
    if (!(await context.loaders.patientById.load(patientId))) throw new ForbiddenError(); // says nothing about existence
    const current = await this.capabilities(context, patientId);
    if (current.clinicalRead && current.purpose === 'normal') throw new ConflictError('You already have access to this patient.');
    const [clinicId] = await this.repository.staffClinics(principal.userId, principal.clinicIds, ['doctor', 'nurse']);
    if (!clinicId) throw new ForbiddenError('Emergency access is for clinicians working in a clinic.');
    const grant = await context.audit.around(patientId, 'Patient', [], 'emergency_access', 'emergency', () =>
      this.repository.grantEmergencyAccess({ staffUserId: principal.userId, patientId, clinicId, reason, expiresAt: new Date(Date.now() + EMERGENCY_ACCESS_MINUTES * 60_000) }),
    );
    context.loaders.tiesToPatient.clear(patientId);
    for (const to of await this.repository.adminEmails(clinicId)) {
      await this.notifier.send({
        channel: 'email',
        to,
        template: 'emergency_access_alert',
        data: { clinicianRole: principal.role, clinician: toGlobalId('User', principal.userId), patient: patientGlobalId, expiresAt: grant.expiresAt.toISOString() },
      });
    }
    return { id: grant.id, patientId: patientGlobalId, expiresAt: grant.expiresAt };
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
    await context.audit.around(patientId, 'CareRelationship', ['clinicId', 'staffUserId'], 'create', 'normal', () =>
      this.repository.addRelationship({ patientId, clinicId: shared[0], staffUserId, kind: 'assignment', createdBy: principal.userId }),
    );
    return true;
  }
}
