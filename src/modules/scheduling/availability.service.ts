// Setting a doctor's hours: weekly windows with breaks, and one-time exceptions. The doctor, or an
// admin of the clinic concerned.
import type { RequestContext } from '../../context/context.js';
import { BadUserInputError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../errors/errors.js';
import { idOf } from '../../graphql/global-id.js';
import { fromClockTime, fromLocalDate } from '../../graphql/scalars.js';
import type { AvailabilityRepository } from './availability.repository.js';
import { AvailabilityExceptionKind, type AvailabilityExceptionInput, type WeeklyWindowInput } from './scheduling.types.js';

const optionalDate = (value: string | null | undefined) => (value ? fromLocalDate(value) : null);

export class AvailabilityService {
  constructor(private readonly repository: AvailabilityRepository) {}

  /** The doctor's database id, when the caller may change their hours at `clinicId` (any of their clinics when null). */
  private async manageable(context: RequestContext, doctorGlobalId: string, clinicId: string | null): Promise<string> {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    const doctorId = idOf('Doctor', doctorGlobalId, ['doctorId']);
    const doctor = await context.loaders.doctorById.load(doctorId);
    if (!doctor) throw new NotFoundError('Doctor');
    const doctorClinicIds = await context.loaders.clinicIdsByDoctorUserId.load(doctor.userId);
    if (clinicId && !doctorClinicIds.includes(clinicId))
      throw new BadUserInputError([{ path: ['clinicId'], message: 'the doctor does not work at this clinic' }]);
    const isDoctor = doctor.userId === principal.userId;
    const isAdmin =
      principal.role === 'admin' &&
      (clinicId ? principal.clinicIds.includes(clinicId) : doctorClinicIds.some((id) => principal.clinicIds.includes(id)));
    if (!isDoctor && !isAdmin) throw new ForbiddenError('Hours are set by the doctor or an admin of the clinic.');
    return doctorId;
  }

  /** Replaces the doctor's weekly hours at a clinic. */
  async setWeekly(context: RequestContext, doctorGlobalId: string, clinicGlobalId: string, windows: WeeklyWindowInput[]): Promise<boolean> {
    const clinicId = idOf('Clinic', clinicGlobalId, ['clinicId']);
    const doctorId = await this.manageable(context, doctorGlobalId, clinicId);
    windows.forEach((window, index) => {
      if (window.validFrom && window.validUntil && window.validUntil < window.validFrom) {
        throw new BadUserInputError([{ path: ['windows', index, 'validUntil'], message: 'validUntil must not be before validFrom' }]);
      }
      if (window.startsAt === window.endsAt)
        throw new BadUserInputError([{ path: ['windows', index, 'endsAt'], message: 'a window cannot be empty' }]);
    });
    await this.repository.replaceWeeklyWindows(
      doctorId,
      clinicId,
      windows.map((window) => ({
        dayOfWeek: window.dayOfWeek,
        startsAt: fromClockTime(window.startsAt),
        endsAt: fromClockTime(window.endsAt),
        validFrom: optionalDate(window.validFrom),
        validUntil: optionalDate(window.validUntil),
        breaks: window.breaks.map((pause) => ({ startsAt: fromClockTime(pause.startsAt), endsAt: fromClockTime(pause.endsAt) })),
      })),
    );
    return true;
  }

  async addException(context: RequestContext, doctorGlobalId: string, input: AvailabilityExceptionInput): Promise<boolean> {
    if (!(input.endsAt > input.startsAt))
      throw new BadUserInputError([{ path: ['input', 'endsAt'], message: 'endsAt must be after startsAt' }]);
    const clinicId = input.clinicId ? idOf('Clinic', input.clinicId, ['input', 'clinicId']) : null;
    if (input.kind === AvailabilityExceptionKind.EXTRA_HOURS && !clinicId)
      throw new BadUserInputError([{ path: ['input', 'clinicId'], message: 'clinicId is required for extra hours' }]);
    const doctorId = await this.manageable(context, doctorGlobalId, clinicId);
    await this.repository.addException({ doctorId, clinicId, kind: input.kind, startsAt: input.startsAt, endsAt: input.endsAt });
    return true;
  }
}
