// Demo data for development and the explorer: clinics in Douala and Yaoundé, doctors across specialties,
// clinic staff, patients with medical histories, appointment types and doctors' weekly hours. Loads
// once: each part is skipped when already present, so a second run changes nothing.
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import type { SessionsService } from '../modules/accounts/index.js';
import { hashPassword } from '../auth/passwords.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { fromClockTime, fromLocalDate } from '../graphql/scalars.js';
import { seedDemoPharmacy } from '../modules/pharmacy/index.js';
import { seedDemoPrescriptions, type DemoPrescription } from '../modules/prescriptions/index.js';
import { PATIENT_RECORDS } from '../modules/records/index.js';

const DOMAIN = 'demo.clinic-graph.test';

/**
 * The demo accounts' password, so that `login` can be tried. Public, like the demo data: set only
 * in development (main.ts and `npm run db:seed` check), never in production.
 */
export const DEMO_PASSWORD = 'demo-clinic-graph-2026';

const CLINICS = [
  {
    key: 'akwa',
    name: 'Clinique Akwa Santé',
    city: 'Douala',
    region: 'Littoral',
    street: 'Boulevard de la Liberté',
    lat: 4.0511,
    lng: 9.7043,
    services: ['consultations', 'laboratory', 'pharmacy', 'maternity'],
  },
  {
    key: 'bonapriso',
    name: 'Centre Médical de Bonapriso',
    city: 'Douala',
    region: 'Littoral',
    street: 'Rue Joss',
    lat: 4.0301,
    lng: 9.6927,
    services: ['consultations', 'imaging', 'dentistry'],
  },
  {
    key: 'bastos',
    name: 'Polyclinique Bastos',
    city: 'Yaoundé',
    region: 'Centre',
    street: 'Avenue Rosa Parks',
    lat: 3.8967,
    lng: 11.5134,
    services: ['consultations', 'laboratory', 'cardiology unit', 'pharmacy'],
  },
  {
    key: 'mvog-ada',
    name: "Clinique de l'Espoir Mvog-Ada",
    city: 'Yaoundé',
    region: 'Centre',
    street: 'Rue Mvog-Ada',
    lat: 3.8619,
    lng: 11.5276,
    services: ['consultations', 'pediatrics ward', 'vaccination'],
  },
] as const;

const SPECIALTIES = [
  ['general_practice', 'General practice', 'Médecine générale'],
  ['pediatrics', 'Pediatrics', 'Pédiatrie'],
  ['cardiology', 'Cardiology', 'Cardiologie'],
  ['gynecology', 'Gynecology and obstetrics', 'Gynécologie-obstétrique'],
  ['dermatology', 'Dermatology', 'Dermatologie'],
  ['internal_medicine', 'Internal medicine', 'Médecine interne'],
  ['ophthalmology', 'Ophthalmology', 'Ophtalmologie'],
  ['ent', 'Ear, nose and throat', 'Oto-rhino-laryngologie'],
  ['psychiatry', 'Psychiatry', 'Psychiatrie'],
  ['endocrinology', 'Endocrinology', 'Endocrinologie'],
] as const;

const DOCTOR_NAMES = [
  'Amina Njoya',
  'Jean-Paul Mbarga',
  'Estelle Ngo Biyong',
  'Brice Tchoupo',
  'Carine Fotso',
  'Didier Essomba',
  'Grace Nkeng',
  'Hervé Kamga',
  'Irène Manga',
  'Joseph Ndzana',
  'Laure Abena',
  'Marc Fouda',
  'Nadège Tchinda',
  'Olivier Mvondo',
  'Pauline Ekane',
  'Rodrigue Nana',
  'Sandrine Kouam',
  'Thierry Onana',
  'Vanessa Atangana',
  'William Tabi',
  'Yvonne Ewane',
  'Zacharie Moukoko',
  'Chantal Bilong',
  'Félix Ondoa',
];

