// Writes the generated world's MongoDB side: a medical history per patient (most of them), an
// encounter per completed appointment, and the audit trail, hash-chained per stream exactly as the
// API chains it (linkEntries of the audit module). Unordered insertMany in batches of 2,000.
import type { Db } from 'mongodb';
import { linkEntries } from '../../src/modules/audit/audit-chain.js';
import type { AuditContent } from '../../src/modules/audit/audit.types.js';
import { ALLERGENS, CHRONIC_CONDITIONS, COMPLAINTS, DIAGNOSES, VACCINES } from './names.js';
import type { World } from './world.js';
import { Progress } from '../lib/progress.js';
import { Random, WeightedIndex } from '../lib/random.js';

const DAY = 24 * 60 * 60 * 1000;
const BATCH = 2_000;

class Batches {
  private docs: object[] = [];
  constructor(
    private readonly db: Db,
    private readonly collection: string,
    private readonly progress: Progress,
  ) {}

  async add(doc: object): Promise<void> {
    this.docs.push(doc);
    if (this.docs.length >= BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.docs.length === 0) return;
    const docs = this.docs;
    this.docs = [];
    await this.db.collection(this.collection).insertMany(docs, { ordered: false });
    this.progress.add(docs.length);
  }
}

function history(random: Random, world: World, patientIndex: number) {
  const patient = world.patients[patientIndex];
  const clinician = world.doctors[patient.assignedDoctor ?? 0].userId;
  const at = (daysAgo: number) => new Date(world.now - daysAgo * DAY);
  const entry = <T extends object>(fields: T) => ({
    id: random.uuid(),
    recordedBy: clinician,
    recordedAt: at(random.int(1, 360)),
    ...fields,
  });
  const allergyCount = random.weighted([
    [0, 80],
    [1, 15],
    [2, 4],
    [3, 1],
  ]);
  const allergens = new Set<string>();
  while (allergens.size < allergyCount) allergens.add(random.weighted(ALLERGENS));
  const age = (world.now - patient.birth.getTime()) / (365.25 * DAY);
  return {
    _id: patient.id,
    bloodType: random.weighted([
      ['O+', 46],
      ['A+', 24],
      ['B+', 20],
      ['AB+', 4],
      ['O-', 2],
      ['A-', 1],
      ['B-', 1],
      ['unknown', 2],
    ]),
    allergies: [...allergens].map((substance) =>
      entry({
        substance,
        substanceKey: substance.toLowerCase(),
        severity: random.weighted([
          ['mild', 50],
          ['moderate', 35],
          ['severe', 13],
          ['life_threatening', 2],
        ]),
        reaction: random.pick(['Rash', 'Hives', 'Swelling', 'Anaphylaxis', null]),
        notedOn: random.chance(0.6) ? at(random.int(100, 3000)) : null,
      }),
    ),
    chronicConditions: patient.conditions.map((index) =>
      entry({
        name: CHRONIC_CONDITIONS[index][0],
        icd10Code: CHRONIC_CONDITIONS[index][1],
        status: random.weighted([
          ['active', 40],
          ['managed', 55],
          ['resolved', 5],
        ]),
        diagnosedOn: at(random.int(60, 3650)),
        notes: null,
      }),
    ),
    immunizations: VACCINES.filter((_, index) => random.chance(index < 5 ? 0.7 : 0.25)).map((vaccine) =>
      entry({
        vaccine,
        administeredOn: at(random.int(30, Math.max(31, Math.floor(age * 365)))),
        doseNumber: random.int(1, 3),
        manufacturer: null,
        lotNumber: null,
      }),
    ),
    surgeries: random.chance(0.06)
      ? [
          entry({
            procedure: random.pick(['Appendectomy', 'Caesarean section', 'Hernia repair', 'Cataract surgery']),
            performedOn: at(random.int(100, 5000)),
            facility: null,
            notes: null,
          }),
        ]
      : [],
    familyHistory: random.chance(0.4)
      ? [
          entry({
            relation: random.pick(['mother', 'father', 'sibling']),
            condition: random.pick(['Hypertension', 'Type 2 diabetes', 'Sickle cell disease', 'Stroke']),
            ageAtDiagnosis: random.int(30, 70),
          }),
        ]
      : [],
    socialHistory:
      age < 15
        ? null
        : {
            smoking: random.weighted([
              ['never', 85],
              ['former', 7],
              ['current', 8],
            ]),
            alcohol: random.weighted([
              ['none', 45],
              ['occasional', 45],
              ['regular', 10],
            ]),
            occupation: random.pick(['teacher', 'trader', 'farmer', 'student', 'driver', 'nurse', 'civil servant', null]),
            notes: null,
            updatedBy: clinician,
            updatedAt: at(random.int(1, 300)),
          },
    createdAt: at(380),
    updatedAt: at(random.int(1, 300)),
    version: random.int(1, 8),
  };
}

