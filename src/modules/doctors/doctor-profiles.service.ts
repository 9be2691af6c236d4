// Clinic admins create and edit the profiles of their clinics' doctors, so that a doctor account
// (createStaffAccount with role DOCTOR) reaches the directory once it is active. An admin acts only
// on doctors of clinics they administer, and only on those clinics' memberships.
import type { RequestContext } from '../../context/context.js';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../../errors/errors.js';
import { idOf } from '../../graphql/global-id.js';
import { sentFields } from '../../graphql/partial-update.js';
import { UniqueViolation } from '../../platform/prisma-errors.js';
import type { Doctor } from './doctor.types.js';
import type { CreateDoctorProfileInput, UpdateDoctorProfileInput } from './doctor-profiles.types.js';
import { toDoctor } from './doctors.mapper.js';
import type { ClinicChanges, DoctorsRepository, ProfileFields, ProfileOwner } from './doctors.repository.js';

const NOT_YOURS = 'Doctor';

export class DoctorProfilesService {
  constructor(private readonly repository: DoctorsRepository) {}

  async create(context: RequestContext, input: CreateDoctorProfileInput): Promise<Doctor> {
    const administered = this.administered(context);
    const owner = await this.repository.profileOwner({ userId: idOf('User', input.userId, ['input', 'userId']) });
    // Anyone who is not a doctor of the caller's clinics is "not found": nothing is learnt about them.
    if (!owner || owner.role !== 'doctor' || !owner.clinicIds.some((id) => administered.includes(id))) throw new NotFoundError(NOT_YOURS);
    if (owner.doctorId) throw new ConflictError('This doctor already has a profile; change it with updateDoctorProfile.');
    const specialtyIds = await this.specialtyIds(input.specialties);
    const clinics = this.clinicChanges(input.clinicIds, administered, owner);
    const fields: ProfileFields = {
      licenseNumber: input.licenseNumber.trim(),
      consultationFeeMinor: input.consultationFeeXaf,
      languages: input.languages,
      bio: input.bio?.trim() || null,
      medicalDegree: input.medicalDegree?.trim() || null,
      yearsOfExperience: input.yearsOfExperience ?? 0,
      consultationDurationMinutes: input.consultationDurationMinutes ?? 30,
    };
    return this.saved(owner, fields, specialtyIds, clinics);
  }

  async update(context: RequestContext, doctorGlobalId: string, input: UpdateDoctorProfileInput): Promise<Doctor> {
    const administered = this.administered(context);
    const owner = await this.repository.profileOwner({ doctorId: idOf('Doctor', doctorGlobalId, ['doctorId']) });
    if (!owner || !owner.activeClinicIds.some((id) => administered.includes(id))) throw new NotFoundError(NOT_YOURS);
    const sent = sentFields(
      input,
      [
        'licenseNumber',
        'specialties',
        'consultationFeeXaf',
        'languages',
        'clinicIds',
        'yearsOfExperience',
        'consultationDurationMinutes',
        'acceptingPatients',
      ],
      ['input'],
    );
    const fields: Partial<ProfileFields> = {
      ...(sent.licenseNumber != null ? { licenseNumber: sent.licenseNumber.trim() } : {}),
      ...(sent.consultationFeeXaf != null ? { consultationFeeMinor: sent.consultationFeeXaf } : {}),
      ...(sent.languages != null ? { languages: sent.languages } : {}),
      ...('bio' in sent ? { bio: sent.bio?.trim() || null } : {}),
      ...('medicalDegree' in sent ? { medicalDegree: sent.medicalDegree?.trim() || null } : {}),
      ...(sent.yearsOfExperience != null ? { yearsOfExperience: sent.yearsOfExperience } : {}),
      ...(sent.consultationDurationMinutes != null ? { consultationDurationMinutes: sent.consultationDurationMinutes } : {}),
      ...(sent.acceptingPatients != null ? { acceptingPatients: sent.acceptingPatients } : {}),
    };
    const specialtyIds = sent.specialties ? await this.specialtyIds(sent.specialties) : undefined;
    const clinics = sent.clinicIds ? this.clinicChanges(sent.clinicIds, administered, owner) : undefined;
    return this.saved(owner, fields, specialtyIds, clinics);
  }

  /** The clinics the caller administers (FORBIDDEN for anyone but a clinic admin). */
  private administered(context: RequestContext): readonly string[] {
    const principal = context.principal;
    if (principal?.role !== 'admin' || principal.clinicIds.length === 0)
      throw new ForbiddenError('Doctor profiles are managed by clinic admins.');
    return principal.clinicIds;
  }

  /** Specialty ids in the order of `codes`; BAD_USER_INPUT naming each unknown code's position. */
  private async specialtyIds(codes: string[]): Promise<string[]> {
    const rows = await this.repository.specialtiesByCodes(codes);
    const byCode = new Map(rows.map((row) => [row.code, row.id]));
    const unknown = codes.flatMap((code, index) =>
      byCode.has(code) ? [] : [{ path: ['input', 'specialties', index], message: 'is not a specialty code (see specialties)' }],
    );
    if (unknown.length > 0) throw new BadUserInputError(unknown);
    return codes.map((code) => byCode.get(code)!);
  }

  /** The caller's clinics to join and to leave; FORBIDDEN at the position of a clinic they do not administer. */
  private clinicChanges(globalIds: string[], administered: readonly string[], owner: ProfileOwner): ClinicChanges {
    const wanted = globalIds.map((globalId, index) => idOf('Clinic', globalId, ['input', 'clinicIds', index]));
    if (!wanted.every((id) => administered.includes(id)))
      throw new ForbiddenError('You can only place a doctor in clinics you administer.');
    return { join: wanted, leave: owner.activeClinicIds.filter((id) => administered.includes(id) && !wanted.includes(id)) };
  }

  private async saved(
    owner: ProfileOwner,
    fields: Partial<ProfileFields>,
    specialtyIds: string[] | undefined,
    clinics: ClinicChanges | undefined,
  ): Promise<Doctor> {
    let doctorId: string;
    try {
      doctorId = await this.repository.saveProfile(owner, fields, specialtyIds, clinics);
    } catch (error) {
      if (error instanceof UniqueViolation)
        throw new ConflictError('Another doctor has this licence number.', [{ path: ['input', 'licenseNumber'], message: 'is taken' }]);
      throw error;
    }
    const row = await this.repository.profile(doctorId);
    if (!row) throw new NotFoundError(NOT_YOURS);
    return toDoctor(row);
  }
}