const PATIENTS = [
  { name: 'Aïcha Bello', dob: '1988-04-12', gender: 'female', language: 'fr', city: 'Douala' },
  { name: 'Emmanuel Tchana', dob: '1975-11-02', gender: 'male', language: 'fr', city: 'Douala' },
  { name: 'Florence Akum', dob: '1993-07-23', gender: 'female', language: 'en', city: 'Douala' },
  { name: 'Gervais Owona', dob: '1960-01-30', gender: 'male', language: 'fr', city: 'Yaoundé' },
  { name: 'Hélène Mballa', dob: '2012-09-15', gender: 'female', language: 'fr', city: 'Yaoundé' },
  { name: 'Ivo Ngwa', dob: '1983-03-08', gender: 'male', language: 'en', city: 'Yaoundé' },
  { name: 'Judith Eyenga', dob: '1999-12-01', gender: 'female', language: 'fr', city: 'Douala' },
  { name: 'Kevin Nforba', dob: '1970-06-19', gender: 'male', language: 'en', city: 'Yaoundé' },
] as const;

const STAFF_ROLES = ['admin', 'receptionist', 'nurse'] as const;

function emailOf(name: string, prefix = ''): string {
  const ascii = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '.')
    .replace(/^\.|\.$/g, '');
  return `${prefix}${ascii}@${DOMAIN}`;
}

function split(name: string): { firstName: string; lastName: string } {
  const [firstName, ...rest] = name.split(' ');
  return { firstName, lastName: rest.join(' ') };
}

const weekdays = (opens: string, closes: string) =>
  [1, 2, 3, 4, 5].map((dayOfWeek) => ({ dayOfWeek, opens, closes })).concat([{ dayOfWeek: 6, opens: '08:00', closes: '13:00' }]);

function historyFor(index: number, recordedBy: string) {
  const entry = <T extends object>(fields: T) => ({
    id: randomUUID(),
    recordedBy,
    recordedAt: new Date(Date.UTC(2025, index % 12, 10 + index)),
    ...fields,
  });
  const allergies = [
    [
      entry({
        substance: 'Penicillin',
        substanceKey: 'penicillin',
        severity: 'severe',
        reaction: 'Anaphylaxis',
        notedOn: fromLocalDate('2010-03-15'),
      }),
    ],
    [
      entry({
        substance: 'Peanuts',
        substanceKey: 'peanuts',
        severity: 'moderate',
        reaction: 'Hives and swelling',
        notedOn: fromLocalDate('2015-07-20'),
      }),
    ],
    [],
    [entry({ substance: 'Sulfonamides', substanceKey: 'sulfonamides', severity: 'mild', reaction: 'Rash', notedOn: null })],
  ][index % 4];
  const conditions = [
    [
      entry({
        name: 'Type 2 diabetes',
        icd10Code: 'E11.9',
        status: 'managed',
        diagnosedOn: fromLocalDate('2018-05-10'),
        notes: 'Metformin; diet',
      }),
    ],
    [entry({ name: 'Essential hypertension', icd10Code: 'I10', status: 'active', diagnosedOn: fromLocalDate('2019-02-20'), notes: null })],
    [
      entry({
        name: 'Asthma',
        icd10Code: 'J45.9',
        status: 'managed',
        diagnosedOn: fromLocalDate('2005-09-01'),
        notes: 'Salbutamol as needed',
      }),
    ],
    [],
  ][index % 4];
  return {
    bloodType: ['O+', 'A+', 'B+', 'AB+', 'O-', 'A-', 'unknown', 'B-'][index % 8],
    allergies,
    chronicConditions: conditions,
    immunizations: [
      entry({
        vaccine: 'Yellow fever',
        administeredOn: fromLocalDate('2016-01-12'),
        doseNumber: 1,
        manufacturer: 'Sanofi Pasteur',
        lotNumber: null,
      }),
      ...(index % 2 === 0
        ? [
            entry({
              vaccine: 'Hepatitis B',
              administeredOn: fromLocalDate('2019-06-03'),
              doseNumber: 3,
              manufacturer: null,
              lotNumber: null,
            }),
          ]
        : []),
    ],
    surgeries:
      index % 3 === 0
        ? [
            entry({
              procedure: 'Appendectomy',
              performedOn: fromLocalDate('2015-08-10'),
              facility: 'Hôpital Laquintinie, Douala',
              notes: null,
            }),
          ]
        : [],
    familyHistory: [
      entry({
        relation: index % 2 ? 'mother' : 'father',
        condition: index % 2 ? 'Hypertension' : 'Type 2 diabetes',
        ageAtDiagnosis: 50 + index,
      }),
    ],
    socialHistory: {
      smoking: index % 5 === 0 ? 'former' : 'never',
      alcohol: index % 3 === 0 ? 'occasional' : 'none',
      occupation: ['teacher', 'trader', 'engineer', 'retired', 'student', 'nurse', 'accountant', 'farmer'][index],
      notes: null,
      updatedBy: recordedBy,
      updatedAt: new Date(Date.UTC(2025, 5, 1)),
    },
    createdAt: new Date(Date.UTC(2024, 0, 15)),
    updatedAt: new Date(Date.UTC(2025, 5, 1)),
    version: 1,
  };
}