function encounter(random: Random, world: World, appointmentIndex: number, prescribed: readonly [string, string] | undefined) {
  const a = world.appointments[appointmentIndex];
  const doctor = world.doctors[a.doctor];
  const completedAt = new Date(a.endsAt);
  // The visit's prescription's diagnosis when it has one (drawn all the same: the draws after it stay as they were).
  const drawn = random.pick(DIAGNOSES);
  const [code, description] = prescribed ?? drawn;
  return {
    _id: a.id,
    patientId: world.patients[a.patient].id,
    doctorId: doctor.id,
    clinicId: world.clinics[a.clinic].id,
    chiefComplaint: random.pick(COMPLAINTS),
    subjective: 'Symptoms as reported by the patient.',
    objective: 'Examination notes.',
    assessment: description,
    plan: 'Treatment and advice given.',
    vitals: {
      temperatureC: Math.round(random.normal(37, 0.7) * 10) / 10,
      systolicMmHg: Math.round(random.normal(125, 15)),
      diastolicMmHg: Math.round(random.normal(80, 10)),
      heartRateBpm: Math.round(random.normal(78, 10)),
      respiratoryRatePerMin: null,
      oxygenSaturationPct: null,
      weightKg: Math.round(random.normal(68, 14)),
      heightCm: null,
      recordedBy: doctor.userId,
      recordedAt: completedAt,
    },
    diagnoses: [{ icd10Code: code, description, primary: true }],
    treatmentPlan: null,
    followUpInDays: random.chance(0.3) ? random.pick([7, 14, 30]) : null,
    completedBy: doctor.userId,
    completedAt,
    createdAt: new Date(a.startsAt),
    updatedAt: completedAt,
  };
}

/** What one audited request looked like: [resource, action, fields, share]. */
const AUDIT_KINDS: ReadonlyArray<readonly [string, AuditContent['action'], string[], number]> = [
  ['Patient', 'read', ['dateOfBirth', 'firstName', 'gender', 'lastName', 'preferredLanguage'], 45],
  ['MedicalHistory', 'read', ['allergies', 'bloodType', 'chronicConditions', 'immunizations'], 25],
  ['Encounter', 'read', ['assessment', 'diagnoses', 'vitals'], 12],
  ['Appointment', 'create', ['appointmentTypeId', 'clinicId', 'doctorId', 'startsAt'], 8],
  ['Appointment', 'update', ['status'], 8],
  ['Allergy', 'create', ['notedOn', 'reaction', 'severity', 'substance'], 2],
];
const AGENTS = ['Mozilla/5.0 (Android 13; Mobile) clinic-app/2.3', 'Mozilla/5.0 (Windows NT 10.0) Chrome/130', 'clinic-frontdesk/1.8'];

