// The doctor directory: filtered, name-ordered pages, and single doctors.
import type { RequestContext } from '../../context/context.js';
import { NotFoundError } from '../../errors/errors.js';
import { cursorShape, decodeCursor, encodeCursor, part, toPage, type Page } from '../../graphql/connection.js';
import { idOf } from '../../graphql/global-id.js';
import { loadClinics, type Clinic } from '../clinics/index.js';
import type { Doctor, DoctorFilter, Specialty } from './doctor.types.js';
import { toDoctor, toSpecialty } from './doctors.mapper.js';
import type { DoctorsRepository } from './doctors.repository.js';

/** Doctors are listed by (last name, first name, id). */
const NAME_ORDER_CURSOR = cursorShape(part.text, part.text, part.uuid);

export class DoctorsService {
  constructor(private readonly repository: DoctorsRepository) {}

  async directory(filter: DoctorFilter | null | undefined, first: number, after: string | null | undefined): Promise<Page<Doctor>> {
    const criteria = {
      specialtyCode: filter?.specialty ?? undefined,
      clinicId: filter?.clinicId ? idOf('Clinic', filter.clinicId, ['filter', 'clinicId']) : undefined,
      language: filter?.language ?? undefined,
    };
    const rows = await this.repository.page({
      ...criteria,
      after: after ? decodeCursor(after, NAME_ORDER_CURSOR) : undefined,
      take: first + 1,
    });
    return toPage(
      rows,
      first,
      Boolean(after),
      (row) => encodeCursor([row.user.profile?.lastName ?? '', row.user.profile?.firstName ?? '', row.id]),
      toDoctor,
      () => this.repository.count(criteria),
    );
  }

  async get(context: RequestContext, id: string): Promise<Doctor> {
    const doctor = await context.loaders.doctorById.load(id);
    if (!doctor) throw new NotFoundError('Doctor');
    return doctor;
  }

  /** A page of a clinic's listed doctors in name order; pages of many clinics cost one statement. */
  async ofClinic(context: RequestContext, clinic: Clinic, first: number, after: string | null | undefined): Promise<Page<Doctor>> {
    const key = after ? decodeCursor(after, NAME_ORDER_CURSOR) : undefined;
    const ids = await context.loaders.doctorIdsByClinicPage.load({ clinicId: clinic.dbId, after: key, take: first + 1 });
    const doctors = (await Promise.all(ids.map((id) => context.loaders.doctorById.load(id)))).filter((doctor) => doctor !== null);
    return toPage(
      doctors,
      first,
      Boolean(after),
      (doctor) => encodeCursor([doctor.lastName, doctor.firstName, doctor.dbId]),
      (doctor) => doctor,
      () => context.loaders.doctorCountByClinicId.load(clinic.dbId),
    );
  }

  async allSpecialties(): Promise<Specialty[]> {
    return (await this.repository.activeSpecialties()).map(toSpecialty);
  }

  specialties(context: RequestContext, doctor: Doctor): Promise<Specialty[]> {
    return context.loaders.specialtiesByDoctorId.load(doctor.dbId);
  }

  async clinics(context: RequestContext, doctor: Doctor): Promise<Clinic[]> {
    return loadClinics(context.loaders.clinicById, await context.loaders.clinicIdsByDoctorUserId.load(doctor.userId));
  }
}
