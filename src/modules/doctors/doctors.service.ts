// The doctor directory: filtered, name-ordered pages, and single doctors.
import type { RequestContext } from '../../context/context.js';
import { NotFoundError } from '../../errors/errors.js';
import { cursorShape, decodeCursor, encodeCursor, part, toPage, type Page } from '../../graphql/connection.js';
import { idOf } from '../../graphql/global-id.js';
import { loadClinics, type Clinic } from '../clinics/index.js';
import type { Doctor, DoctorFilter, Specialty } from './doctor.types.js';
import { toDoctor } from './doctors.mapper.js';
import type { DoctorsRepository } from './doctors.repository.js';

export class DoctorsService {
  constructor(private readonly repository: DoctorsRepository) {}

  async directory(filter: DoctorFilter | null | undefined, first: number, after: string | null | undefined): Promise<Page<Doctor>> {
    const rows = await this.repository.page({
      specialtyCode: filter?.specialty ?? undefined,
      clinicId: filter?.clinicId ? idOf('Clinic', filter.clinicId, ['filter', 'clinicId']) : undefined,
      language: filter?.language ?? undefined,
      after: after ? decodeCursor(after, cursorShape(part.text, part.text, part.uuid)) : undefined,
      take: first + 1,
    });
    return toPage(rows, first, Boolean(after), (row) => encodeCursor([row.user.profile?.lastName ?? '', row.user.profile?.firstName ?? '', row.id]), toDoctor);
  }

  async get(context: RequestContext, id: string): Promise<Doctor> {
    const doctor = await context.loaders.doctorById.load(id);
    if (!doctor) throw new NotFoundError('Doctor');
    return doctor;
  }

  specialties(context: RequestContext, doctor: Doctor): Promise<Specialty[]> {
    return context.loaders.specialtiesByDoctorId.load(doctor.dbId);
  }

  async clinics(context: RequestContext, doctor: Doctor): Promise<Clinic[]> {
    return loadClinics(context.loaders.clinicById, await context.loaders.clinicIdsByDoctorUserId.load(doctor.userId));
  }
}