async function writeAudit(db: Db, world: World, random: Random, total: number): Promise<number> {
  const progress = new Progress('mongo audit_logs', total);
  const batches = new Batches(db, 'audit_logs', progress);
  // Streams get entries in proportion to the patient's appointments (plus a baseline); 5% are sign-ins in 'system'.
  const visits = new Float64Array(world.patients.length).fill(1);
  for (const a of world.appointments) visits[a.patient] += 4;
  const patientEntries = Math.round(total * 0.95);
  const perStream = new Uint32Array(world.patients.length);
  const streamOf = new WeightedIndex(visits);
  for (let i = 0; i < patientEntries; i++) perStream[streamOf.draw(random)] += 1;
  const kind = new WeightedIndex(AUDIT_KINDS.map(([, , , share]) => share));
  const start = world.now - 330 * DAY;
  const contentAt = (
    at: number,
    patientId: string | null,
    actor: NonNullable<AuditContent['actor']>,
    resource: string,
    fields: string[],
    action: AuditContent['action'],
  ): AuditContent => ({
    id: random.uuid(),
    at: new Date(at),
    actor,
    onBehalfOf: null,
    patientId,
    resource,
    fields,
    action,
    purpose: random.chance(0.003) ? 'emergency' : 'normal',
    requestId: random.uuid(),
    ip: `10.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`,
    userAgent: random.pick(AGENTS),
    result: random.chance(0.985) ? 'success' : 'denied',
  });
  let written = 0;
  for (const [index, patient] of world.patients.entries()) {
    const count = perStream[index];
    if (count === 0) continue;
    const clinic = world.clinics[patient.clinicIndex];
    const times = Array.from({ length: count }, () => start + random.next() * (world.now - start - DAY)).sort((a, b) => a - b);
    const contents = times.map((at) => {
      const [resource, action, fields] = AUDIT_KINDS[kind.draw(random)];
      const who = random.next();
      const actor =
        who < 0.5
          ? { userId: world.doctors[patient.assignedDoctor ?? 0].userId, role: 'doctor' as const }
          : who < 0.7
            ? { userId: random.pick(clinic.nurseIds), role: 'nurse' as const }
            : who < 0.9
              ? { userId: random.pick(clinic.receptionistIds), role: 'receptionist' as const }
              : { userId: patient.id, role: 'patient' as const };
      return contentAt(at, patient.id, actor, resource, fields, action);
    });
    for (const entry of linkEntries(patient.id, null, contents)) await batches.add(entry);
    written += count;
  }
  const logins = total - written;
  const times = Array.from({ length: logins }, () => start + random.next() * (world.now - start - DAY)).sort((a, b) => a - b);
  const contents = times.map((at) => {
    const patient = world.patients[random.int(0, world.patients.length - 1)];
    return contentAt(at, null, { userId: patient.id, role: 'patient' }, 'Session', [], 'login');
  });
  for (const entry of linkEntries('system', null, contents)) await batches.add(entry);
  await batches.flush();
  progress.finish();
  return total;
}

export interface MongoCounts {
  patientRecords: number;
  encounters: number;
  auditEntries: number;
}

export async function loadMongo(db: Db, world: World, auditEntries: number, seed: number): Promise<MongoCounts> {
  const random = new Random(seed + 2);
  const withRecord = world.patients.map(() => random.chance(0.85));
  const recordProgress = new Progress('mongo patient_records', withRecord.filter(Boolean).length);
  const records = new Batches(db, 'patient_records', recordProgress);
  for (let i = 0; i < world.patients.length; i++) if (withRecord[i]) await records.add(history(random, world, i));
  await records.flush();
  recordProgress.finish();

  const completed = world.appointments.flatMap((a, i) => (a.status === 'completed' ? [i] : []));
  const encounterProgress = new Progress('mongo encounters', completed.length);
  const encounters = new Batches(db, 'encounters', encounterProgress);
  const prescribed = new Map(
    world.prescriptions.prescriptions.flatMap((rx) => (rx.appointment === null ? [] : [[rx.appointment, rx.diagnosis]])),
  );
  for (const index of completed) await encounters.add(encounter(random, world, index, prescribed.get(index)));
  await encounters.flush();
  encounterProgress.finish();

  return {
    patientRecords: withRecord.filter(Boolean).length,
    encounters: completed.length,
    auditEntries: await writeAudit(db, world, random, auditEntries),
  };
}
