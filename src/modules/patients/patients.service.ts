// Patients: registration (all or nothing) and lookup.
import type { RequestContext } from '../../context/context.js';
import { ConflictError, NotFoundError } from '../../errors/errors.js';
import { fromLocalDate } from '../../graphql/scalars.js';
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

  async register(input: RegisterPatientInput): Promise<Patient> {
    try {
      const row = await this.repository.create({
        email: input.email.trim().toLowerCase(),
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
      });
      return toPatient(row);
    } catch (error) {
      if (error instanceof UniqueViolation) {
        throw new ConflictError(
          'A person with these details is already registered.',
          error.fields.map((field) => ({ path: ['input', field], message: `${field} is already registered` })),
        );
      }
      throw error;
    }
  }
}
