// Typed factories for test data, written straight to the databases through Prisma and the
// driver. Every value is unique per call, so test files never collide.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import type { AppointmentStatus, PrismaClient } from '../src/generated/prisma/client.js';
import type { Role } from '../src/auth/principal.js';
import { toGlobalId } from '../src/graphql/global-id.js';
import { fromClockTime } from '../src/graphql/scalars.js';
import { PATIENT_RECORDS } from '../src/modules/records/index.js';

const unique = () => randomBytes(5).toString('hex');

/** The next date (YYYY-MM-DD, UTC calendar) with this weekday (0 = Sunday), at least 2 days ahead. */
export function nextWeekday(dayOfWeek: number): string {
  const date = new Date(Date.now() + 2 * 86_400_000);
  while (date.getUTCDay() !== dayOfWeek) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

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
  return {
    userId: user.id,
    role: 'doctor' as const,
    doctorId: user.doctorProfile!.id,
    globalId: toGlobalId('Doctor', user.doctorProfile!.id),
    email: user.email,
  };
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
export async function createPatient(
  prisma: PrismaClient,
  overrides: {
    firstName?: string;
    lastName?: string;
    dateOfBirth?: string;
    gender?: 'female' | 'male' | 'other' | 'undisclosed';
    phone?: string;
    clinicId?: string;
    clinicianIds?: string[];
  } = {},
) {
  const tag = unique();
  const { clinicId } = overrides;
  const user = await prisma.user.create({
    data: {
      email: `patient.${tag}@test.clinic-graph.test`,
      phone: overrides.phone ?? `+2376${String(parseInt(tag.slice(0, 7), 16) % 1e8).padStart(8, '0')}`,
      role: 'patient',
      profile: {
        create: {
          firstName: overrides.firstName ?? 'Pat',
          lastName: overrides.lastName ?? `Ient${tag}`,
          dateOfBirth: new Date(`${overrides.dateOfBirth ?? '1990-05-17'}T00:00:00Z`),
          gender: overrides.gender,
          nationalId: `CM-${tag.toUpperCase()}`,
        },
      },
      careAsPatient: clinicId
        ? {
            create: [
              { clinicId, kind: 'registration' as const },
              ...(overrides.clinicianIds ?? []).map((staffUserId) => ({ clinicId, staffUserId, kind: 'assignment' as const })),
            ],
          }
        : undefined,
    },
  });
  return {
    userId: user.id,
    globalId: toGlobalId('Patient', user.id),
    email: user.email,
    phone: user.phone,
    nationalId: `CM-${tag.toUpperCase()}`,
  };
}

export async function createAppointmentType(prisma: PrismaClient, overrides: { durationMinutes?: number } = {}) {
  const durationMinutes = overrides.durationMinutes ?? 30;
  const row = await prisma.appointmentType.create({
    data: {
      code: `type_${unique()}`,
      nameEn: `Consultation ${durationMinutes}`,
      nameFr: `Consultation ${durationMinutes}`,
      durationMinutes,
      priceMinor: 10_000,
    },
  });
  return { ...row, globalId: toGlobalId('AppointmentType', row.id) };
}

/** An appointment written directly (no slot or clash checks but the database's), booked by its patient, in person. */
export async function createAppointment(
  prisma: PrismaClient,
  appointment: {
    patientId: string;
    doctorId: string;
    clinicId: string;
    appointmentTypeId: string;
    startsAt: Date;
    minutes?: number;
    status?: AppointmentStatus;
  },
) {
  const { minutes = 30, ...fields } = appointment;
  const row = await prisma.appointment.create({
    data: { ...fields, endsAt: new Date(fields.startsAt.getTime() + minutes * 60_000), mode: 'in_person', bookedBy: fields.patientId },
  });
  return { ...row, globalId: toGlobalId('Appointment', row.id) };
}

/** Weekly hours of a doctor at a clinic: HH:MM in the clinic's time zone, a window ending at or before its start runs past midnight. */
export async function createWeeklyHours(
  prisma: PrismaClient,
  doctorId: string,
  clinicId: string,
  windows: Array<{ dayOfWeek: number; from: string; to: string; breaks?: Array<[string, string]> }>,
) {
  for (const window of windows) {
    await prisma.availabilityWindow.create({
      data: {
        doctorId,
        clinicId,
        dayOfWeek: window.dayOfWeek,
        startsAt: fromClockTime(window.from),
        endsAt: fromClockTime(window.to),
        breaks: { create: (window.breaks ?? []).map(([from, to]) => ({ startsAt: fromClockTime(from), endsAt: fromClockTime(to) })) },
      },
    });
  }
}

/** A medical history written directly, as a previous session would have left it. */
export async function createRecord(mongo: Db, patientId: string, recordedBy = randomUUID()) {
  const now = new Date();
  await mongo.collection<{ _id: string }>(PATIENT_RECORDS).insertOne({
    _id: patientId,
    bloodType: 'B+',
    allergies: [
      {
        id: randomUUID(),
        substance: 'Latex',
        substanceKey: 'latex',
        severity: 'moderate',
        reaction: 'Rash',
        notedOn: null,
        recordedBy,
        recordedAt: now,
      },
    ],
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

/** A catalogue medicine's global id, by its code (the starter catalogue is loaded at the API's start). */
export async function medicationId(prisma: PrismaClient, code: string): Promise<string> {
  const medicine = await prisma.medicine.findUniqueOrThrow({ where: { code } });
  return toGlobalId('Medication', medicine.id);
}

/** A prescription item input for `medication` (a global id) with its first strength, form and route. */
export async function itemInput(prisma: PrismaClient, code: string, overrides: Record<string, unknown> = {}) {
  const medicine = await prisma.medicine.findUniqueOrThrow({ where: { code } });
  return {
    medicationId: toGlobalId('Medication', medicine.id),
    strength: medicine.strengths[0],
    form: medicine.forms[0],
    route: medicine.routes[0].toUpperCase(),
    dose: { amount: 1, unit: 'tablet' },
    frequency: 'BID',
    durationDays: 5,
    quantity: 10,
    ...overrides,
  };
}

/** Adds allergies (by substance, as a clinician would type them) and conditions to a patient's record, creating it when missing. */
export async function recordFacts(
  mongo: Db,
  patientId: string,
  facts: {
    allergies?: string[];
    conditions?: Array<{ name: string; icd10Code: string }>;
    pregnancy?: { status: 'pregnant' | 'not_pregnant'; since?: Date | null; expectedDelivery?: Date | null };
  },
) {
  const now = new Date();
  const recordedBy = randomUUID();
  const entry = (fields: Record<string, unknown>) => ({ id: randomUUID(), recordedBy, recordedAt: now, ...fields });
  await mongo.collection<{ _id: string }>(PATIENT_RECORDS).updateOne(
    { _id: patientId },
    {
      $push: {
        allergies: {
          $each: (facts.allergies ?? []).map((substance) =>
            entry({ substance, substanceKey: substance.toLowerCase(), severity: 'severe', reaction: null, notedOn: null }),
          ),
        },
        chronicConditions: {
          $each: (facts.conditions ?? []).map((condition) => entry({ ...condition, status: 'active', diagnosedOn: null, notes: null })),
        },
      } as never,
      $set: {
        updatedAt: now,
        ...(facts.pregnancy
          ? { pregnancy: { since: null, expectedDelivery: null, ...facts.pregnancy, recordedBy, recordedAt: now, history: [] } }
          : {}),
      },
      $setOnInsert: { createdAt: now, version: 1 },
    },
    { upsert: true },
  );
}

/**
 * A prescription written straight to the database (numbered outside the counter, signature bytes
 * not a real signature: for tests of who reads what, not of signing).
 */
export async function createPrescription(
  prisma: PrismaClient,
  fields: { patientId: string; prescriberId: string; clinicId: string; medicineCode?: string; status?: 'draft' | 'active' },
) {
  const medicine = await prisma.medicine.findUniqueOrThrow({ where: { code: fields.medicineCode ?? 'paracetamol' } });
  const signed = (fields.status ?? 'active') === 'active';
  const today = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  // Written as a draft with its items, then signed (a signed prescription takes no new items).
  const row = await prisma.prescription.create({
    data: {
      number: `RX-2099-${String(parseInt(unique().slice(0, 5), 16) % 1e6).padStart(6, '0')}`,
      patientId: fields.patientId,
      prescriberId: fields.prescriberId,
      clinicId: fields.clinicId,
      diagnoses: ['R50.9'],
      items: {
        create: {
          position: 1,
          medicineId: medicine.id,
          medicineName: medicine.genericName,
          strength: medicine.strengths[0],
          form: medicine.forms[0],
          route: medicine.routes[0],
          doseAmount: 1,
          doseUnit: 'tablet',
          frequency: 'TID',
          durationDays: 3,
          quantity: 9,
        },
      },
    },
  });
  if (signed)
    await prisma.prescription.update({
      where: { id: row.id },
      data: {
        status: 'active',
        issuedOn: today,
        validUntil: new Date(today.getTime() + 30 * 86_400_000),
        signedAt: new Date(),
        signedBy: fields.prescriberId,
        signatureKeyId: 'test',
        signature: 'not-a-signature',
      },
    });
  return { ...row, globalId: toGlobalId('Prescription', row.id) };
}
