// Lists of appointments (a doctor's day, "my" appointments, a clinic's) as connections in start
// order, and how to join a remote appointment.
import type { RequestContext } from '../../context/context.js';
import { BadUserInputError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../errors/errors.js';
import { cursorShape, decodeCursor, encodeCursor, part, toPage, type Page } from '../../graphql/connection.js';
import { idOf } from '../../graphql/global-id.js';
import { toAppointment } from './scheduling.mapper.js';
import type { AppointmentFilter, AppointmentsRepository } from './appointments.repository.js';
import { AppointmentStatus, ConsultationMode, MAX_SEARCH_DAYS, type Appointment, type JoinInfo } from './scheduling.types.js';

const DAY = 24 * 60 * 60 * 1000;
/** Statuses after which there is nothing left to join. */
const OVER: AppointmentStatus[] = [AppointmentStatus.COMPLETED, AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW];
/** Appointment lists are in (startsAt, id) order. */
const APPOINTMENT_CURSOR = cursorShape(part.instant, part.uuid);

export class AppointmentViewsService {
  constructor(private readonly repository: AppointmentsRepository) {}

  /** How to join a VIDEO or PHONE appointment that is still ahead or under way (null otherwise). */
  async joinInfo(context: RequestContext, appointment: Appointment): Promise<JoinInfo | null> {
    if (OVER.includes(appointment.status)) return null;
    if (appointment.mode === ConsultationMode.VIDEO) return { mode: appointment.mode, url: appointment.meetingUrl, phone: null };
    if (appointment.mode !== ConsultationMode.PHONE) return null;
    const clinic = await context.loaders.clinicById.load(appointment.clinicDbId);
    return { mode: appointment.mode, url: null, phone: clinic?.phone ?? null };
  }

  /** A doctor's appointments on a local date of the clinic (the doctor's first clinic when not given). */
  async doctorSchedule(
    context: RequestContext,
    doctorGlobalId: string,
    date: string,
    clinicGlobalId: string | null | undefined,
    first: number,
    after: string | null | undefined,
  ): Promise<Page<Appointment>> {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    const doctorId = idOf('Doctor', doctorGlobalId, ['doctorId']);
    const doctor = await context.loaders.doctorById.load(doctorId);
    if (!doctor) throw new NotFoundError('Doctor');
    const doctorClinicIds = await context.loaders.clinicIdsByDoctorUserId.load(doctor.userId); // in the order they joined
    const clinicId = clinicGlobalId ? idOf('Clinic', clinicGlobalId, ['clinicId']) : doctorClinicIds[0];
    const sees =
      doctor.userId === principal.userId ||
      (principal.role !== 'patient' && doctorClinicIds.some((id) => principal.clinicIds.includes(id)));
    if (!sees || !clinicId) throw new ForbiddenError('Schedules are for the doctor and the staff of their clinics.');
    const timeZone = (await context.loaders.clinicById.load(clinicId))?.timeZone ?? 'Africa/Douala';
    const day = await this.repository.dayBounds(date, timeZone);
    return this.page({ doctorId, startsIn: day }, 'asc', first, after);
  }

  /**
   * "My" appointments, by role: a patient's own; a doctor's as the doctor (at the clinics they
   * work in now); every other staff member's clinics' appointments.
   */
  async myAppointments(
    context: RequestContext,
    upcoming: boolean,
    first: number,
    after: string | null | undefined,
  ): Promise<Page<Appointment>> {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    if (principal.role === 'patient' && !principal.patientId) throw new ForbiddenError();
    const clinicIds = principal.clinicIds;
    const mine: AppointmentFilter =
      principal.role === 'patient'
        ? { patientId: principal.patientId }
        : principal.role === 'doctor'
          ? { doctorUserId: principal.userId, clinicIds }
          : { clinicIds };
    const now = new Date();
    return this.page({ ...mine, ...(upcoming ? { endsAfter: now } : { endedBy: now }) }, upcoming ? 'asc' : 'desc', first, after);
  }

  async clinicAppointments(
    context: RequestContext,
    clinicGlobalId: string,
    from: Date,
    to: Date,
    status: AppointmentStatus | null | undefined,
    first: number,
    after: string | null | undefined,
  ): Promise<Page<Appointment>> {
    const clinicId = idOf('Clinic', clinicGlobalId, ['clinicId']);
    const principal = context.principal;
    if (!principal || principal.role === 'patient' || !principal.clinicIds.includes(clinicId))
      throw new ForbiddenError("This is for the clinic's staff.");
    if (!(to > from) || to.getTime() - from.getTime() > MAX_SEARCH_DAYS * DAY)
      throw new BadUserInputError([{ path: ['to'], message: `to must be after from, within ${MAX_SEARCH_DAYS} days` }]);
    return this.page({ clinicIds: [clinicId], startsIn: { from, to }, ...(status ? { status } : {}) }, 'asc', first, after);
  }

  private async page(
    filter: AppointmentFilter,
    direction: 'asc' | 'desc',
    first: number,
    after: string | null | undefined,
  ): Promise<Page<Appointment>> {
    const key = after ? decodeCursor(after, APPOINTMENT_CURSOR) : undefined;
    const rows = await this.repository.page(filter, direction, key, first + 1);
    return toPage(
      rows,
      first,
      Boolean(after),
      (row) => encodeCursor([row.startsAt.toISOString(), row.id]),
      toAppointment,
      () => this.repository.count(filter),
    );
  }
}