/**
 * Loads the demo data: PostgreSQL unless clinics already exist there, and the medical history of
 * each demo patient that has none yet in MongoDB (the two stores may come and go separately).
 * Returns what it loaded, or null when there was nothing to do.
 */
export async function seedDemoData(
  prisma: PrismaClient,
  mongo: Db,
  options: {
    demoPassword?: string;
    /** The key demo prescriptions are signed with (the server's): without it, none are written. */
    prescriptionSigning?: Parameters<typeof seedDemoPrescriptions>[2];
  } = {},
): Promise<Record<string, number> | null> {
  const loaded: Record<string, number> = {};
  if ((await prisma.clinic.count()) === 0) Object.assign(loaded, await seedDirectory(prisma));
  const relationships = await seedCareRelationships(prisma);
  if (relationships > 0) loaded.careRelationships = relationships;
  Object.assign(loaded, await seedSchedules(prisma));
  const histories = await seedHistories(prisma, mongo);
  if (histories > 0) loaded.medicalHistories = histories;
  const pharmacists = await seedPharmacists(prisma);
  if (pharmacists > 0) loaded.pharmacists = pharmacists;
  if (options.prescriptionSigning) {
    const prescriptions = await seedDemoPrescriptions(prisma, mongo, options.prescriptionSigning, await demoPrescriptions(prisma));
    if (prescriptions > 0) loaded.prescriptions = prescriptions;
  }
  Object.assign(loaded, await demoPharmacy(prisma));
  if (options.demoPassword) {
    const passwords = await setDemoPasswords(prisma, options.demoPassword);
    if (passwords > 0) loaded.passwords = passwords;
  }
  return Object.keys(loaded).length > 0 ? loaded : null;
}

/** Gives the demo accounts that have no password yet `password` (one hash: argon2 is slow on purpose). */
async function setDemoPasswords(prisma: PrismaClient, password: string): Promise<number> {
  const where = { email: { endsWith: `@${DOMAIN}` }, passwordHash: null };
  if ((await prisma.user.count({ where })) === 0) return 0;
  return (await prisma.user.updateMany({ where, data: { passwordHash: await hashPassword(password) } })).count;
}

