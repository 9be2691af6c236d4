// Patients: registration (all or nothing, audited first) and lookup.
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../context/context.js';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../errors/errors.js';
import { idOf } from '../../graphql/global-id.js';
import { fromLocalDate } from '../../graphql/scalars.js';
import { normaliseEmail } from '../accounts/index.js';
import type { Patient, RegisterPatientInput } from './patient.types.js';
import { toPatient } from './patients.mapper.js';
import { UniqueViolation } from '../../platform/prisma-errors.js';
import type { PatientsRepository } from './patients.repository.js';

export class PatientsService {
  constructor(private readonly repository: PatientsRepository) {}

  async get(context: RequestContext, id: string): Promise<Patient> {
    const patient = await context.loaders.patientById.load(id);
    if (!patient) throw new NotFoundError('Patient');
    return patient;
  }

  /** Registers a patient at one of the caller's clinics (the one named, or their only one). */
  async register(context: RequestContext, input: RegisterPatientInput): Promise<Patient> {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    const clinicId = input.clinicId ? idOf('Clinic', input.clinicId, ['input', 'clinicId']) : principal.clinicIds.length === 1 ? principal.clinicIds[0] : undefined;
    if (!clinicId) throw new BadUserInputError([{ path: ['input', 'clinicId'], message: 'clinicId is required when you work in several clinics' }]);
    if (!principal.clinicIds.includes(clinicId)) throw new ForbiddenError('You can only register patients at a clinic you work in.');
    const id = randomUUID();
    const fields = Object.keys(input).filter((field) => input[field as keyof RegisterPatientInput] != null && field !== 'clinicId');
    try {
      const row = await context.audit.around(id, 'Patient', fields, 'create', 'normal', () =>
        this.repository.create({
          id,
          email: normaliseEmail(input.email),
          phone: input.phone ?? null,
          profile: {
            firstName: input.firstName.trim(),
            lastName: input.lastName.trim(),
            dateOfBirth: fromLocalDate(input.dateOfBirth),
            gender: input.gender ?? null,
            nationalId: input.nationalId ?? null,
            preferredLanguage: input.preferredLanguage,
            address: input.address ? { ...input.address } : undefined,
            emergencyContact: input.emergencyContact ? { ...input.emergencyContact } : undefined,
          },
          registeredAt: { clinicId, by: principal.userId },
        }),
      );
      return toPatient(row);
    } catch (error) {
      // Which detail clashed (email, phone, national id) would tell the registrar about a person
      // registered elsewhere: one answer for all.
      if (error instanceof UniqueViolation) throw new ConflictError('A person with some of these details is already registered. Ask them to sign in, or check the details.');
      throw error;
    }
  }
}
