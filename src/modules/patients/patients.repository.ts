// The only code that reads and writes patients (users with the patient role and their profiles).
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import { uniqueViolation } from '../../platform/prisma-errors.js';

export type PatientRow = Prisma.UserGetPayload<{ include: { profile: true } }>;

export interface NewPatient {
  id: string;
  email: string;
  phone: string | null;
  profile: Omit<Prisma.UserProfileCreateWithoutUserInput, 'user'>;
  /** The clinic that registers the patient (a clinic-wide care relationship) and who did it. */
  registeredAt: { clinicId: string; by: string };
}

export interface PatientContact {
  phone: string | null;
  email: string;
  language: 'en' | 'fr';
  reminderChannel: 'sms' | 'email' | null;
}

export class PatientsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  findByIds(ids: readonly string[]): Promise<PatientRow[]> {
    return this.prisma.user.findMany({ where: { id: { in: [...ids] }, role: 'patient' }, include: { profile: true } });
  }

  /** How to reach an active patient now: addresses and notification preferences. */
  async contact(patientId: string): Promise<PatientContact | null> {
    const user = await this.prisma.user.findFirst({
      where: { id: patientId, role: 'patient', status: 'active' },
      select: { phone: true, email: true, profile: { select: { preferredLanguage: true, reminderChannel: true } } },
    });
    return user ? { phone: user.phone, email: user.email, language: user.profile?.preferredLanguage ?? 'fr', reminderChannel: user.profile?.reminderChannel ?? null } : null;
  }

  /** Creates the user, the profile and the clinic relationship in one transaction; UniqueViolation on a taken email, phone or id. */
  async create(patient: NewPatient): Promise<PatientRow> {
    try {
      return await this.prisma.user.create({
        data: {
          id: patient.id,
          email: patient.email,
          phone: patient.phone,
          role: 'patient',
          status: 'active',
          profile: { create: patient.profile },
          careAsPatient: { create: { clinicId: patient.registeredAt.clinicId, kind: 'registration', createdBy: patient.registeredAt.by } },
        },
        include: { profile: true },
      });
    } catch (error) {
      throw uniqueViolation(error) ?? error;
    }
  }
}