async function seedDirectory(prisma: PrismaClient): Promise<Record<string, number>> {
  await prisma.$transaction(
    async (tx) => {
      const clinics = [];
      for (const clinic of CLINICS) {
        clinics.push(
          await tx.clinic.create({
            data: {
              name: clinic.name,
              city: clinic.city,
              latitude: clinic.lat,
              longitude: clinic.lng,
              timeZone: 'Africa/Douala',
              phone: `+2376${String(clinics.length + 1).padStart(2, '0')}000000`,
              address: { street: clinic.street, city: clinic.city, region: clinic.region, country: 'CM', postalCode: null },
              operatingHours: weekdays('07:30', '18:00'),
              services: [...clinic.services],
            },
          }),
        );
      }
      const specialties = [];
      for (const [code, nameEn, nameFr] of SPECIALTIES)
        specialties.push(await tx.medicalSpecialty.create({ data: { code, nameEn, nameFr } }));

      for (const [i, clinic] of clinics.entries()) {
        for (const role of STAFF_ROLES) {
          const name = `${['Alice', 'Bernard', 'Céline', 'Daniel'][i]} ${role === 'admin' ? 'Admin' : role === 'nurse' ? 'Infirmier' : 'Accueil'} ${CLINICS[i].key}`;
          await tx.user.create({
            data: {
              email: emailOf(`${role} ${CLINICS[i].key}`),
              role,
              emailVerifiedAt: new Date(),
              profile: { create: { ...split(name), preferredLanguage: 'fr' } },
              staffMemberships: { create: { clinicId: clinic.id, role } },
            },
          });
        }
      }

      let firstDoctorId = '';
      for (const [i, name] of DOCTOR_NAMES.entries()) {
        const primary = specialties[i % specialties.length];
        const secondary = i % 3 === 0 ? specialties[(i + 5) % specialties.length] : undefined;
        const homeClinics = [clinics[i % clinics.length], ...(i % 4 === 0 ? [clinics[(i + 1) % clinics.length]] : [])];
        const doctor = await tx.user.create({
          data: {
            email: emailOf(name, 'dr.'),
            role: 'doctor',
            emailVerifiedAt: new Date(),
            profile: { create: { ...split(name), preferredLanguage: i % 2 ? 'en' : 'fr' } },
            staffMemberships: { create: homeClinics.map((clinic) => ({ clinicId: clinic.id, role: 'doctor' as const })) },
            doctorProfile: {
              create: {
                licenseNumber: `CM-ONMC-${String(10400 + i * 37)}`,
                medicalDegree: i % 5 === 0 ? 'MD, PhD' : 'MD',
                yearsOfExperience: 3 + ((i * 7) % 28),
                consultationFeeMinor: 10_000 + (i % 6) * 5_000,
                consultationDurationMinutes: [20, 30, 45][i % 3],
                rating: (38 + ((i * 3) % 12)) / 10,
                reviewCount: 5 + i * 11,
                bio: `${split(name).firstName} consults in ${primary.nameEn.toLowerCase()}.`,
                languages: i % 2 ? ['fr', 'en'] : ['fr'],
                specialties: {
                  create: [
                    { specialtyId: primary.id, isPrimary: true },
                    ...(secondary && secondary.id !== primary.id ? [{ specialtyId: secondary.id }] : []),
                  ],
                },
              },
            },
          },
        });
        if (i === 0) firstDoctorId = doctor.id;
      }

      for (const [i, patient] of PATIENTS.entries()) {
        await tx.user.create({
          data: {
            email: emailOf(patient.name),
            phone: `+23769${String(1000000 + i * 1379).slice(0, 7)}`,
            role: 'patient',
            profile: {
              create: {
                ...split(patient.name),
                dateOfBirth: fromLocalDate(patient.dob),
                gender: patient.gender,
                preferredLanguage: patient.language,
                nationalId: `CM-${String(20_000_000 + i * 7_919)}`,
                address: {
                  street: null,
                  city: patient.city,
                  region: patient.city === 'Douala' ? 'Littoral' : 'Centre',
                  country: 'CM',
                  postalCode: null,
                },
                emergencyContact: { name: 'Family contact', relationship: 'sibling', phone: `+23767${String(5000000 + i * 311)}` },
                // Every other patient is insured, so that the front desk sees both cases.
                insurance:
                  i % 2 === 0
                    ? { provider: 'Mutuelle de Santé du Littoral', policyNumber: `MSL-${String(4_000 + i)}`, holderName: null }
                    : undefined,
              },
            },
            // Registered at Akwa (Douala) or Bastos (Yaoundé); Douala patients are followed by the first doctor.
            careAsPatient: {
              create:
                patient.city === 'Douala'
                  ? [
                      { clinicId: clinics[0].id, kind: 'registration' },
                      { clinicId: clinics[0].id, kind: 'assignment', staffUserId: firstDoctorId },
                    ]
                  : [{ clinicId: clinics[2].id, kind: 'registration' }],
            },
          },
        });
      }
    },
    { timeout: 60_000 },
  );
  return {
    clinics: CLINICS.length,
    specialties: SPECIALTIES.length,
    doctors: DOCTOR_NAMES.length,
    staff: CLINICS.length * STAFF_ROLES.length,
    patients: PATIENTS.length,
  };
}

