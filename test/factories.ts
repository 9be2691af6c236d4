// Typed factories for test data, written straight to the databases through Prisma and the
// driver. Every value is unique per call, so test files never collide.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import type { PrismaClient } from '../src/generated/prisma/client.js';
import type { Role } from '../src/auth/principal.js';
import { toGlobalId } from '../src/graphql/global-id.js';
import { PATIENT_RECORDS } from '../src/modules/records/index.js';

const unique = () => randomBytes(5).toString('hex');

export async function createClinic(prisma: PrismaClient, overrides: { name?: string; city?: string } = {}) {
  const city = overrides.city ?? 'Douala';
  const clinic = await prisma.clinic.create({
    data: {
      name: overrides.name ?? `Clinic ${unique()}`,
      city,
      address: { street: 'Rue 1', city, region: 'Littoral', country: 'CM', postalCode: null },
      operatingHours: [{ dayOfWeek: 1, opens: '08:00', closes: '17:00' }],
      services: ['consultations'],
    },
  });
  return { ...clinic, globalId: toGlobalId('Clinic', clinic.id) };
}

export async function createSpecialty(prisma: PrismaClient, code = `spec_${unique()}`) {
  return prisma.medicalSpecialty.create({ data: { code, nameEn: `Specialty ${code}`, nameFr: `Spécialité ${code}` } });
}

export async function createDoctor(
  prisma: PrismaClient,
  options: { firstName?: string; lastName?: string; clinicIds?: string[]; specialtyIds?: string[]; languages?: Array<'en' | 'fr'> } = {},
) {
  const tag = unique();
  const user = await prisma.user.create({
    data: {
      email: `dr.${tag}@test.clinic-graph.test`,
      role: 'doctor',
      profile: { create: { firstName: options.firstName ?? `First${tag}`, lastName: options.lastName ?? `Last${tag}` } },
      staffMemberships: { create: (options.clinicIds ?? []).map((clinicId) => ({ clinicId, role: 'doctor' as const })) },
      doctorProfile: {
        create: {
          licenseNumber: `LIC-${tag}`,
          consultationFeeMinor: 15_000,
          languages: options.languages ?? ['fr'],
          specialties: { create: (options.specialtyIds ?? []).map((specialtyId, i) => ({ specialtyId, isPrimary: i === 0 })) },
        },
      },
    },
    include: { doctorProfile: true },
  });
  return { userId: user.id, role: 'doctor' as const, doctorId: user.doctorProfile!.id, globalId: toGlobalId('Doctor', user.doctorProfile!.id), email: user.email };
}

export async function createStaff(prisma: PrismaClient, role: Exclude<Role, 'patient'>, clinicId: string) {
  const user = await prisma.user.create({
    data: {
      email: `${role}.${unique()}@test.clinic-graph.test`,
      role,
      profile: { create: { firstName: 'Staff', lastName: role } },
      staffMemberships: { create: { clinicId, role } },
    },
  });
  return { userId: user.id, role, clinicIds: [clinicId] };
}

/**
 * A patient, optionally registered at a clinic (a clinic-wide care relationship) and assigned to
 * clinicians there.
 */
export async function createPatient(prisma: PrismaClient, overrides: { firstName?: string; clinicId?: string; clinicianIds?: string[] } = {}) {
  const tag = unique();
  const { clinicId } = overrides;
  const user = await prisma.user.create({
    data: {
      email: `patient.${tag}@test.clinic-graph.test`,
      phone: `+2376${String(parseInt(tag.slice(0, 7), 16) % 1e8).padStart(8, '0')}`,
      role: 'patient',
      profile: { create: { firstName: overrides.firstName ?? 'Pat', lastName: `Ient${tag}`, dateOfBirth: new Date('1990-05-17T00:00:00Z'), nationalId: `CM-${tag.toUpperCase()}` } },
      careAsPatient: clinicId
        ? { create: [{ clinicId, kind: 'registration' as const }, ...(overrides.clinicianIds ?? []).map((staffUserId) => ({ clinicId, staffUserId, kind: 'assignment' as const }))] }
        : undefined,
    },
  });
  return { userId: user.id, globalId: toGlobalId('Patient', user.id), email: user.email };
}

/** A medical history written directly, as a previous session would have left it. */
export async function createRecord(mongo: Db, patientId: string, recordedBy = randomUUID()) {
  const now = new Date();
  await mongo.collection<{ _id: string }>(PATIENT_RECORDS).insertOne({
    _id: patientId,
    bloodType: 'B+',
    allergies: [{ id: randomUUID(), substance: 'Latex', substanceKey: 'latex', severity: 'moderate', reaction: 'Rash', notedOn: null, recordedBy, recordedAt: now }],
    chronicConditions: [],
    immunizations: [],
    surgeries: [],
    familyHistory: [],
    socialHistory: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  } as never);
}
