// Reading back a doctor's hours. Not directory data (the directory shows slots only): the doctor
// sees all of theirs; staff of a clinic where the doctor works see the weekly hours and extra
// hours at their clinics, and all time off (it empties their clinic's slots too).
import type { RequestContext } from '../../context/context.js';
import { BadUserInputError, ForbiddenError, UnauthenticatedError } from '../../errors/errors.js';
import { toClockTime, toLocalDate } from '../../graphql/scalars.js';
import type { Doctor } from '../doctors/index.js';
import type { ExceptionRow, WindowRow } from './availability.repository.js';
import type { AvailabilityExceptionKind, AvailabilityException, WeeklyWindow } from './scheduling.types.js';

const MAX_RANGE_DAYS = 366;

function toWeeklyWindow(row: WindowRow): WeeklyWindow {
  return {
    clinicDbId: row.clinicId,
    dayOfWeek: row.dayOfWeek,
    startsAt: toClockTime(row.startsAt),
    endsAt: toClockTime(row.endsAt),
    breaks: row.breaks.map((pause) => ({ startsAt: toClockTime(pause.startsAt), endsAt: toClockTime(pause.endsAt) })),
    validFrom: toLocalDate(row.validFrom),
    validUntil: toLocalDate(row.validUntil),
  };
}

const toException = (row: ExceptionRow): AvailabilityException => ({
  clinicDbId: row.clinicId,
  kind: row.kind as AvailabilityExceptionKind,
  startsAt: row.startsAt,
  endsAt: row.endsAt,
});

export class AvailabilityViewService {
  /** The clinics whose hours the caller may read for this doctor: all (null) for the doctor, else the clinics they share. */
  private async visibleClinics(context: RequestContext, doctor: Doctor): Promise<string[] | null> {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    if (principal.userId === doctor.userId) return null;
    const doctorClinicIds = await context.loaders.clinicIdsByDoctorUserId.load(doctor.userId);
    const shared = principal.role === 'patient' ? [] : doctorClinicIds.filter((id) => principal.clinicIds.includes(id));
    if (shared.length === 0)
      throw new ForbiddenError("A doctor's hours are for the doctor and the staff of their clinics; the directory shows free slots.");
    return shared;
  }

  async weekly(context: RequestContext, doctor: Doctor, clinicId: string | null): Promise<WeeklyWindow[]> {
    const clinics = await this.visibleClinics(context, doctor);
    const windows = await context.loaders.weeklyWindowsByDoctorId.load(doctor.dbId);
    return windows
      .filter((row) => (!clinics || clinics.includes(row.clinicId)) && (!clinicId || row.clinicId === clinicId))
      .map(toWeeklyWindow);
  }

  async exceptions(context: RequestContext, doctor: Doctor, from: Date, to: Date): Promise<AvailabilityException[]> {
    if (!(to > from) || to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000)
      throw new BadUserInputError([{ path: ['to'], message: `to must be after from, within ${MAX_RANGE_DAYS} days` }]);
    const clinics = await this.visibleClinics(context, doctor);
    const rows = await context.loaders.exceptionsByDoctorRange.load({ doctorId: doctor.dbId, from, to });
    return rows.filter((row) => !clinics || row.clinicId === null || clinics.includes(row.clinicId)).map(toException);
  }
}