/**
 * Gives each demo patient without one the care relationships the demo tokens rely on (a database
 * seeded by an older version has none); returns how many it created.
 */
async function seedCareRelationships(prisma: PrismaClient): Promise<number> {
  const doctor = await prisma.user.findUnique({ where: { email: emailOf(DOCTOR_NAMES[0], 'dr.') } });
  const [akwa, bastos] = await Promise.all([CLINICS[0].name, CLINICS[2].name].map((name) => prisma.clinic.findFirst({ where: { name } })));
  if (!doctor || !akwa || !bastos) return 0;
  let created = 0;
  for (const patient of PATIENTS) {
    const user = await prisma.user.findUnique({ where: { email: emailOf(patient.name) }, include: { careAsPatient: true } });
    if (!user || user.careAsPatient.length > 0) continue;
    const ties =
      patient.city === 'Douala'
        ? [
            { clinicId: akwa.id, kind: 'registration' as const },
            { clinicId: akwa.id, kind: 'assignment' as const, staffUserId: doctor.id },
          ]
        : [{ clinicId: bastos.id, kind: 'registration' as const }];
    await prisma.careRelationship.createMany({ data: ties.map((tie) => ({ ...tie, patientId: user.id })) });
    created += ties.length;
  }
  return created;
}

const APPOINTMENT_TYPES = [
  {
    code: 'consultation_30',
    nameEn: 'Consultation',
    nameFr: 'Consultation',
    durationMinutes: 30,
    priceMinor: 15_000,
    modes: ['in_person'],
  },
  {
    code: 'follow_up_15',
    nameEn: 'Follow-up visit',
    nameFr: 'Visite de suivi',
    durationMinutes: 15,
    priceMinor: 7_500,
    modes: ['in_person', 'phone'],
  },
  {
    code: 'video_20',
    nameEn: 'Video consultation',
    nameFr: 'Téléconsultation vidéo',
    durationMinutes: 20,
    priceMinor: 10_000,
    modes: ['video'],
  },
  {
    code: 'phone_15',
    nameEn: 'Phone consultation',
    nameFr: 'Consultation par téléphone',
    durationMinutes: 15,
    priceMinor: 5_000,
    modes: ['phone'],
  },
  {
    code: 'chat_15',
    nameEn: 'Chat consultation',
    nameFr: 'Consultation par messagerie',
    durationMinutes: 15,
    priceMinor: 3_000,
    modes: ['chat'],
  },
] as const;

/** Types of one demo clinic's own (managed by its admin: createAppointmentType and the like). */
const CLINIC_APPOINTMENT_TYPES = [
  {
    clinic: CLINICS[0].name,
    code: 'akwa_prenatal_45',
    nameEn: 'Prenatal consultation',
    nameFr: 'Consultation prénatale',
    durationMinutes: 45,
    priceMinor: 20_000,
    modes: ['in_person', 'video'],
  },
] as const;

/**
 * Appointment types (when there are none) and weekly hours for each demo doctor without any:
 * 08:00-17:00 with a lunch break and Saturday mornings at their first clinic; a doctor of two
 * clinics spends Tuesdays and Thursdays at the second.
 */
