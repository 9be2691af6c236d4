// The only code that reads and writes patients (users with the patient role and their profiles).
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';

export type PatientRow = Prisma.UserGetPayload<{ include: { profile: true } }>;

export interface NewPatient {
  email: string;
  phone: string | null;
  profile: Omit<Prisma.UserProfileCreateWithoutUserInput, 'user'>;
}

/** A unique constraint refused the write; `fields` are the model fields involved. */
export class UniqueViolation extends Error {
  constructor(readonly fields: string[]) {
    super(`unique constraint on ${fields.join(', ')}`);
  }
}

const UNIQUE_FIELDS = ['email', 'phone', 'national_id', 'nationalId'];

function uniqueViolation(error: unknown): UniqueViolation | undefined {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return undefined;
  const detail = JSON.stringify(error.meta ?? {});
  const fields = UNIQUE_FIELDS.filter((field) => detail.includes(field)).map((field) => (field === 'national_id' ? 'nationalId' : field));
  return new UniqueViolation([...new Set(fields)]);
}

export class PatientsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  findByIds(ids: readonly string[]): Promise<PatientRow[]> {
    return this.prisma.user.findMany({ where: { id: { in: [...ids] }, role: 'patient' }, include: { profile: true } });
  }

  /** Creates the user and the profile in one transaction; UniqueViolation on a taken email, phone or id. */
  async create(patient: NewPatient): Promise<PatientRow> {
    try {
      return await this.prisma.user.create({
        data: { email: patient.email, phone: patient.phone, role: 'patient', status: 'active', profile: { create: patient.profile } },
        include: { profile: true },
      });
    } catch (error) {
      throw uniqueViolation(error) ?? error;
    }
  }
}