async function seedSchedules(prisma: PrismaClient): Promise<Record<string, number>> {
  const loaded: Record<string, number> = {};
  if ((await prisma.appointmentType.count()) === 0) {
    loaded.appointmentTypes = (
      await prisma.appointmentType.createMany({ data: APPOINTMENT_TYPES.map((type) => ({ ...type, modes: [...type.modes] })) })
    ).count;
  }
  for (const { clinic: name, ...type } of CLINIC_APPOINTMENT_TYPES) {
    const clinic = await prisma.clinic.findFirst({ where: { name } });
    if (!clinic || (await prisma.appointmentType.count({ where: { code: type.code } })) > 0) continue;
    await prisma.appointmentType.create({ data: { ...type, modes: [...type.modes], clinicId: clinic.id } });
    loaded.clinicAppointmentTypes = (loaded.clinicAppointmentTypes ?? 0) + 1;
  }
  const doctors = await prisma.doctorProfile.findMany({
    where: { user: { email: { in: DOCTOR_NAMES.map((name) => emailOf(name, 'dr.')) } }, windows: { none: {} } },
    include: { user: { include: { staffMemberships: { where: { role: 'doctor' } } } } },
  });
  let windows = 0;
  for (const doctor of doctors) {
    await prisma.$transaction(async (tx) => {
      const clinicIds = doctor.user.staffMemberships.map((membership) => membership.clinicId).sort();
      const days =
        clinicIds.length > 1
          ? [
              [1, 3, 5, 6],
              [2, 4],
            ]
          : [[1, 2, 3, 4, 5, 6]];
      for (const [index, clinicId] of clinicIds.slice(0, days.length).entries()) {
        for (const dayOfWeek of days[index]) {
          const saturday = dayOfWeek === 6;
          await tx.availabilityWindow.create({
            data: {
              doctorId: doctor.id,
              clinicId,
              dayOfWeek,
              startsAt: fromClockTime('08:00'),
              endsAt: fromClockTime(saturday ? '12:00' : '17:00'),
              ...(saturday ? {} : { breaks: { create: { startsAt: fromClockTime('12:30'), endsAt: fromClockTime('13:30') } } }),
            },
          });
          windows += 1;
        }
      }
    });
  }
  if (windows > 0) loaded.availabilityWindows = windows;
  return loaded;
}

/** Writes the history of each demo patient that has none; returns how many it wrote. */
async function seedHistories(prisma: PrismaClient, mongo: Db): Promise<number> {
  const doctor = await prisma.user.findUnique({ where: { email: emailOf(DOCTOR_NAMES[0], 'dr.') } });
  const patients = await prisma.user.findMany({ where: { email: { in: PATIENTS.map((p) => emailOf(p.name)) } } });
  if (!doctor) return 0;
  const records = mongo.collection<{ _id: string }>(PATIENT_RECORDS);
  let written = 0;
  for (const [i, patient] of PATIENTS.entries()) {
    const user = patients.find((candidate) => candidate.email === emailOf(patient.name));
    if (!user) continue;
    const history = historyFor(i, doctor.id);
    const result = await records.updateOne({ _id: user.id }, { $setOnInsert: history }, { upsert: true });
    written += result.upsertedCount;
  }
  return written;
}

/** A pharmacist at each clinic's dispensary (added to databases seeded before pharmacies existed too). */
async function seedPharmacists(prisma: PrismaClient): Promise<number> {
  let created = 0;
  for (const clinic of CLINICS) {
    const email = emailOf(`pharmacist ${clinic.key}`);
    const row = await prisma.clinic.findFirst({ where: { name: clinic.name } });
    if (!row || (await prisma.user.findUnique({ where: { email } }))) continue;
    await prisma.user.create({
      data: {
        email,
        role: 'pharmacist',
        emailVerifiedAt: new Date(),
        profile: { create: { firstName: 'Pascal', lastName: `Pharmacie ${clinic.key}`, preferredLanguage: 'fr' } },
        staffMemberships: { create: { clinicId: row.id, role: 'pharmacist' } },
      },
    });
    created++;
  }
  return created;
}

/**
 * The demo doctor's prescriptions for the first two Douala patients: Aïcha Bello (penicillin
 * allergy, diabetes) has a signed one and a draft of amoxicillin whose allergy finding waits for
 * the doctor; Emmanuel Tchana has one signed over an interaction, with the reason the pharmacist sees.
 */
async function demoPrescriptions(prisma: PrismaClient): Promise<DemoPrescription[]> {
  const [doctor, aicha, emmanuel, akwa] = await Promise.all([
    prisma.user.findUnique({ where: { email: emailOf(DOCTOR_NAMES[0], 'dr.') } }),
    prisma.user.findUnique({ where: { email: emailOf(PATIENTS[0].name) } }),
    prisma.user.findUnique({ where: { email: emailOf(PATIENTS[1].name) } }),
    prisma.clinic.findFirst({ where: { name: CLINICS[0].name } }),
  ]);
  if (!doctor || !aicha || !emmanuel || !akwa) return [];
  const by = { prescriberId: doctor.id, clinicId: akwa.id };
  return [
    {
      ...by,
      patientId: aicha.id,
      diagnoses: ['E11.9'],
      items: [
        {
          code: 'metformin',
          dose: 1,
          unit: 'tablet',
          frequency: 'BID',
          durationDays: 30,
          quantity: 60,
          instructions: 'Un comprimé matin et soir, au repas.',
        },
        {
          code: 'paracetamol',
          dose: 1,
          unit: 'tablet',
          frequency: 'TID',
          durationDays: 3,
          quantity: 9,
          instructions: 'Si douleur ou fièvre.',
        },
      ],
      overrideReason: 'Reviewed with the patient; no alternative needed',
    },
    {
      ...by,
      patientId: aicha.id,
      diagnoses: ['J02.9'],
      items: [
        {
          code: 'amoxicillin',
          dose: 1,
          unit: 'capsule',
          frequency: 'TID',
          durationDays: 7,
          quantity: 21,
          instructions: 'Une gélule trois fois par jour.',
        },
      ],
      overrideReason: null,
    },
    {
      ...by,
      patientId: emmanuel.id,
      diagnoses: ['I10', 'M10.9'],
      items: [
        {
          code: 'warfarin',
          dose: 1,
          unit: 'tablet',
          frequency: 'QD',
          durationDays: 30,
          quantity: 30,
          instructions: 'Un comprimé le soir.',
        },
        {
          code: 'ibuprofen',
          dose: 1,
          unit: 'tablet',
          frequency: 'TID',
          durationDays: 3,
          quantity: 9,
          instructions: 'Pendant le repas, 3 jours seulement.',
        },
      ],
      overrideReason: 'Three-day course for an acute gout flare; INR check booked in 3 days, bleeding signs explained',
    },
  ];
}

/** Stock at Akwa's dispensary, and Aïcha Bello's signed prescription waiting in its queue. */
async function demoPharmacy(prisma: PrismaClient): Promise<Record<string, number>> {
  const [akwa, pharmacist, aicha] = await Promise.all([
    prisma.clinic.findFirst({ where: { name: CLINICS[0].name } }),
    prisma.user.findUnique({ where: { email: emailOf('pharmacist akwa') } }),
    prisma.user.findUnique({ where: { email: emailOf(PATIENTS[0].name) } }),
  ]);
  if (!akwa || !pharmacist) return {};
  const signed = aicha
    ? await prisma.prescription.findFirst({
        where: { patientId: aicha.id, status: 'active', clinicId: akwa.id },
        orderBy: { createdAt: 'asc' },
      })
    : null;
  return seedDemoPharmacy(prisma, {
    clinicId: akwa.id,
    pharmacistId: pharmacist.id,
    prescriptionId: signed?.id ?? null,
    patientId: aicha?.id ?? null,
    medicines: await prisma.medicine.findMany({ select: { id: true, code: true } }),
  });
}

/** Who one of the demo tokens is for, by email. */
export const DEMO_ACCOUNTS = [
  ['doctor (Akwa, Douala)', emailOf(DOCTOR_NAMES[0], 'dr.')],
  ['nurse (Akwa, Douala)', emailOf('nurse akwa')],
  ['receptionist (Akwa, Douala)', emailOf('receptionist akwa')],
  ['clinic admin (Akwa, Douala)', emailOf('admin akwa')],
  ['pharmacist (Akwa, Douala)', emailOf('pharmacist akwa')],
  ['patient (Aïcha Bello)', emailOf(PATIENTS[0].name)],
] as const;

/** An access token for an active account, as a sign-in would issue it (development only). */
export async function tokenFor(prisma: PrismaClient, sessions: SessionsService, email: string): Promise<string | null> {
  const user = await prisma.user.findUnique({ where: { email } });
  if (!user || user.status !== 'active') return null;
  return (await sessions.openSession(user.id, { ip: '127.0.0.1', userAgent: 'development token' })).accessToken;
}

export async function demoTokens(
  prisma: PrismaClient,
  sessions: SessionsService,
): Promise<Array<{ who: string; email: string; token: string }>> {
  const issued = [];
  for (const [who, email] of DEMO_ACCOUNTS) {
    const token = await tokenFor(prisma, sessions, email);
    if (token) issued.push({ who, email, token });
  }
  return issued;
}
