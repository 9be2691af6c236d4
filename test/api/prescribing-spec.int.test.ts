// Prescribing, tested from the specification (issue 12 and the README's "Prescriptions" and "Who may
// see what"), not from the implementation: every request goes over HTTP as the role that would send
// it, and what is checked is what the specification says must be true.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { AUDIT_LOGS } from '../../src/modules/audit/index.js';
import { useTestApi, type GraphQLResponse } from '../harness/api.js';
import { startOwnMongo, type OwnMongo } from '../harness/own-mongo.js';
import {
  createAppointment,
  createAppointmentType,
  createClinic,
  createDoctor,
  createPatient,
  createStaff,
  itemInput,
} from '../factories.js';

// No background job runs unasked (expiry must be seen without the hourly job), and no cache, so that
// statements can be counted.
const api = useTestApi({ manualJobs: true, uncached: true });
const prisma = () => api.database.prisma;

// ---------------------------------------------------------------------------------------------
// The API's shapes, as the schema gives them.

interface Finding {
  id: string;
  kind: string;
  severity: string;
  itemPositions: number[];
  en: string;
  fr: string;
  resolution: null | { kind: string; reason: string | null; at: string; by: { id: string; name: string; role: string } | null };
}
interface Item {
  id: string;
  position: number;
  medicationName: string;
  strength: string;
  form: string;
  route: string;
  dose: { amount: number; unit: string };
  frequency: string;
  durationDays: number;
  quantity: number;
  refillsAllowed: number;
  substitutionAllowed: boolean;
  instructions: string | null;
  medication: { id: string; code: string } | null;
}
interface Rx {
  id: string;
  number: string;
  status: string;
  diagnoses: string[];
  notes: string | null;
  validityDays: number;
  issuedOn: string | null;
  validUntil: string | null;
  statusReason: string | null;
  checkedAt: string | null;
  patient: { id: string } | null;
  prescriber: { id: string } | null;
  clinic: { id: string } | null;
  appointment: { id: string } | null;
  items: Item[];
  safetyFindings: Finding[];
  signature: { algorithm: string; keyId: string; signedAt: string; value: string } | null;
  replaces: { id: string; number: string; status: string } | null;
  replacedBy: { id: string; number: string; status: string } | null;
}
interface Verification {
  outcome: string;
  valid: boolean;
  dispensable: boolean;
  status: string;
  number: string;
  keyId: string | null;
  signedAt: string | null;
  validUntil: string | null;
  prescription: { id: string } | null;
}

const FINDING = `id kind severity itemPositions en: message(language: EN) fr: message(language: FR)
  resolution { kind reason at by { id name role } }`;
const RX = `id number status diagnoses notes validityDays issuedOn validUntil statusReason checkedAt
  patient { id } prescriber { id } clinic { id } appointment { id }
  items { id position medicationName strength form route dose { amount unit } frequency durationDays quantity refillsAllowed
    substitutionAllowed instructions medication { id code } }
  safetyFindings { ${FINDING} }
  signature { algorithm keyId signedAt value }
  replaces { id number status } replacedBy { id number status }`;

const CREATE = `mutation($input: NewPrescriptionInput!) { createPrescription(input: $input) { ${RX} } }`;
const UPDATE = `mutation($id: ID!, $input: PrescriptionContentInput!) { updatePrescriptionDraft(id: $id, input: $input) { ${RX} } }`;
const CHECK = `mutation($id: ID!) { checkPrescription(id: $id) { ${RX} } }`;
const SIGN = `mutation($id: ID!) { signPrescription(id: $id) { ${RX} } }`;
const OVERRIDE = `mutation($f: ID!, $r: String!) { overrideSafetyFinding(findingId: $f, reason: $r) { ${FINDING} } }`;
const ACKNOWLEDGE = `mutation($f: ID!) { acknowledgeSafetyFinding(findingId: $f) { ${FINDING} } }`;
const CANCEL = `mutation($id: ID!, $r: String!) { cancelPrescription(id: $id, reason: $r) { ${RX} } }`;
const HOLD = `mutation($id: ID!, $r: String!) { holdPrescription(id: $id, reason: $r) { ${RX} } }`;
const RESUME = `mutation($id: ID!) { resumePrescription(id: $id) { ${RX} } }`;
const IN_ERROR = `mutation($id: ID!, $r: String!) { markPrescriptionEnteredInError(id: $id, reason: $r) { ${RX} } }`;
const REISSUE = `mutation($id: ID!, $r: String!) { reissuePrescription(id: $id, reason: $r) { ${RX} } }`;
const READ = `query($id: ID!) { prescription(id: $id) { ${RX} } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on Prescription { ${RX} } } }`;
const VERIFY = `query($r: String!, $c: ID) { verifyPrescription(reference: $r, clinicId: $c) {
  outcome valid dispensable status number keyId signedAt validUntil prescription { id } } }`;
const PATIENT_LIST = `query($p: ID!, $first: Int!, $status: PrescriptionStatus) {
  patient(id: $p) { prescriptions(first: $first, status: $status) { totalCount edges { node { id number status } } } } }`;
const MY_LIST = `query($first: Int!, $status: PrescriptionStatus) {
  myPrescriptions(first: $first, status: $status) { totalCount edges { node { id number status } } } }`;
const BY_ME = `query($first: Int!) { prescribedByMe(first: $first) { edges { node { id number status createdAt } } } }`;

// ---------------------------------------------------------------------------------------------
// Calling the API.

interface Outcome<T> {
  response: GraphQLResponse<Record<string, T | null>>;
  value: T | null;
  code: string | undefined;
}

async function call<T = Rx>(document: string, variables: Record<string, unknown>, token?: string): Promise<Outcome<T>> {
  const response = await api.graphql<Record<string, T | null>>(document, variables, token);
  const value = response.data ? (Object.values(response.data)[0] ?? null) : null;
  return { response, value, code: response.errors?.[0]?.extensions?.code };
}

/** The operation's answer, failing the test with the errors when there are any. */
async function ok<T = Rx>(document: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const outcome = await call<T>(document, variables, token);
  expect(outcome.response.errors, JSON.stringify(outcome.response.errors)).toBeUndefined();
  return outcome.value!;
}

const pathsOf = (outcome: Outcome<unknown>) =>
  ((outcome.response.errors?.[0]?.extensions?.fields as Array<{ path: Array<string | number> }> | undefined) ?? []).map((f) => f.path);

/** The caller got nothing of it: an error that says so (not a value), and not a word of its content. */
function expectRefused(outcome: Outcome<unknown>, codes: string[], secret?: string) {
  expect(outcome.value ?? null).toBeNull();
  expect(codes).toContain(outcome.code);
  if (secret) expect(JSON.stringify(outcome.response)).not.toContain(secret);
}

const douala = (date: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Douala' }).format(date);
const today = () => douala(new Date());
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
const yearsAgo = (years: number, days = 0) => {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() - years);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
};
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------
// The world: two clinics, everyone who might ask.

type Person = { userId: string; token: string };
let clinicA: Awaited<ReturnType<typeof createClinic>>;
let clinicB: Awaited<ReturnType<typeof createClinic>>;
let doctor: Person & { doctorId: string; globalId: string };
/** A second doctor assigned to the same patients: treats them, but did not write the drafts. */
let coDoctor: Person & { doctorId: string };
/** A doctor of clinic A with no care relationship to the test patients. */
let colleague: Person & { doctorId: string };
/** A doctor of clinic B who will break the glass. */
let emergencyDoctor: Person & { doctorId: string };
const staff: Record<'nurse' | 'receptionist' | 'admin' | 'pharmacist' | 'labTechnician' | 'pharmacistB' | 'adminB', Person> = {} as never;
let appointmentTypeId = '';
/** Medicines whose knowledge-base entry is incomplete (written before the API first reads the knowledge base). */
const incomplete = { none: '', unknownIngredient: '' };

async function person(user: { userId: string }): Promise<Person> {
  return { userId: user.userId, token: await api.token(user) };
}

beforeAll(async () => {
  clinicA = await createClinic(prisma(), { name: 'Clinique Akwa' });
  clinicB = await createClinic(prisma(), { name: 'Centre Bastos', city: 'Yaoundé' });
  const doctorRow = await createDoctor(prisma(), { clinicIds: [clinicA.id], firstName: 'Ada', lastName: 'Mbarga' });
  doctor = { ...(await person(doctorRow)), doctorId: doctorRow.doctorId, globalId: doctorRow.globalId };
  const co = await createDoctor(prisma(), { clinicIds: [clinicA.id] });
  coDoctor = { ...(await person(co)), doctorId: co.doctorId };
  const other = await createDoctor(prisma(), { clinicIds: [clinicA.id] });
  colleague = { ...(await person(other)), doctorId: other.doctorId };
  const er = await createDoctor(prisma(), { clinicIds: [clinicB.id] });
  emergencyDoctor = { ...(await person(er)), doctorId: er.doctorId };
  staff.nurse = await person(await createStaff(prisma(), 'nurse', clinicA.id));
  staff.receptionist = await person(await createStaff(prisma(), 'receptionist', clinicA.id));
  staff.admin = await person(await createStaff(prisma(), 'admin', clinicA.id));
  staff.pharmacist = await person(await createStaff(prisma(), 'pharmacist', clinicA.id));
  staff.labTechnician = await person(await createStaff(prisma(), 'lab_technician', clinicA.id));
  staff.pharmacistB = await person(await createStaff(prisma(), 'pharmacist', clinicB.id));
  staff.adminB = await person(await createStaff(prisma(), 'admin', clinicB.id));
  appointmentTypeId = (await createAppointmentType(prisma())).id;
  for (const [key, ingredientCodes] of [
    ['none', []],
    ['unknownIngredient', ['unobtainium']],
  ] as const) {
    const medicine = await prisma().medicine.create({
      data: {
        code: `test-${key}-${randomUUID().slice(0, 8)}`,
        genericName: `Testomycin ${key}`,
        brandNames: [],
        atcCode: 'J01XX99',
        forms: ['tablet'],
        strengths: ['100 mg'],
        routes: ['oral'],
        indications: ['testing'],
        ingredientCodes: [...ingredientCodes],
        contraindications: [],
        pregnancyRisk: 'compatible',
        lactationRisk: 'compatible',
        minAgeMonths: 0,
        controlled: false,
        prescriptionOnly: true,
        source: 'test',
      },
    });
    incomplete[key] = medicine.code;
  }
});

/** A patient of clinic A, treated by the doctor (and the co-doctor), with a token of their own. */
async function newPatient(overrides: { dateOfBirth?: string; gender?: 'female' | 'male' } = {}) {
  const patient = await createPatient(prisma(), { clinicId: clinicA.id, clinicianIds: [doctor.userId, coDoctor.userId], ...overrides });
  return { ...patient, token: await api.token(patient) };
}
type TestPatient = Awaited<ReturnType<typeof newPatient>>;

const item = (code: string, overrides: Record<string, unknown> = {}) => itemInput(prisma(), code, overrides);

async function newInput(
  patient: { globalId: string },
  codes: Array<string | Record<string, unknown>>,
  extra: Record<string, unknown> = {},
) {
  return {
    patientId: patient.globalId,
    clinicId: clinicA.globalId,
    diagnoses: ['J18.9'],
    notes: 'Take with food',
    items: await Promise.all(codes.map((code) => (typeof code === 'string' ? item(code) : Promise.resolve(code)))),
    ...extra,
  };
}

/** A draft written by the doctor. */
async function draft(patient: { globalId: string }, codes: Array<string | Record<string, unknown>>, extra: Record<string, unknown> = {}) {
  return ok(CREATE, { input: await newInput(patient, codes, extra) }, doctor.token);
}

const check = (id: string, token = doctor.token) => ok(CHECK, { id }, token);

/** Checked, every finding resolved (high overridden, others acknowledged), signed. */
async function signed(patient: { globalId: string }, codes: Array<string | Record<string, unknown>>, extra: Record<string, unknown> = {}) {
  const rx = await draft(patient, codes, extra);
  for (const finding of (await check(rx.id)).safetyFindings) {
    if (finding.severity === 'HIGH') await ok(OVERRIDE, { f: finding.id, r: 'Benefit outweighs the risk here' }, doctor.token);
    else await ok(ACKNOWLEDGE, { f: finding.id }, doctor.token);
  }
  return ok(SIGN, { id: rx.id }, doctor.token);
}

const recordAllergy = (patient: { globalId: string }, substance: string) =>
  ok(
    `mutation($p: ID!, $i: AllergyInput!) { recordAllergy(patientId: $p, input: $i) { id } }`,
    { p: patient.globalId, i: { substance, severity: 'SEVERE', reaction: 'Urticaria' } },
    doctor.token,
  );

const findingsOf = (rx: Rx, kind: string) => rx.safetyFindings.filter((f) => f.kind === kind);
const positionOf = (rx: Rx, code: string) => rx.items.find((i) => i.medication?.code === code)!.position;
const numberPattern = (year = today().slice(0, 4)) => new RegExp(`^RX-${year}-\\d{6}$`);
const auditOf = (patientId: string) =>
  api.mongo.db
    .collection<{ actor: { userId: string; role: string } | null; [key: string]: unknown }>(AUDIT_LOGS)
    .find({ patientId })
    .toArray();

/** A prescription row written straight to PostgreSQL as an earlier signing would have left it (dates chosen). */
async function insertSigned(fields: {
  patientId: string;
  prescriberId: string;
  clinicId: string;
  medicineCode: string;
  number: string;
  issuedOn: string;
  validUntil: string;
  finding?: boolean;
}) {
  const medicine = await prisma().medicine.findUniqueOrThrow({ where: { code: fields.medicineCode } });
  const row = await prisma().prescription.create({
    data: {
      number: fields.number,
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
      findings: fields.finding
        ? {
            create: {
              fingerprint: `test-${randomUUID()}`,
              kind: 'unmatched_allergy',
              severity: 'moderate',
              itemPositions: [1],
              messageEn: 'Check it yourself',
              messageFr: 'À vérifier',
              resolvedBy: fields.prescriberId,
              resolvedAt: new Date(),
            },
          }
        : undefined,
    },
  });
  await prisma().prescription.update({
    where: { id: row.id },
    data: {
      status: 'active',
      issuedOn: new Date(`${fields.issuedOn}T00:00:00Z`),
      validUntil: new Date(`${fields.validUntil}T00:00:00Z`),
      signedAt: new Date(`${fields.issuedOn}T09:00:00Z`),
      signedBy: fields.prescriberId,
      signatureKeyId: 'test',
      signature: 'not-a-signature',
    },
  });
  return { ...row, globalId: toGlobalId('Prescription', row.id) };
}

/** Runs SQL on the prescribing tables past their triggers (what someone with database access could do). */
async function pastTheTriggers(sql: string, ...values: unknown[]) {
  await prisma().$transaction(async (tx) => {
    for (const table of ['prescriptions', 'prescription_items', 'prescription_findings'])
      await tx.$executeRawUnsafe(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    const used = Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    await tx.$executeRawUnsafe(sql, ...values.slice(0, used));
    for (const table of ['prescriptions', 'prescription_items', 'prescription_findings'])
      await tx.$executeRawUnsafe(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
  });
}

const rawId = (rx: { id: string }) => Buffer.from(rx.id, 'base64url').toString('utf8').split(':')[1];

// =============================================================================================

describe('the medicine catalogue', () => {
  it('is labelled a starter set to be reviewed by a pharmacist, with at least 80 medicines', async () => {
    const catalogue = await ok<{ medications: number; notice: string; version: string }>(
      `{ medicationCatalogue { medications notice version } }`,
      {},
      doctor.token,
    );
    expect(catalogue.medications).toBeGreaterThanOrEqual(80);
    expect(catalogue.notice).toMatch(/starter/i);
    expect(catalogue.notice).toMatch(/pharmacist/i);
    const page = await ok<{ totalCount: number }>(`{ medications(first: 1) { totalCount } }`, {}, doctor.token);
    expect(page.totalCount).toBeGreaterThanOrEqual(80);
  });

  it.each([
    ['amoxicilline', 'amoxicillin'],
    ['AMOXICILLIN', 'amoxicillin'],
    ['clamoxyl', 'amoxicillin'],
    ['rocephine', 'ceftriaxone'],
    ['Rocéphine', 'ceftriaxone'],
    ['cotrimoxazole', 'cotrimoxazole'],
    ['warfarine', 'warfarin'],
  ])('finds %s by generic or brand name, accents and case ignored (%s)', async (search, code) => {
    const page = await ok<{ edges: Array<{ node: { code: string } }> }>(
      `query($s: String) { medications(search: $s, first: 20) { edges { node { code } } } }`,
      { s: search },
      doctor.token,
    );
    expect(page.edges.map((e) => e.node.code)).toContain(code);
  });

  it('answers the clinical staff, and no one else', async () => {
    const SEARCH = `{ medications(search: "paracetamol", first: 5) { edges { node { code } } } }`;
    for (const token of [doctor.token, staff.nurse.token, staff.pharmacist.token])
      expect((await call(SEARCH, {}, token)).code).toBeUndefined();
    const patient = await newPatient();
    for (const token of [patient.token, staff.receptionist.token]) expect((await call(SEARCH, {}, token)).code).toBe('FORBIDDEN');
    expect((await call(SEARCH, {})).code).toBe('UNAUTHENTICATED');
  });
});

// =============================================================================================

describe('writing a draft', () => {
  it('gives a doctor who treats the patient a numbered draft with a snapshot of each medicine', async () => {
    const patient = await newPatient();
    const input = await newInput(patient, [
      await item('amoxicillin', {
        strength: '500 mg',
        form: 'capsule',
        dose: { amount: 1, unit: 'capsule' },
        frequency: 'TID',
        durationDays: 7,
        quantity: 21,
        refillsAllowed: 1,
        substitutionAllowed: false,
        instructions: 'Avaler avec un verre d’eau',
      }),
    ]);
    const rx = await ok(CREATE, { input: { ...input, diagnoses: ['J18.9', 'B50.9'] } }, doctor.token);
    expect(rx.status).toBe('DRAFT');
    expect(rx.number).toMatch(numberPattern());
    expect(rx.patient?.id).toBe(patient.globalId);
    expect(rx.prescriber?.id).toBe(doctor.globalId);
    expect(rx.clinic?.id).toBe(clinicA.globalId);
    expect(rx.diagnoses).toEqual(['J18.9', 'B50.9']);
    expect(rx.validityDays).toBe(30);
    expect(rx.signature).toBeNull();
    expect(rx.issuedOn).toBeNull();
    expect(rx.items).toHaveLength(1);
    expect(rx.items[0]).toMatchObject({
      medicationName: 'Amoxicillin',
      strength: '500 mg',
      form: 'capsule',
      route: 'ORAL',
      dose: { amount: 1, unit: 'capsule' },
      frequency: 'TID',
      durationDays: 7,
      quantity: 21,
      refillsAllowed: 1,
      substitutionAllowed: false,
      instructions: 'Avaler avec un verre d’eau',
      medication: { code: 'amoxicillin' },
    });
  });

  it.each(['nurse', 'receptionist', 'admin', 'pharmacist', 'labTechnician', 'pharmacistB', 'adminB'] as const)(
    'is FORBIDDEN to a %s, and writes nothing',
    async (role) => {
      const patient = await newPatient();
      const outcome = await call(CREATE, { input: await newInput(patient, ['paracetamol']) }, staff[role].token);
      expectRefused(outcome, ['FORBIDDEN']);
      expect(await prisma().prescription.count({ where: { patientId: patient.userId } })).toBe(0);
    },
  );

  it('is FORBIDDEN to a doctor of the clinic without a care relationship, to the patient and to another patient; nothing written', async () => {
    const patient = await newPatient();
    const another = await newPatient();
    for (const [token, clinic] of [
      [colleague.token, clinicA.globalId],
      [patient.token, clinicA.globalId],
      [another.token, clinicA.globalId],
      [emergencyDoctor.token, clinicB.globalId],
    ]) {
      const outcome = await call(CREATE, { input: await newInput(patient, ['paracetamol'], { clinicId: clinic }) }, token);
      expectRefused(outcome, ['FORBIDDEN']);
    }
    expect(await prisma().prescription.count({ where: { patientId: patient.userId } })).toBe(0);
  });

  it('is UNAUTHENTICATED without a token', async () => {
    const patient = await newPatient();
    expectRefused(await call(CREATE, { input: await newInput(patient, ['paracetamol']) }), ['UNAUTHENTICATED']);
    expect(await prisma().prescription.count({ where: { patientId: patient.userId } })).toBe(0);
  });

  it('is open to a doctor with emergency access (at their own clinic), audited as EMERGENCY', async () => {
    const patient = await newPatient();
    await ok(
      `mutation($p: ID!) { requestEmergencyAccess(patientId: $p, reason: "Unconscious, brought in by the fire brigade") { id } }`,
      { p: patient.globalId },
      emergencyDoctor.token,
    );
    const rx = await ok(CREATE, { input: await newInput(patient, ['paracetamol'], { clinicId: clinicB.globalId }) }, emergencyDoctor.token);
    expect(rx.status).toBe('DRAFT');
    expect(rx.clinic?.id).toBe(clinicB.globalId);
    await check(rx.id, emergencyDoctor.token);
    expect((await ok(SIGN, { id: rx.id }, emergencyDoctor.token)).status).toBe('ACTIVE');
    const entries = await auditOf(patient.userId);
    const mine = entries.filter((e) => e.actor?.userId === emergencyDoctor.userId && /Prescri/.test(String(e.resource)));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => e.purpose === 'emergency')).toBe(true);
  });

  it('is open to the doctor of an appointment with the patient, and links the prescription to the visit and its record', async () => {
    const visitDoctorRow = await createDoctor(prisma(), { clinicIds: [clinicA.id] });
    const visitDoctor = await api.token(visitDoctorRow);
    const patient = await createPatient(prisma(), { clinicId: clinicA.id });
    const appointment = await createAppointment(prisma(), {
      patientId: patient.userId,
      doctorId: visitDoctorRow.doctorId,
      clinicId: clinicA.id,
      appointmentTypeId,
      startsAt: new Date(Date.now() - 20 * 60_000),
      status: 'in_consultation',
    });
    const input = await newInput(patient, ['artemether-lumefantrine'], { diagnoses: ['B50.9'], appointmentId: appointment.globalId });
    delete (input as { clinicId?: string }).clinicId;
    const rx = await ok(CREATE, { input }, visitDoctor);
    expect(rx.appointment?.id).toBe(appointment.globalId);
    expect(rx.clinic?.id).toBe(clinicA.globalId);
    await ok(
      `mutation($id: ID!, $e: EncounterInput!) { completeAppointment(appointmentId: $id, encounter: $e) { status } }`,
      {
        id: appointment.globalId,
        e: { chiefComplaint: 'Fever', diagnoses: [{ icd10Code: 'B50.9', description: 'Malaria', primary: true }] },
      },
      visitDoctor,
    );
    await api.relayOutbox();
    const visit = await ok<{ encounter: { id: string; prescriptions: Array<{ id: string; number: string }> } }>(
      `query($id: ID!) { node(id: $id) { ... on Appointment { encounter { id prescriptions { id number } } } } }`,
      { id: appointment.globalId },
      visitDoctor,
    );
    expect(visit.encounter.prescriptions.map((p) => p.id)).toEqual([rx.id]);
    const back = await ok<{ encounter: { id: string } | null }>(
      `query($id: ID!) { prescription(id: $id) { encounter { id } } }`,
      { id: rx.id },
      visitDoctor,
    );
    expect(back.encounter?.id).toBe(visit.encounter.id);
    // The patient reads the visit's record, not the draft written at it.
    const asPatient = await call<{ encounter: { prescriptions: Array<{ id: string }> } }>(
      `query($id: ID!) { node(id: $id) { ... on Appointment { encounter { id prescriptions { id number } } } } }`,
      { id: appointment.globalId },
      await api.token(patient),
    );
    expect(JSON.stringify(asPatient.response)).not.toContain(rx.number);
  });

  it('refuses a clinic the doctor does not work in, writing nothing', async () => {
    const patient = await newPatient();
    const outcome = await call(CREATE, { input: await newInput(patient, ['paracetamol'], { clinicId: clinicB.globalId }) }, doctor.token);
    expect(outcome.value).toBeNull();
    expect(['FORBIDDEN', 'BAD_USER_INPUT']).toContain(outcome.code);
    expect(await prisma().prescription.count({ where: { patientId: patient.userId } })).toBe(0);
  });

  it('lets only its prescriber edit a draft (another doctor who treats the patient may not)', async () => {
    const patient = await newPatient();
    const rx = await draft(patient, ['paracetamol']);
    const outcome = await call(
      UPDATE,
      { id: rx.id, input: { diagnoses: ['R50.9'], items: [await item('ibuprofen')], notes: null } },
      coDoctor.token,
    );
    expectRefused(outcome, ['FORBIDDEN']);
    const edited = await ok(
      UPDATE,
      { id: rx.id, input: { diagnoses: ['R50.9'], items: [await item('ibuprofen')], notes: 'x' } },
      doctor.token,
    );
    expect(edited.items.map((i) => i.medication?.code)).toEqual(['ibuprofen']);
    expect(edited.diagnoses).toEqual(['R50.9']);
    expect(edited.number).toBe(rx.number);
  });
});

// =============================================================================================

describe('numbers', () => {
  async function clinicWithDoctor() {
    const clinic = await createClinic(prisma());
    const row = await createDoctor(prisma(), { clinicIds: [clinic.id] });
    const token = await api.token(row);
    const patient = await createPatient(prisma(), { clinicId: clinic.id, clinicianIds: [row.userId] });
    const write = async (codes: string[] = ['paracetamol']) =>
      call(CREATE, { input: { ...(await newInput(patient, codes)), clinicId: clinic.globalId } }, token);
    return { clinic, token, patient, write };
  }

  it('starts at 000001 in each clinic, and goes on without a gap', async () => {
    const year = today().slice(0, 4);
    const c = await clinicWithDoctor();
    const d = await clinicWithDoctor();
    expect((await c.write()).value?.number).toBe(`RX-${year}-000001`);
    expect((await d.write()).value?.number).toBe(`RX-${year}-000001`);
    expect((await c.write()).value?.number).toBe(`RX-${year}-000002`);
    // Refused callers take no number either.
    const nurse = await api.token(await createStaff(prisma(), 'nurse', c.clinic.id));
    const refusedCaller = await call(
      CREATE,
      { input: { ...(await newInput(c.patient, ['paracetamol'])), clinicId: c.clinic.globalId } },
      nurse,
    );
    expect(refusedCaller.code).toBe('FORBIDDEN');
    // Refused input takes no number.
    const bad = await call(
      CREATE,
      { input: { ...(await newInput(c.patient, [await item('paracetamol', { quantity: 0 })])), clinicId: c.clinic.globalId } },
      c.token,
    );
    expect(bad.code).toBe('BAD_USER_INPUT');
    expect((await c.write()).value?.number).toBe(`RX-${year}-000003`);
  });

  it('gives twenty drafts written at once twenty consecutive numbers', async () => {
    const year = today().slice(0, 4);
    const c = await clinicWithDoctor();
    const results = await Promise.all(Array.from({ length: 20 }, () => c.write()));
    expect(results.map((r) => r.code)).toEqual(Array(20).fill(undefined));
    const numbers = results.map((r) => r.value!.number).sort();
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => `RX-${year}-${String(i + 1).padStart(6, '0')}`));
  });

  it('verifies by number within the clinic asked for when two clinics share it', async () => {
    const c = await clinicWithDoctor();
    const d = await clinicWithDoctor();
    const inC = (await c.write()).value!;
    const inD = (await d.write()).value!;
    expect(inC.number).toBe(inD.number);
    const asC = await ok<Verification>(VERIFY, { r: inC.number, c: c.clinic.globalId }, c.token);
    expect(asC.prescription?.id).toBe(inC.id);
    const asD = await ok<Verification>(VERIFY, { r: inD.number, c: d.clinic.globalId }, d.token);
    expect(asD.prescription?.id).toBe(inD.id);
  });
});

// =============================================================================================

describe('bad input', () => {
  const cases: Array<[string, () => Promise<Record<string, unknown>>, Array<string | number>]> = [
    [
      'an unknown medicine',
      async () => item('paracetamol', { medicationId: toGlobalId('Medication', randomUUID()) }),
      ['input', 'items', 0, 'medicationId'],
    ],
    [
      'a clinic id as a medicine',
      async () => item('paracetamol', { medicationId: clinicA.globalId }),
      ['input', 'items', 0, 'medicationId'],
    ],
    ['a dose of 0', async () => item('paracetamol', { dose: { amount: 0, unit: 'tablet' } }), ['input', 'items', 0, 'dose', 'amount']],
    ['a negative dose', async () => item('paracetamol', { dose: { amount: -1, unit: 'tablet' } }), ['input', 'items', 0, 'dose', 'amount']],
    ['a quantity of 0', async () => item('paracetamol', { quantity: 0 }), ['input', 'items', 0, 'quantity']],
    ['a negative quantity', async () => item('paracetamol', { quantity: -3 }), ['input', 'items', 0, 'quantity']],
    ['6 refills', async () => item('paracetamol', { refillsAllowed: 6 }), ['input', 'items', 0, 'refillsAllowed']],
    ['a refill of a controlled medicine', async () => item('tramadol', { refillsAllowed: 1 }), ['input', 'items', 0, 'refillsAllowed']],
    ['a strength the medicine does not have', async () => item('paracetamol', { strength: '650 mg' }), ['input', 'items', 0, 'strength']],
    ['a form the medicine does not have', async () => item('amoxicillin', { form: 'suppository' }), ['input', 'items', 0, 'form']],
    ['a route the medicine does not have', async () => item('amoxicillin', { route: 'IV' }), ['input', 'items', 0, 'route']],
    ['a duration of 0 days', async () => item('paracetamol', { durationDays: 0 }), ['input', 'items', 0, 'durationDays']],
    ['a blank dose unit', async () => item('paracetamol', { dose: { amount: 1, unit: '  ' } }), ['input', 'items', 0, 'dose', 'unit']],
    [
      'a dose unit of 21 characters',
      async () => item('paracetamol', { dose: { amount: 1, unit: 'u'.repeat(21) } }),
      ['input', 'items', 0, 'dose', 'unit'],
    ],
    [
      'instructions of 501 characters',
      async () => item('paracetamol', { instructions: 'i'.repeat(501) }),
      ['input', 'items', 0, 'instructions'],
    ],
  ];

  it.each(cases)('refuses %s with BAD_USER_INPUT at its path, and writes nothing', async (_label, build, path) => {
    const patient = await newPatient();
    const outcome = await call(CREATE, { input: await newInput(patient, [await build()]) }, doctor.token);
    expect(outcome.code).toBe('BAD_USER_INPUT');
    expect(pathsOf(outcome)).toContainEqual(path);
    expect(outcome.value ?? null).toBeNull();
    expect(await prisma().prescription.count({ where: { patientId: patient.userId } })).toBe(0);
  });

  it.each([['fever'], ['B5'], ['50.9'], ['B50.9.1'], ['']])(
    'refuses the diagnosis %j (not an ICD-10 code) under input.diagnoses',
    async (code) => {
      const patient = await newPatient();
      const outcome = await call(CREATE, { input: await newInput(patient, ['paracetamol'], { diagnoses: ['B50.9', code] }) }, doctor.token);
      expect(outcome.code).toBe('BAD_USER_INPUT');
      expect(pathsOf(outcome).some((path) => path[0] === 'input' && path[1] === 'diagnoses')).toBe(true);
      expect(await prisma().prescription.count({ where: { patientId: patient.userId } })).toBe(0);
    },
  );

  // Found failing by this file, then fixed: the ICD-10 check reports ['input','diagnoses'] without the index (README: one `fields` entry per path).
  it('names the diagnosis that is wrong: its path carries its index (like the items)', async () => {
    const patient = await newPatient();
    const outcome = await call(
      CREATE,
      { input: await newInput(patient, ['paracetamol'], { diagnoses: ['B50.9', 'fever'] }) },
      doctor.token,
    );
    expect(outcome.code).toBe('BAD_USER_INPUT');
    expect(pathsOf(outcome)).toEqual([['input', 'diagnoses', 1]]);
  });

  it.each([[0], [366]])('refuses a validity of %i days', async (validityDays) => {
    const patient = await newPatient();
    const outcome = await call(CREATE, { input: await newInput(patient, ['paracetamol'], { validityDays }) }, doctor.token);
    expect(outcome.code).toBe('BAD_USER_INPUT');
    expect(pathsOf(outcome)).toContainEqual(['input', 'validityDays']);
  });

  it('refuses an unknown frequency code before anything runs', async () => {
    const patient = await newPatient();
    const outcome = await call(
      CREATE,
      { input: await newInput(patient, [await item('paracetamol', { frequency: 'TWICE_A_DAY' })]) },
      doctor.token,
    );
    expect(outcome.code).toBe('BAD_USER_INPUT');
    expect(await prisma().prescription.count({ where: { patientId: patient.userId } })).toBe(0);
  });

  // Found failing by this file, then fixed: input checks run in two passes (shape, then the catalogue), so the second pass's problems are not reported
  // with the first's (README: "Every problem with the input is reported at once").
  it('reports every problem at once: a quantity of 0 on one item and a strength the medicine lacks on another', async () => {
    const patient = await newPatient();
    const outcome = await call(
      CREATE,
      { input: await newInput(patient, [await item('paracetamol', { quantity: 0 }), await item('ibuprofen', { strength: '650 mg' })]) },
      doctor.token,
    );
    expect(outcome.code).toBe('BAD_USER_INPUT');
    expect(pathsOf(outcome)).toEqual(
      expect.arrayContaining([
        ['input', 'items', 0, 'quantity'],
        ['input', 'items', 1, 'strength'],
      ]),
    );
  });

  it('never echoes the values it refuses', async () => {
    const patient = await newPatient();
    const badDiagnosis = await call(
      CREATE,
      { input: await newInput(patient, ['paracetamol'], { diagnoses: ['not-a-code-qwerty'] }) },
      doctor.token,
    );
    const badStrength = await call(
      CREATE,
      { input: await newInput(patient, [await item('paracetamol', { strength: 'xyzzy-strength' })]) },
      doctor.token,
    );
    expect([badDiagnosis.code, badStrength.code]).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(JSON.stringify([badDiagnosis.response.errors, badStrength.response.errors])).not.toMatch(/qwerty|xyzzy/);
  });

  it('refuses a bad edit of a draft at its path and leaves the draft as it was', async () => {
    const patient = await newPatient();
    const rx = await draft(patient, ['paracetamol']);
    const outcome = await call(
      UPDATE,
      { id: rx.id, input: { diagnoses: ['R50.9'], items: [await item('ibuprofen'), await item('paracetamol', { refillsAllowed: 9 })] } },
      doctor.token,
    );
    expect(outcome.code).toBe('BAD_USER_INPUT');
    expect(pathsOf(outcome)).toContainEqual(['input', 'items', 1, 'refillsAllowed']);
    const now = await ok(READ, { id: rx.id }, doctor.token);
    expect(now.items.map((i) => i.medication?.code)).toEqual(['paracetamol']);
    expect(now.diagnoses).toEqual(rx.diagnoses);
  });
});

// =============================================================================================

describe('safety checks', () => {
  it('finds nothing in a plain prescription for a healthy adult, and says when it checked', async () => {
    const patient = await newPatient();
    const rx = await check((await draft(patient, ['paracetamol'])).id);
    expect(rx.safetyFindings).toEqual([]);
    expect(rx.checkedAt).not.toBeNull();
    expect(rx.status).toBe('DRAFT');
  });

  it.each([['Penicillin'], ['penicillin'], ['Pénicilline'], ['Clamoxyl'], ['Amoxicillin'], ['amoxicilline']])(
    'flags amoxicillin for an allergy recorded as %j: HIGH, the item implicated, a message in en and fr',
    async (substance) => {
      const patient = await newPatient();
      await recordAllergy(patient, substance);
      const rx = await check((await draft(patient, ['paracetamol', 'amoxicillin'])).id);
      const allergy = findingsOf(rx, 'ALLERGY');
      expect(allergy).toHaveLength(1);
      expect(allergy[0]).toMatchObject({ severity: 'HIGH', itemPositions: [positionOf(rx, 'amoxicillin')], resolution: null });
      expect(allergy[0].en.length).toBeGreaterThan(0);
      expect(allergy[0].fr.length).toBeGreaterThan(0);
      expect(allergy[0].fr).not.toBe(allergy[0].en);
    },
  );

  it.each([
    ['Amoxicillin', 'phenoxymethylpenicillin'],
    ['Augmentin', 'cloxacillin'],
    ['Augmentin', 'amoxicillin'],
    ['Extencilline', 'amoxicillin'],
    ['Sulfa', 'cotrimoxazole'],
    ['Sulfamides', 'cotrimoxazole'],
    ['Bactrim', 'sulfadoxine-pyrimethamine'],
    ['Aspirin', 'ibuprofen'],
  ])('flags the same allergy class: an allergy to %j reaches %s', async (substance, code) => {
    const patient = await newPatient();
    await recordAllergy(patient, substance);
    const rx = await check((await draft(patient, [code])).id);
    const allergy = findingsOf(rx, 'ALLERGY');
    expect(allergy.length).toBeGreaterThan(0);
    expect(['HIGH', 'MODERATE']).toContain(allergy[0].severity);
    expect(allergy[0].itemPositions).toEqual([positionOf(rx, code)]);
  });

  it('flags the cross-reactivity of a penicillin allergy with a cephalosporin, as the knowledge base grades it', async () => {
    const patient = await newPatient();
    await recordAllergy(patient, 'Penicillin');
    const rx = await check((await draft(patient, ['cefalexin'])).id);
    const allergy = findingsOf(rx, 'ALLERGY');
    expect(allergy).toHaveLength(1);
    expect(['MODERATE', 'HIGH']).toContain(allergy[0].severity);
  });

  it('makes an allergy it cannot read a MODERATE UNMATCHED_ALLERGY finding', async () => {
    const patient = await newPatient();
    await recordAllergy(patient, 'Zorblatine');
    const rx = await check((await draft(patient, ['paracetamol'])).id);
    expect(findingsOf(rx, 'UNMATCHED_ALLERGY')).toEqual([expect.objectContaining({ severity: 'MODERATE', resolution: null })]);
  });

  it('flags warfarin with ibuprofen in one prescription as an interaction of both items, explained in en and fr', async () => {
    const patient = await newPatient();
    const rx = await check((await draft(patient, ['warfarin', 'ibuprofen'])).id);
    const interaction = findingsOf(rx, 'INTERACTION');
    expect(interaction).toHaveLength(1);
    expect([...interaction[0].itemPositions].sort()).toEqual([positionOf(rx, 'warfarin'), positionOf(rx, 'ibuprofen')].sort());
    expect(['HIGH', 'MODERATE']).toContain(interaction[0].severity);
    expect(interaction[0].fr).not.toBe(interaction[0].en);
  });

  it('flags an interaction with an active prescription of the patient, whichever clinic wrote it', async () => {
    const patient = await newPatient();
    await signed(patient, ['warfarin']);
    const rx = await check((await draft(patient, ['ibuprofen'])).id);
    expect(findingsOf(rx, 'INTERACTION')).toEqual([expect.objectContaining({ itemPositions: [positionOf(rx, 'ibuprofen')] })]);

    const elsewhere = await newPatient();
    const doctorB = await createDoctor(prisma(), { clinicIds: [clinicB.id] });
    await insertSigned({
      patientId: elsewhere.userId,
      prescriberId: doctorB.userId,
      clinicId: clinicB.id,
      medicineCode: 'warfarin',
      number: `RX-2099-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
      issuedOn: daysAgo(2),
      validUntil: daysAgo(-28),
    });
    const there = await check((await draft(elsewhere, ['ibuprofen'])).id);
    expect(findingsOf(there, 'INTERACTION')).toHaveLength(1);
  });

  it('does not count a cancelled, expired or draft prescription as one in force', async () => {
    const patient = await newPatient();
    const cancelled = await signed(patient, ['warfarin']);
    await ok(CANCEL, { id: cancelled.id, r: 'Stopped by the cardiologist' }, doctor.token);
    await draft(patient, ['acenocoumarol']);
    await insertSigned({
      patientId: patient.userId,
      prescriberId: doctor.userId,
      clinicId: clinicA.id,
      medicineCode: 'fluindione',
      number: `RX-2098-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
      issuedOn: daysAgo(60),
      validUntil: daysAgo(30),
    });
    const rx = await check((await draft(patient, ['ibuprofen'])).id);
    expect(findingsOf(rx, 'INTERACTION')).toEqual([]);
  });

  it('flags two medicines of one therapeutic class as duplicate therapy', async () => {
    const patient = await newPatient();
    const rx = await check((await draft(patient, ['ibuprofen', 'diclofenac'])).id);
    const duplicate = findingsOf(rx, 'DUPLICATE_THERAPY');
    expect(duplicate).toHaveLength(1);
    expect([...duplicate[0].itemPositions].sort()).toEqual([positionOf(rx, 'ibuprofen'), positionOf(rx, 'diclofenac')].sort());
  });

  it('flags a contraindication against a chronic condition on the record (ICD-10 prefix)', async () => {
    const patient = await newPatient();
    await ok(
      `mutation($p: ID!, $i: ChronicConditionInput!) { recordChronicCondition(patientId: $p, input: $i) { id } }`,
      { p: patient.globalId, i: { name: 'Peptic ulcer', icd10Code: 'K25.9', status: 'ACTIVE' } },
      doctor.token,
    );
    const rx = await check((await draft(patient, ['paracetamol', 'ibuprofen'])).id);
    expect(findingsOf(rx, 'CONTRAINDICATION')).toEqual([
      expect.objectContaining({ severity: 'HIGH', itemPositions: [positionOf(rx, 'ibuprofen')] }),
    ]);
  });

  it("flags a contraindication against the prescription's own diagnosis", async () => {
    const patient = await newPatient();
    const rx = await check((await draft(patient, ['ibuprofen'], { diagnoses: ['A90'] })).id);
    expect(findingsOf(rx, 'CONTRAINDICATION')).toEqual([expect.objectContaining({ severity: 'HIGH' })]);
    const plain = await check((await draft(patient, ['ibuprofen'], { diagnoses: ['M54.5'] })).id);
    expect(findingsOf(plain, 'CONTRAINDICATION')).toEqual([]);
  });

  it('flags a medicine contraindicated in pregnancy for a patient recorded as pregnant, and not once she is recorded as not pregnant', async () => {
    const patient = await newPatient({ gender: 'female' });
    const record = (status: string, since: string) =>
      ok(
        `mutation($p: ID!, $i: PregnancyStatusInput!) { recordPregnancyStatus(patientId: $p, input: $i) { pregnancy { status } } }`,
        { p: patient.globalId, i: { status, since } },
        doctor.token,
      );
    await record('PREGNANT', daysAgo(70));
    const rx = await check((await draft(patient, ['warfarin'])).id);
    expect(findingsOf(rx, 'PREGNANCY')).toEqual([expect.objectContaining({ severity: 'HIGH', itemPositions: [1] })]);
    await record('NOT_PREGNANT', daysAgo(1));
    const after = await check(rx.id);
    expect(findingsOf(after, 'PREGNANCY')).toEqual([]);
  });

  it('flags a medicine contraindicated in breastfeeding for a patient recorded as breastfeeding', async () => {
    const patient = await newPatient({ gender: 'female' });
    await ok(
      `mutation($p: ID!, $i: LactationStatusInput!) { recordLactationStatus(patientId: $p, input: $i) { lactation { status } } }`,
      { p: patient.globalId, i: { status: 'BREASTFEEDING', since: daysAgo(60) } },
      doctor.token,
    );
    const rx = await check((await draft(patient, ['paracetamol', 'levofloxacin'])).id);
    const lactation = findingsOf(rx, 'LACTATION');
    expect(lactation).toHaveLength(1);
    expect(lactation[0].itemPositions).toEqual([positionOf(rx, 'levofloxacin')]);
    expect(['HIGH', 'MODERATE']).toContain(lactation[0].severity);
  });

  it('flags medicines outside their age limits: a 2-year-old given doxycycline or ciprofloxacin, a 70-year-old given glibenclamide', async () => {
    const child = await newPatient({ dateOfBirth: yearsAgo(2) });
    const forChild = await check((await draft(child, ['doxycycline', 'ciprofloxacin', 'paracetamol'])).id);
    expect(
      findingsOf(forChild, 'AGE')
        .flatMap((f) => f.itemPositions)
        .sort(),
    ).toEqual([positionOf(forChild, 'doxycycline'), positionOf(forChild, 'ciprofloxacin')].sort());
    const older = await newPatient({ dateOfBirth: yearsAgo(70) });
    const forOlder = await check((await draft(older, ['glibenclamide'])).id);
    expect(findingsOf(forOlder, 'AGE')).toHaveLength(1);
    const nineYears = await newPatient({ dateOfBirth: yearsAgo(9) });
    const forNine = await check((await draft(nineYears, ['doxycycline'])).id);
    expect(findingsOf(forNine, 'AGE')).toEqual([]);
  });

  it('is for the clinicians: a nurse, the pharmacist and the patient cannot run the checks', async () => {
    const patient = await newPatient();
    const rx = await draft(patient, ['paracetamol']);
    for (const token of [staff.pharmacist.token, staff.receptionist.token, patient.token])
      expectRefused(await call(CHECK, { id: rx.id }, token), ['FORBIDDEN', 'NOT_FOUND']);
  });
});

// =============================================================================================

describe('resolving findings and signing', () => {
  async function allergicDraft() {
    const patient = await newPatient();
    await recordAllergy(patient, 'Penicillin');
    const rx = await check((await draft(patient, ['amoxicillin'])).id);
    const [finding] = findingsOf(rx, 'ALLERGY');
    return { patient, rx, finding };
  }

  it('refuses to sign past a HIGH finding: CONFLICT listing it, nothing signed', async () => {
    const { rx, finding } = await allergicDraft();
    const outcome = await call(SIGN, { id: rx.id }, doctor.token);
    expect(outcome.code).toBe('CONFLICT');
    expect(outcome.response.errors![0].extensions!.findings).toEqual([{ id: finding.id, kind: 'ALLERGY', severity: 'HIGH' }]);
    const row = await prisma().prescription.findUniqueOrThrow({ where: { id: rawId(rx) } });
    expect(row).toMatchObject({ status: 'draft', signature: null, signedAt: null });
  });

  it.each([
    ['9 characters', 'x'.repeat(9)],
    ['501 characters', 'x'.repeat(501)],
    ['10 spaces', ' '.repeat(10)],
  ])('refuses an override reason of %s (BAD_USER_INPUT at reason), leaving the finding unresolved', async (_label, reason) => {
    const { rx, finding } = await allergicDraft();
    const outcome = await call(OVERRIDE, { f: finding.id, r: reason }, doctor.token);
    expect(outcome.code).toBe('BAD_USER_INPUT');
    expect(pathsOf(outcome)).toContainEqual(['reason']);
    expect(findingsOf(await ok(READ, { id: rx.id }, doctor.token), 'ALLERGY')[0].resolution).toBeNull();
    expect((await call(SIGN, { id: rx.id }, doctor.token)).code).toBe('CONFLICT');
  });

  it('does not let an acknowledgement stand for the override a HIGH finding needs', async () => {
    const { rx, finding } = await allergicDraft();
    const acknowledged = await call(ACKNOWLEDGE, { f: finding.id }, doctor.token);
    expect(acknowledged.code).toBeDefined();
    expect(findingsOf(await ok(READ, { id: rx.id }, doctor.token), 'ALLERGY')[0].resolution).toBeNull();
    expect((await call(SIGN, { id: rx.id }, doctor.token)).code).toBe('CONFLICT');
  });

  it('lets only the prescriber resolve a finding', async () => {
    const { finding } = await allergicDraft();
    for (const token of [staff.nurse.token, staff.pharmacist.token, colleague.token])
      expectRefused(await call(OVERRIDE, { f: finding.id, r: 'I think it is fine really' }, token), ['FORBIDDEN', 'NOT_FOUND']);
    expect(
      (await call(OVERRIDE, { f: toGlobalId('Prescription', randomUUID()), r: 'Benefit outweighs the risk' }, doctor.token)).code,
    ).toMatch(/NOT_FOUND|BAD_USER_INPUT/);
  });

  it.each([
    ['10', 'x'.repeat(10)],
    ['500', 'y'.repeat(500)],
  ])('accepts an override reason of exactly %s characters', async (_label, reason) => {
    const { rx, finding } = await allergicDraft();
    expect((await ok<Finding>(OVERRIDE, { f: finding.id, r: reason }, doctor.token)).resolution).toMatchObject({
      kind: 'OVERRIDDEN',
      reason,
    });
    expect((await ok(SIGN, { id: rx.id }, doctor.token)).status).toBe('ACTIVE');
  });

  it('signs once a HIGH finding is overridden: the override is stored, signed, audited without its text, and shown to the pharmacist', async () => {
    const { patient, rx, finding } = await allergicDraft();
    const final = 'Desensitised by an allergist in 2024, tolerated since';
    const overridden = await ok<Finding>(OVERRIDE, { f: finding.id, r: final }, doctor.token);
    expect(overridden.resolution).toMatchObject({ kind: 'OVERRIDDEN', reason: final, by: { name: 'Ada Mbarga', role: 'DOCTOR' } });
    const before = Date.now();
    const rx2 = await ok(SIGN, { id: rx.id }, doctor.token);
    expect(rx2.status).toBe('ACTIVE');
    expect(rx2.issuedOn).toBe(today());
    expect([29, 30]).toContain(daysBetween(rx2.issuedOn!, rx2.validUntil!));
    expect(rx2.signature).toMatchObject({ algorithm: expect.stringMatching(/ed25519/i), keyId: expect.any(String) });
    expect(rx2.signature!.value.length).toBeGreaterThan(40);
    expect(Date.parse(rx2.signature!.signedAt)).toBeGreaterThanOrEqual(before - 5_000);
    expect(rx2.number).toBe(rx.number);

    const asPharmacist = await ok(READ, { id: rx.id }, staff.pharmacist.token);
    expect(findingsOf(asPharmacist, 'ALLERGY')[0].resolution).toMatchObject({
      kind: 'OVERRIDDEN',
      reason: final,
      by: { name: 'Ada Mbarga', role: 'DOCTOR' },
    });

    const trail = await ok<{
      edges: Array<{ node: { resource: string; action: string; result: string; actor: { role: string } | null } }>;
    }>(
      `query($p: ID!) { auditTrail(patientId: $p, first: 100) { edges { node { resource action result actor { role } } } } }`,
      { p: patient.globalId },
      staff.admin.token,
    );
    expect(trail.edges.map((e) => e.node)).toContainEqual(
      expect.objectContaining({ resource: 'SafetyFindingOverride', result: 'SUCCESS', actor: { role: 'DOCTOR' } }),
    );
    const stored = JSON.stringify(await auditOf(patient.userId));
    expect(stored).not.toContain('allergist');
    expect(stored).not.toContain('Desensitised');

    // The override is covered by the signature.
    expect((await ok<Verification>(VERIFY, { r: rx.id }, doctor.token)).outcome).toBe('VALID');
    await pastTheTriggers(`UPDATE prescription_findings SET override_reason = 'Never mind' WHERE prescription_id = $1::uuid`, rawId(rx));
    expect((await ok<Verification>(VERIFY, { r: rx.id }, doctor.token)).outcome).toBe('TAMPERED');
  });

  it('needs a MODERATE finding acknowledged before signing, and shows the acknowledgement', async () => {
    const patient = await newPatient();
    await recordAllergy(patient, 'Zorblatine');
    const rx = await check((await draft(patient, ['paracetamol'])).id);
    const [moderate] = findingsOf(rx, 'UNMATCHED_ALLERGY');
    const refused = await call(SIGN, { id: rx.id }, doctor.token);
    expect(refused.code).toBe('CONFLICT');
    expect(refused.response.errors![0].extensions!.findings).toEqual([
      { id: moderate.id, kind: 'UNMATCHED_ALLERGY', severity: 'MODERATE' },
    ]);
    expect((await ok<Finding>(ACKNOWLEDGE, { f: moderate.id }, doctor.token)).resolution).toMatchObject({ kind: 'ACKNOWLEDGED' });
    const done = await ok(SIGN, { id: rx.id }, doctor.token);
    expect(done.status).toBe('ACTIVE');
    expect(findingsOf(done, 'UNMATCHED_ALLERGY')[0].resolution).toMatchObject({ kind: 'ACKNOWLEDGED', by: { role: 'DOCTOR' } });
  });

  it('does not hold up signing for a LOW finding', async () => {
    const patient = await newPatient({ gender: 'female' });
    await ok(
      `mutation($p: ID!, $i: PregnancyStatusInput!) { recordPregnancyStatus(patientId: $p, input: $i) { pregnancy { status } } }`,
      { p: patient.globalId, i: { status: 'PREGNANT', since: daysAgo(100) } },
      doctor.token,
    );
    const rx = await check((await draft(patient, ['metronidazole'])).id);
    expect(rx.safetyFindings.map((f) => [f.kind, f.severity])).toEqual([['PREGNANCY', 'LOW']]);
    expect((await ok(SIGN, { id: rx.id }, doctor.token)).status).toBe('ACTIVE');
  });

  it('runs the checks again when signing: a draft edited after its check is not signed past a new finding', async () => {
    const patient = await newPatient();
    await recordAllergy(patient, 'Penicillin');
    const rx = await check((await draft(patient, ['paracetamol'])).id);
    expect(rx.safetyFindings).toEqual([]);
    await ok(UPDATE, { id: rx.id, input: { diagnoses: ['J18.9'], items: [await item('amoxicillin')] } }, doctor.token);
    const outcome = await call(SIGN, { id: rx.id }, doctor.token);
    expect(outcome.code).toBe('CONFLICT');
    expect((await prisma().prescription.findUniqueOrThrow({ where: { id: rawId(rx) } })).status).toBe('draft');
  });

  it('reads the record fresh when signing: an allergy recorded after the check stops the signature', async () => {
    const patient = await newPatient();
    const rx = await check((await draft(patient, ['amoxicillin'])).id);
    expect(rx.safetyFindings).toEqual([]);
    await recordAllergy(patient, 'Penicillin');
    const outcome = await call(SIGN, { id: rx.id }, doctor.token);
    expect(outcome.code).toBe('CONFLICT');
    expect(outcome.response.errors![0].extensions!.findings).toEqual([expect.objectContaining({ kind: 'ALLERGY', severity: 'HIGH' })]);
  });

  it('keeps an override when the same finding is found again after an edit (the item moved, its dose changed)', async () => {
    const { rx, finding } = await allergicDraft();
    await ok(OVERRIDE, { f: finding.id, r: 'Desensitised by an allergist in 2024' }, doctor.token);
    await ok(
      UPDATE,
      {
        id: rx.id,
        input: { diagnoses: ['J18.9'], items: [await item('paracetamol'), await item('amoxicillin', { quantity: 30, durationDays: 10 })] },
      },
      doctor.token,
    );
    const again = await check(rx.id);
    const allergy = findingsOf(again, 'ALLERGY');
    expect(allergy).toHaveLength(1);
    expect(allergy[0].itemPositions).toEqual([positionOf(again, 'amoxicillin')]);
    expect(allergy[0].resolution).toMatchObject({ kind: 'OVERRIDDEN', reason: 'Desensitised by an allergist in 2024' });
    expect((await ok(SIGN, { id: rx.id }, doctor.token)).status).toBe('ACTIVE');
  });

  it('drops an override when the edit makes it a different finding (another penicillin), and signing needs a new one', async () => {
    const { rx, finding } = await allergicDraft();
    await ok(OVERRIDE, { f: finding.id, r: 'Desensitised to amoxicillin specifically' }, doctor.token);
    await ok(UPDATE, { id: rx.id, input: { diagnoses: ['J18.9'], items: [await item('cloxacillin')] } }, doctor.token);
    const again = await check(rx.id);
    expect(findingsOf(again, 'ALLERGY')).toEqual([
      expect.objectContaining({ resolution: null, itemPositions: [positionOf(again, 'cloxacillin')] }),
    ]);
    expect((await call(SIGN, { id: rx.id }, doctor.token)).code).toBe('CONFLICT');
  });

  it('drops a finding that is no longer found, and the signed prescription does not carry it', async () => {
    const { rx, finding } = await allergicDraft();
    await ok(OVERRIDE, { f: finding.id, r: 'Desensitised by an allergist in 2024' }, doctor.token);
    await ok(UPDATE, { id: rx.id, input: { diagnoses: ['J18.9'], items: [await item('azithromycin')] } }, doctor.token);
    expect((await check(rx.id)).safetyFindings).toEqual([]);
    const done = await ok(SIGN, { id: rx.id }, doctor.token);
    expect(done.safetyFindings).toEqual([]);
  });

  it.each([
    ['no ingredients', () => incomplete.none],
    ['an ingredient it does not know', () => incomplete.unknownIngredient],
  ])(
    'refuses signing when the knowledge base has an incomplete entry for an item (%s): SAFETY_CHECKS_UNAVAILABLE, nothing signed',
    async (_label, code) => {
      const patient = await newPatient();
      const rx = await draft(patient, [await item(code())]);
      const checked = await call(CHECK, { id: rx.id }, doctor.token);
      expect(checked.code).toBe('SAFETY_CHECKS_UNAVAILABLE');
      const outcome = await call(SIGN, { id: rx.id }, doctor.token);
      expect(outcome.code).toBe('SAFETY_CHECKS_UNAVAILABLE');
      expect(outcome.response.errors![0].extensions!.reason).toBe('knowledge');
      expect(await prisma().prescription.findUniqueOrThrow({ where: { id: rawId(rx) } })).toMatchObject({
        status: 'draft',
        signature: null,
      });
    },
  );
});

// =============================================================================================

describe('a signed prescription', () => {
  it('cannot be signed twice, edited, re-checked or have its findings resolved through the API', async () => {
    const patient = await newPatient();
    await recordAllergy(patient, 'Zorblatine');
    const rx = await signed(patient, ['paracetamol']);
    expect(rx.status).toBe('ACTIVE');
    const again = await call(SIGN, { id: rx.id }, doctor.token);
    expect(again.code).toBe('CONFLICT');
    const edit = await call(UPDATE, { id: rx.id, input: { diagnoses: ['R50.9'], items: [await item('ibuprofen')] } }, doctor.token);
    expect(edit.code).toBe('CONFLICT');
    const override = await call(OVERRIDE, { f: rx.safetyFindings[0].id, r: 'Changed my mind about this' }, doctor.token);
    expect(override.code).toBe('CONFLICT');
    const recheck = await call(CHECK, { id: rx.id }, doctor.token);
    expect(recheck.code).toBe('CONFLICT');
    const now = await ok(READ, { id: rx.id }, doctor.token);
    expect(now.items.map((i) => i.medication?.code)).toEqual(['paracetamol']);
    expect(now.safetyFindings).toEqual(rx.safetyFindings);
    expect(now.signature).toEqual(rx.signature);
    expect((await ok<Verification>(VERIFY, { r: rx.number }, doctor.token)).outcome).toBe('VALID');
  });

  // Found failing by this file, then fixed: the CONFLICT carries status NOT_DRAFT, not the prescription's status (README: statuses in extensions use the API's enum names).
  it('names its current status, as the API spells it, in the CONFLICT of a draft-only step', async () => {
    const patient = await newPatient();
    await recordAllergy(patient, 'Zorblatine');
    const rx = await signed(patient, ['paracetamol']);
    for (const [document, variables] of [
      [SIGN, { id: rx.id }],
      [UPDATE, { id: rx.id, input: { diagnoses: ['R50.9'], items: [await item('ibuprofen')] } }],
      [CHECK, { id: rx.id }],
      [OVERRIDE, { f: rx.safetyFindings[0].id, r: 'Changed my mind about this' }],
    ] as const) {
      const outcome = await call(document, variables, doctor.token);
      expect(outcome.response.errors?.[0].extensions, document.slice(0, 40)).toMatchObject({ code: 'CONFLICT', status: 'ACTIVE' });
    }
  });

  it.each([
    ['its notes', `UPDATE prescriptions SET notes = 'changed' WHERE id = $1::uuid`],
    ['its validity', `UPDATE prescriptions SET valid_until = valid_until + 30 WHERE id = $1::uuid`],
    ['its status back to draft', `UPDATE prescriptions SET status = 'draft' WHERE id = $1::uuid`],
    ['an item', `UPDATE prescription_items SET quantity = quantity + 10 WHERE prescription_id = $1::uuid`],
    ['an item removed', `DELETE FROM prescription_items WHERE prescription_id = $1::uuid`],
    ['a finding', `UPDATE prescription_findings SET severity = 'low' WHERE prescription_id = $1::uuid`],
    ['the prescription deleted', `DELETE FROM prescriptions WHERE id = $1::uuid`],
  ])('is refused by PostgreSQL itself when %s changes', async (_label, sql) => {
    const patient = await newPatient();
    await recordAllergy(patient, 'Zorblatine');
    const rx = await signed(patient, ['paracetamol']);
    await expect(prisma().$executeRawUnsafe(sql, rawId(rx))).rejects.toThrow();
    expect((await ok<Verification>(VERIFY, { r: rx.id }, doctor.token)).outcome).toBe('VALID');
  });

  it('refuses a new item added by SQL', async () => {
    const patient = await newPatient();
    const rx = await signed(patient, ['paracetamol']);
    const medicine = await prisma().medicine.findUniqueOrThrow({ where: { code: 'ibuprofen' } });
    await expect(
      prisma().prescriptionItem.create({
        data: {
          prescriptionId: rawId(rx),
          position: 2,
          medicineId: medicine.id,
          medicineName: 'Ibuprofen',
          strength: '400 mg',
          form: 'tablet',
          route: 'oral',
          doseAmount: 1,
          doseUnit: 'tablet',
          frequency: 'TID',
          durationDays: 3,
          quantity: 9,
        },
      }),
    ).rejects.toThrow();
  });

  it('is verified VALID by number and by id, and TAMPERED once changed in SQL past the triggers', async () => {
    const patient = await newPatient();
    const rx = await signed(patient, ['amoxicillin']);
    for (const reference of [rx.number, rx.id]) {
      const verification = await ok<Verification>(VERIFY, { r: reference }, doctor.token);
      expect(verification).toMatchObject({
        outcome: 'VALID',
        valid: true,
        dispensable: true,
        status: 'ACTIVE',
        number: rx.number,
        keyId: rx.signature!.keyId,
        validUntil: rx.validUntil,
        prescription: { id: rx.id },
      });
    }
    expect((await ok<Verification>(VERIFY, { r: rx.number }, staff.pharmacist.token)).outcome).toBe('VALID');
    await pastTheTriggers(`UPDATE prescription_items SET quantity = 90 WHERE prescription_id = $1::uuid`, rawId(rx));
    const tampered = await ok<Verification>(VERIFY, { r: rx.number }, doctor.token);
    expect(tampered).toMatchObject({ outcome: 'TAMPERED', valid: false, dispensable: false });
  });

  it('is TAMPERED when its patient or dates are changed in SQL', async () => {
    const patient = await newPatient();
    const other = await newPatient();
    const rx = await signed(patient, ['paracetamol']);
    await pastTheTriggers(`UPDATE prescriptions SET patient_id = $2::uuid WHERE id = $1::uuid`, rawId(rx), other.userId);
    expect((await ok<Verification>(VERIFY, { r: rx.id }, doctor.token)).outcome).toBe('TAMPERED');
    const second = await signed(patient, ['paracetamol']);
    await pastTheTriggers(`UPDATE prescriptions SET valid_until = valid_until + 300 WHERE id = $1::uuid`, rawId(second));
    expect((await ok<Verification>(VERIFY, { r: second.number }, doctor.token)).outcome).toBe('TAMPERED');
  });

  it.each([
    ['the notes', `UPDATE prescriptions SET notes = 'Take twice as much' WHERE id = $1::uuid`],
    ['the diagnoses', `UPDATE prescriptions SET diagnoses = ARRAY['Z00.0'] WHERE id = $1::uuid`],
    ['the prescriber', `UPDATE prescriptions SET prescriber_id = $2::uuid, signed_by = $2::uuid WHERE id = $1::uuid`],
    ['the clinic', `UPDATE prescriptions SET clinic_id = $3::uuid WHERE id = $1::uuid AND $2::uuid IS NOT NULL`],
    ['the issue date', `UPDATE prescriptions SET issued_on = issued_on - 1 WHERE id = $1::uuid`],
    ['the signing time', `UPDATE prescriptions SET signed_at = signed_at - interval '1 hour' WHERE id = $1::uuid`],
    ['a dose', `UPDATE prescription_items SET dose_amount = dose_amount * 2 WHERE prescription_id = $1::uuid AND position = 1`],
    ['a strength', `UPDATE prescription_items SET strength = '1 g' WHERE prescription_id = $1::uuid AND position = 1`],
    ['a frequency', `UPDATE prescription_items SET frequency = 'QID' WHERE prescription_id = $1::uuid AND position = 1`],
    ['the refills', `UPDATE prescription_items SET refills_allowed = 5 WHERE prescription_id = $1::uuid AND position = 1`],
    ['the substitution', `UPDATE prescription_items SET substitution_allowed = NOT substitution_allowed WHERE prescription_id = $1::uuid`],
    ['the instructions', `UPDATE prescription_items SET instructions = 'Other words' WHERE prescription_id = $1::uuid AND position = 1`],
    ['an item removed', `DELETE FROM prescription_items WHERE prescription_id = $1::uuid AND position = 2`],
    ['a finding removed', `DELETE FROM prescription_findings WHERE prescription_id = $1::uuid`],
    ['a finding made less severe', `UPDATE prescription_findings SET severity = 'low' WHERE prescription_id = $1::uuid`],
    ['the resolver of a finding', `UPDATE prescription_findings SET resolved_by = $2::uuid WHERE prescription_id = $1::uuid`],
  ])('is TAMPERED when %s changed in SQL past the triggers', async (_label, sql) => {
    const patient = await newPatient();
    await recordAllergy(patient, 'Zorblatine');
    const rx = await signed(patient, [await item('paracetamol', { instructions: 'Après le repas' }), 'amoxicillin'], {
      diagnoses: ['J18.9', 'R50.9'],
      notes: 'Review in a week',
    });
    expect(rx.safetyFindings.length).toBeGreaterThan(0);
    expect((await ok<Verification>(VERIFY, { r: rx.id }, doctor.token)).outcome).toBe('VALID');
    await pastTheTriggers(sql, rawId(rx), coDoctor.userId, clinicB.id);
    expect(await ok<Verification>(VERIFY, { r: rx.id }, doctor.token)).toMatchObject({
      outcome: 'TAMPERED',
      valid: false,
      dispensable: false,
    });
  });

  it('answers UNKNOWN_KEY for a signature by a key it does not hold', async () => {
    const patient = await newPatient();
    const rx = await signed(patient, ['paracetamol']);
    await pastTheTriggers(`UPDATE prescriptions SET signature_key_id = 'retired-long-ago' WHERE id = $1::uuid`, rawId(rx));
    expect(await ok<Verification>(VERIFY, { r: rx.id }, doctor.token)).toMatchObject({
      outcome: 'UNKNOWN_KEY',
      valid: false,
      dispensable: false,
    });
  });

  it('answers UNSIGNED for a draft and null for a number nobody has', async () => {
    const patient = await newPatient();
    const rx = await draft(patient, ['paracetamol']);
    expect(await ok<Verification>(VERIFY, { r: rx.number }, doctor.token)).toMatchObject({
      outcome: 'UNSIGNED',
      valid: false,
      dispensable: false,
    });
    expect((await call<Verification>(VERIFY, { r: 'RX-2026-999999' }, doctor.token)).value).toBeNull();
  });
});

// =============================================================================================

describe('status', () => {
  it('goes ACTIVE -> ON_HOLD -> ACTIVE -> CANCELLED with reasons, each step legal once, the rest CONFLICT naming the status', async () => {
    const patient = await newPatient();
    const rx = await signed(patient, ['paracetamol']);
    expect((await call(RESUME, { id: rx.id }, doctor.token)).response.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      status: 'ACTIVE',
    });
    const held = await ok(HOLD, { id: rx.id, r: 'Waiting for the liver tests' }, doctor.token);
    expect(held).toMatchObject({ status: 'ON_HOLD', statusReason: 'Waiting for the liver tests' });
    expect((await ok<Verification>(VERIFY, { r: rx.id }, doctor.token)).dispensable).toBe(false);
    expect((await call(HOLD, { id: rx.id, r: 'Again' }, doctor.token)).response.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      status: 'ON_HOLD',
    });
    expect((await ok(RESUME, { id: rx.id }, doctor.token)).status).toBe('ACTIVE');
    expect(await ok<Verification>(VERIFY, { r: rx.id }, doctor.token)).toMatchObject({ outcome: 'VALID', dispensable: true });
    const cancelled = await ok(CANCEL, { id: rx.id, r: 'Changed to another antibiotic' }, doctor.token);
    expect(cancelled).toMatchObject({ status: 'CANCELLED', statusReason: 'Changed to another antibiotic' });
    for (const [document, variables] of [
      [RESUME, { id: rx.id }],
      [HOLD, { id: rx.id, r: 'Hold it' }],
      [CANCEL, { id: rx.id, r: 'Cancel again' }],
      [IN_ERROR, { id: rx.id, r: 'Wrong patient' }],
    ] as const) {
      expect((await call(document, variables, doctor.token)).response.errors?.[0].extensions).toMatchObject({
        code: 'CONFLICT',
        status: 'CANCELLED',
      });
    }
    expect((await call(SIGN, { id: rx.id }, doctor.token)).code).toBe('CONFLICT');
    expect(await ok<Verification>(VERIFY, { r: rx.id }, doctor.token)).toMatchObject({ status: 'CANCELLED', dispensable: false });
  });

  it('cancels an on-hold prescription, and marks an active one entered in error (kept, never deleted)', async () => {
    const patient = await newPatient();
    const first = await signed(patient, ['paracetamol']);
    await ok(HOLD, { id: first.id, r: 'Waiting for results' }, doctor.token);
    expect((await ok(CANCEL, { id: first.id, r: 'Results came back bad' }, doctor.token)).status).toBe('CANCELLED');
    const second = await signed(patient, ['paracetamol']);
    expect((await ok(IN_ERROR, { id: second.id, r: 'Written for the wrong patient' }, doctor.token)).status).toBe('ENTERED_IN_ERROR');
    expect((await call(RESUME, { id: second.id }, doctor.token)).code).toBe('CONFLICT');
    expect(await prisma().prescription.count({ where: { patientId: patient.userId } })).toBe(2);
  });

  it('cancels a draft (never deletes it); a draft cannot be held or resumed', async () => {
    const patient = await newPatient();
    const rx = await draft(patient, ['paracetamol']);
    expect((await call(HOLD, { id: rx.id, r: 'Hold it' }, doctor.token)).response.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      status: 'DRAFT',
    });
    expect((await call(RESUME, { id: rx.id }, doctor.token)).response.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      status: 'DRAFT',
    });
    expect((await ok(CANCEL, { id: rx.id, r: 'Not needed after all' }, doctor.token)).status).toBe('CANCELLED');
    expect(await prisma().prescription.count({ where: { id: rawId(rx) } })).toBe(1);
    expect((await ok<Verification>(VERIFY, { r: rx.number }, doctor.token)).outcome).toBe('UNSIGNED');
  });

  it('refuses a blank reason', async () => {
    const patient = await newPatient();
    const rx = await signed(patient, ['paracetamol']);
    for (const document of [CANCEL, HOLD, IN_ERROR]) {
      const outcome = await call(document, { id: rx.id, r: '   ' }, doctor.token);
      expect(outcome.code).toBe('BAD_USER_INPUT');
      expect(pathsOf(outcome)).toContainEqual(['reason']);
    }
    expect((await ok(READ, { id: rx.id }, doctor.token)).status).toBe('ACTIVE');
  });

  it('refuses a reason of more than 500 characters as BAD_USER_INPUT', async () => {
    const patient = await newPatient();
    const rx = await signed(patient, ['paracetamol']);
    for (const document of [CANCEL, HOLD, IN_ERROR, REISSUE]) {
      const outcome = await call(document, { id: rx.id, r: 'r'.repeat(501) }, doctor.token);
      expect(outcome.code, document.slice(0, 40)).toBe('BAD_USER_INPUT');
      expect(pathsOf(outcome)).toContainEqual(['reason']);
    }
    expect((await ok(READ, { id: rx.id }, doctor.token)).status).toBe('ACTIVE');
  });

  it('may be held and cancelled by another doctor who treats the patient', async () => {
    const patient = await newPatient();
    const rx = await signed(patient, ['paracetamol']);
    expect((await ok(HOLD, { id: rx.id, r: 'Seen in the ward: hold it' }, coDoctor.token)).status).toBe('ON_HOLD');
    expect((await ok(CANCEL, { id: rx.id, r: 'Seen in the ward: stop it' }, coDoctor.token)).status).toBe('CANCELLED');
  });

  // Found failing by this file, then fixed: an edit that lands between the checks' read and their stored `checkedAt` is signed unchecked
  // (README: signing "makes sure it is the draft that was checked"). A race: 80 rounds make it show in practice.
  it('never signs content that was not checked when an edit races the signature', async () => {
    const patient = await newPatient();
    await recordAllergy(patient, 'Penicillin');
    for (let round = 0; round < 80; round++) {
      const rx = await check((await draft(patient, ['paracetamol'])).id);
      const amoxicillin = await item('amoxicillin');
      const [edit, signing] = await Promise.all([
        call(UPDATE, { id: rx.id, input: { diagnoses: ['J18.9'], items: [amoxicillin] } }, doctor.token),
        call(SIGN, { id: rx.id }, doctor.token),
      ]);
      const now = await ok(READ, { id: rx.id }, doctor.token);
      if (now.status === 'ACTIVE') {
        expect(signing.code).toBeUndefined();
        // Signed: it must be the content that was checked (paracetamol), the edit refused.
        expect(now.items.map((i) => i.medication?.code)).toEqual(['paracetamol']);
        expect(edit.code).toBe('CONFLICT');
      } else {
        expect(signing.code).toBe('CONFLICT');
        expect(now.status).toBe('DRAFT');
      }
      expect((await ok<Verification>(VERIFY, { r: rx.id }, doctor.token)).outcome).toBe(now.status === 'ACTIVE' ? 'VALID' : 'UNSIGNED');
    }
  });

  it('is signed once when two signatures race', async () => {
    const patient = await newPatient();
    const rx = await check((await draft(patient, ['paracetamol'])).id);
    const results = await Promise.all([call(SIGN, { id: rx.id }, doctor.token), call(SIGN, { id: rx.id }, doctor.token)]);
    expect(results.map((r) => r.code ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
    expect((await ok<Verification>(VERIFY, { r: rx.id }, doctor.token)).outcome).toBe('VALID');
  });

  it('is reissued once when two reissues race', async () => {
    const patient = await newPatient();
    const rx = await signed(patient, ['paracetamol']);
    const results = await Promise.all([
      call(REISSUE, { id: rx.id, r: 'Correct the dose please' }, doctor.token),
      call(REISSUE, { id: rx.id, r: 'Correct the dose please' }, doctor.token),
    ]);
    expect(results.map((r) => r.code ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
    expect(await prisma().prescription.count({ where: { patientId: patient.userId } })).toBe(2);
  });

  it('is changed only by a doctor who treats the patient', async () => {
    const patient = await newPatient();
    const rx = await signed(patient, ['paracetamol']);
    for (const token of [staff.nurse.token, staff.pharmacist.token, staff.admin.token, colleague.token, patient.token]) {
      for (const [document, variables] of [
        [CANCEL, { id: rx.id, r: 'Cancel it please' }],
        [HOLD, { id: rx.id, r: 'Hold it please' }],
        [IN_ERROR, { id: rx.id, r: 'Wrong one please' }],
        [REISSUE, { id: rx.id, r: 'Reissue it please' }],
      ] as const)
        expectRefused(await call(document, variables, token), ['FORBIDDEN', 'NOT_FOUND']);
    }
    expect((await ok(READ, { id: rx.id }, doctor.token)).status).toBe('ACTIVE');
  });
});

// =============================================================================================

describe('reissue', () => {
  it('cancels the signed prescription and returns a new draft with its content, linked both ways', async () => {
    const patient = await newPatient();
    const original = await signed(
      patient,
      [
        await item('amoxicillin', {
          strength: '500 mg',
          form: 'capsule',
          frequency: 'TID',
          quantity: 21,
          durationDays: 7,
          instructions: 'Après le repas',
        }),
      ],
      { diagnoses: ['J18.9'], notes: 'Review in a week', validityDays: 14 },
    );
    const next = await ok(REISSUE, { id: original.id, r: 'Dose to be corrected' }, doctor.token);
    expect(next.status).toBe('DRAFT');
    expect(next.id).not.toBe(original.id);
    expect(next.number).not.toBe(original.number);
    expect(next.number).toMatch(numberPattern());
    expect(next.replaces).toMatchObject({ id: original.id, status: 'CANCELLED' });
    expect(next.diagnoses).toEqual(['J18.9']);
    expect(next.notes).toBe('Review in a week');
    expect(next.validityDays).toBe(14);
    const strip = (items: Item[]) => items.map(({ id: _id, ...rest }) => rest);
    expect(strip(next.items)).toEqual(strip(original.items));
    expect(next.signature).toBeNull();
    const old = await ok(READ, { id: original.id }, doctor.token);
    expect(old).toMatchObject({ status: 'CANCELLED', replacedBy: { id: next.id } });
    expect((await ok<Verification>(VERIFY, { r: original.number }, doctor.token)).dispensable).toBe(false);
    expect((await call(REISSUE, { id: original.id, r: 'Again please' }, doctor.token)).code).toBe('CONFLICT');
    await check(next.id);
    expect((await ok(SIGN, { id: next.id }, doctor.token)).status).toBe('ACTIVE');
  });

  it('is for signed prescriptions: a draft is edited, not reissued', async () => {
    const patient = await newPatient();
    const rx = await draft(patient, ['paracetamol']);
    expect((await call(REISSUE, { id: rx.id, r: 'Correct the dose' }, doctor.token)).code).toBe('CONFLICT');
    expect(await prisma().prescription.count({ where: { patientId: patient.userId } })).toBe(1);
  });
});

// =============================================================================================

describe('expiry', () => {
  it('is seen at once past validUntil, with no job run: in reads, lists, verification and transitions', async () => {
    const patient = await newPatient();
    const rx = await insertSigned({
      patientId: patient.userId,
      prescriberId: doctor.userId,
      clinicId: clinicA.id,
      medicineCode: 'paracetamol',
      number: `RX-2097-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
      issuedOn: daysAgo(32),
      validUntil: daysAgo(2),
    });
    expect((await ok(READ, { id: rx.globalId }, doctor.token)).status).toBe('EXPIRED');
    expect((await ok(READ, { id: rx.globalId }, patient.token)).status).toBe('EXPIRED');
    const expired = await ok<{ prescriptions: { edges: Array<{ node: { id: string; status: string } }> } }>(
      PATIENT_LIST,
      { p: patient.globalId, first: 10, status: 'EXPIRED' },
      doctor.token,
    );
    expect(expired.prescriptions.edges.map((e) => e.node)).toEqual([{ id: rx.globalId, number: rx.number, status: 'EXPIRED' }]);
    const active = await ok<{ prescriptions: { edges: unknown[] } }>(
      PATIENT_LIST,
      { p: patient.globalId, first: 10, status: 'ACTIVE' },
      doctor.token,
    );
    expect(active.prescriptions.edges).toEqual([]);
    const mine = await ok<{ edges: Array<{ node: { status: string } }> }>(MY_LIST, { first: 10 }, patient.token);
    expect(mine.edges.map((e) => e.node.status)).toEqual(['EXPIRED']);
    expect(await ok<Verification>(VERIFY, { r: rx.globalId }, doctor.token)).toMatchObject({ status: 'EXPIRED', dispensable: false });
    expect((await call(HOLD, { id: rx.globalId, r: 'Hold it please' }, doctor.token)).response.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      status: 'EXPIRED',
    });
    expect((await call(CANCEL, { id: rx.globalId, r: 'Cancel it please' }, doctor.token)).response.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      status: 'EXPIRED',
    });
    expect((await prisma().prescription.findUniqueOrThrow({ where: { id: rx.id } })).status).toBe('active');
  });

  it('is not yet reached on its last day', async () => {
    const patient = await newPatient();
    const rx = await insertSigned({
      patientId: patient.userId,
      prescriberId: doctor.userId,
      clinicId: clinicA.id,
      medicineCode: 'paracetamol',
      number: `RX-2096-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
      issuedOn: daysAgo(30),
      validUntil: today(),
    });
    expect((await ok(READ, { id: rx.globalId }, doctor.token)).status).toBe('ACTIVE');
  });
});

// =============================================================================================

describe('who reads a prescription', () => {
  let patient: TestPatient;
  let other: TestPatient;
  let active: Rx;
  let pending: Rx;

  beforeAll(async () => {
    patient = await newPatient();
    other = await newPatient();
    await recordAllergy(patient, 'Penicillin');
    active = await signed(patient, ['amoxicillin']);
    pending = await draft(patient, ['paracetamol']);
    await ok(
      `mutation($p: ID!) { requestEmergencyAccess(patientId: $p, reason: "Severe anaphylaxis in the waiting room") { id } }`,
      { p: patient.globalId },
      emergencyDoctor.token,
    );
  });

  const readers = () =>
    ({
      doctor: doctor.token,
      coDoctor: coDoctor.token,
      nurse: staff.nurse.token,
      emergencyDoctor: emergencyDoctor.token,
      pharmacist: staff.pharmacist.token,
      patient: patient.token,
    }) as Record<string, string>;
  const outsiders = () =>
    ({
      colleague: colleague.token,
      receptionist: staff.receptionist.token,
      admin: staff.admin.token,
      labTechnician: staff.labTechnician.token,
      pharmacistB: staff.pharmacistB.token,
      adminB: staff.adminB.token,
      otherPatient: other.token,
    }) as Record<string, string>;

  it.each(['doctor', 'coDoctor', 'nurse', 'emergencyDoctor', 'pharmacist', 'patient'])(
    'lets the %s read the signed one, with its override, through prescription(id) and node(id)',
    async (who) => {
      for (const document of [READ, NODE]) {
        const rx = await ok(document, { id: active.id }, readers()[who]);
        expect(rx).toMatchObject({ id: active.id, number: active.number, status: 'ACTIVE' });
        expect(findingsOf(rx, 'ALLERGY')[0].resolution).toMatchObject({ kind: 'OVERRIDDEN', reason: 'Benefit outweighs the risk here' });
      }
    },
  );

  it.each(['colleague', 'receptionist', 'admin', 'labTechnician', 'pharmacistB', 'adminB', 'otherPatient'])(
    'gives the %s nothing of it',
    async (who) => {
      for (const id of [active.id, pending.id]) {
        expectRefused(await call(READ, { id }, outsiders()[who]), ['FORBIDDEN', 'NOT_FOUND'], active.number);
        const viaNode = await call<{ id: string }>(NODE, { id }, outsiders()[who]);
        expect(viaNode.value ?? null).toBeNull();
        expect(JSON.stringify(viaNode.response)).not.toContain('Amoxicillin');
      }
    },
  );

  it("shows a pharmacist only their own clinic's prescriptions", async () => {
    const someone = await newPatient();
    await ok(
      `mutation($p: ID!) { requestEmergencyAccess(patientId: $p, reason: "Collapsed at the bus station") { id } }`,
      { p: someone.globalId },
      emergencyDoctor.token,
    );
    const written = await ok(
      CREATE,
      { input: await newInput(someone, ['paracetamol'], { clinicId: clinicB.globalId }) },
      emergencyDoctor.token,
    );
    await check(written.id, emergencyDoctor.token);
    const atB = await ok(SIGN, { id: written.id }, emergencyDoctor.token);
    expect(atB.clinic?.id).toBe(clinicB.globalId);
    const SHORT = `query($id: ID!) { prescription(id: $id) { id status clinic { id } items { medicationName } } }`;
    expect((await ok<{ status: string }>(SHORT, { id: atB.id }, staff.pharmacistB.token)).status).toBe('ACTIVE');
    expectRefused(await call(SHORT, { id: atB.id }, staff.pharmacist.token), ['FORBIDDEN', 'NOT_FOUND'], atB.number);
    expect((await ok(READ, { id: atB.id }, staff.nurse.token)).status).toBe('ACTIVE');
  });

  // Found failing by this file, then fixed: "signed" is read as "not a draft", so a draft cancelled unsigned is shown (README table: "read (signed ones)").
  it.each(['patient', 'pharmacist'] as const)('never shows the %s a draft that was cancelled unsigned', async (who) => {
    const someone = await newPatient();
    const dropped = await draft(someone, ['ibuprofen']);
    await ok(CANCEL, { id: dropped.id, r: 'Not needed after all' }, doctor.token);
    expect((await ok<Verification>(VERIFY, { r: dropped.id }, doctor.token)).outcome).toBe('UNSIGNED');
    const token = who === 'patient' ? someone.token : staff.pharmacist.token;
    expectRefused(await call(READ, { id: dropped.id }, token), ['FORBIDDEN', 'NOT_FOUND'], dropped.number);
    if (who === 'patient') {
      const mine = await ok<{ edges: Array<{ node: { id: string } }> }>(MY_LIST, { first: 50 }, someone.token);
      expect(mine.edges.map((e) => e.node.id)).not.toContain(dropped.id);
    }
  });

  it('verifies for someone who may not read it without handing them the prescription', async () => {
    for (const token of [staff.pharmacistB.token, colleague.token, other.token, staff.admin.token, staff.adminB.token]) {
      const outcome = await call<Verification>(VERIFY, { r: active.id }, token);
      expect(outcome.value?.prescription ?? null).toBeNull();
      expect(JSON.stringify(outcome.response)).not.toContain('Amoxicillin');
    }
  });

  it('gives an anonymous caller UNAUTHENTICATED, through prescription(id) and node(id)', async () => {
    expectRefused(await call(READ, { id: active.id }), ['UNAUTHENTICATED'], active.number);
    expectRefused(await call(NODE, { id: active.id }), ['UNAUTHENTICATED'], active.number);
  });

  it('shows drafts to the care team, never to the patient or the pharmacist', async () => {
    for (const token of [doctor.token, staff.nurse.token, coDoctor.token])
      expect((await ok(READ, { id: pending.id }, token)).status).toBe('DRAFT');
    for (const token of [patient.token, staff.pharmacist.token]) {
      expectRefused(await call(READ, { id: pending.id }, token), ['FORBIDDEN', 'NOT_FOUND'], pending.number);
      expect((await call<{ id: string }>(NODE, { id: pending.id }, token)).value ?? null).toBeNull();
    }
  });

  it("lists the patient's own signed ones in myPrescriptions and patient.prescriptions, never the drafts", async () => {
    const mine = await ok<{ totalCount: number; edges: Array<{ node: { id: string; status: string } }> }>(
      MY_LIST,
      { first: 20 },
      patient.token,
    );
    expect(mine.edges.map((e) => e.node.id)).toEqual([active.id]);
    expect(mine.totalCount).toBe(1);
    const drafts = await call<{ edges: unknown[] }>(MY_LIST, { first: 20, status: 'DRAFT' }, patient.token);
    if (drafts.code) expect(pathsOf(drafts)).toEqual([['status']]);
    else expect(drafts.value!.edges).toEqual([]);
    expect(JSON.stringify(drafts.response)).not.toContain(pending.number);
    const own = await call<{ prescriptions: { totalCount: number; edges: Array<{ node: { id: string } }> } | null }>(
      PATIENT_LIST,
      { p: patient.globalId, first: 20 },
      patient.token,
    );
    expect(JSON.stringify(own.response)).not.toContain(pending.number);
    if (own.value?.prescriptions) expect(own.value.prescriptions.edges.map((e) => e.node.id)).toEqual([active.id]);
    const theirs = await ok<{ edges: unknown[] }>(MY_LIST, { first: 20 }, other.token);
    expect(theirs.edges).toEqual([]);
  });

  it("lists drafts and signed ones for the care team in patient.prescriptions, newest first, and the doctor's own in prescribedByMe", async () => {
    const list = await ok<{ prescriptions: { totalCount: number; edges: Array<{ node: { id: string } }> } }>(
      PATIENT_LIST,
      { p: patient.globalId, first: 20 },
      staff.nurse.token,
    );
    expect(list.prescriptions.edges.map((e) => e.node.id)).toEqual([pending.id, active.id]);
    expect(list.prescriptions.totalCount).toBe(2);
    const byMe = await ok<{ edges: Array<{ node: { id: string; createdAt: string } }> }>(BY_ME, { first: 100 }, doctor.token);
    const ids = byMe.edges.map((e) => e.node.id);
    expect(ids).toContain(pending.id);
    expect(ids.indexOf(pending.id)).toBeLessThan(ids.indexOf(active.id));
    const times = byMe.edges.map((e) => Date.parse(e.node.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const byColleague = await ok<{ edges: Array<{ node: { id: string } }> }>(BY_ME, { first: 100 }, colleague.token);
    expect(byColleague.edges.map((e) => e.node.id)).not.toContain(active.id);
  });

  it('does not list the patient prescriptions to the pharmacist of another clinic or the front desk', async () => {
    for (const token of [staff.pharmacistB.token, staff.receptionist.token, staff.labTechnician.token, colleague.token]) {
      const outcome = await call<{ prescriptions: unknown }>(PATIENT_LIST, { p: patient.globalId, first: 20 }, token);
      expect(JSON.stringify(outcome.response)).not.toContain(active.number);
    }
  });

  it('audits every read as a read of the patient data: who, which patient, the purpose', async () => {
    const since = new Date();
    const who: Array<[Person | { userId: string; token: string }, string]> = [
      [doctor, 'normal'],
      [staff.nurse, 'normal'],
      [staff.pharmacist, 'normal'],
      [{ userId: patient.userId, token: patient.token }, 'normal'],
      [emergencyDoctor, 'emergency'],
    ];
    for (const [reader] of who) await ok(READ, { id: active.id }, reader.token);
    await ok(MY_LIST, { first: 5 }, patient.token);
    await ok(VERIFY, { r: active.number }, staff.pharmacist.token);
    const entries = (await auditOf(patient.userId)).filter((e) => (e.at as Date) >= since && e.action === 'read');
    for (const [reader, purpose] of who) {
      const theirs = entries.filter((e) => e.actor?.userId === reader.userId && /Prescri/.test(String(e.resource)));
      expect(theirs.length, `reads by ${reader.userId}`).toBeGreaterThan(0);
      expect(theirs.every((e) => e.result === 'success' && e.purpose === purpose)).toBe(true);
      expect(theirs.some((e) => (e.fields as string[]).length > 0)).toBe(true);
    }
    expect(JSON.stringify(entries)).not.toContain('Benefit outweighs');
  });

  it('audits a refused look at the prescription', async () => {
    const since = new Date();
    await call(READ, { id: active.id }, staff.pharmacistB.token);
    await call(READ, { id: active.id }, colleague.token);
    const entries = (await auditOf(patient.userId)).filter((e) => (e.at as Date) >= since);
    for (const reader of [staff.pharmacistB, colleague])
      expect(entries.filter((e) => e.actor?.userId === reader.userId && e.result === 'denied').length, reader.userId).toBeGreaterThan(0);
  });

  it('shows the audit trail of prescription reads to the admin of the clinic', async () => {
    await ok(READ, { id: active.id }, staff.pharmacist.token);
    const trail = await ok<{ edges: Array<{ node: { resource: string; action: string; actor: { role: string } | null } }> }>(
      `query($p: ID!) { auditTrail(patientId: $p, first: 100) { edges { node { resource action actor { role } } } } }`,
      { p: patient.globalId },
      staff.admin.token,
    );
    expect(trail.edges.map((e) => e.node)).toContainEqual(
      expect.objectContaining({ action: 'READ', actor: { role: 'PHARMACIST' }, resource: expect.stringMatching(/Prescri/) }),
    );
  });
});

// =============================================================================================

describe('the cost of a page', () => {
  let patient: TestPatient;
  let prescriber: Person;

  beforeAll(async () => {
    const row = await createDoctor(prisma(), { clinicIds: [clinicA.id] });
    prescriber = await person(row);
    patient = await createPatient(prisma(), { clinicId: clinicA.id, clinicianIds: [row.userId] }).then(async (p) => ({
      ...p,
      token: await api.token(p),
    }));
    const codes = ['paracetamol', 'amoxicillin', 'ibuprofen', 'metformin', 'amlodipine'];
    for (let i = 0; i < 55; i++)
      await insertSigned({
        patientId: patient.userId,
        prescriberId: row.userId,
        clinicId: clinicA.id,
        medicineCode: codes[i % codes.length],
        number: `RX-2095-${String(i + 1).padStart(6, '0')}`,
        issuedOn: daysAgo(1),
        validUntil: daysAgo(-29),
        finding: i % 2 === 0,
      });
  });

  const PAGE = `edges { node { id number status validUntil diagnoses
    items { medicationName strength dose { amount unit } medication { genericName atcCode } }
    patient { firstName lastName } prescriber { displayName } clinic { name }
    safetyFindings { kind severity resolution { kind by { name role } } }
    signature { keyId } replaces { id } replacedBy { id } } }`;

  async function statementsFor(document: string, variables: Record<string, unknown>, token: string, expected: number) {
    const before = api.database.statementCount;
    const response = await api.graphql<Record<string, unknown>>(document, variables, token);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    expect(JSON.stringify(response.data).match(/"number"/g)?.length).toBe(expected);
    return api.database.statementCount - before;
  }

  it.each([
    ['patient.prescriptions', `query($p: ID!, $n: Int!) { patient(id: $p) { prescriptions(first: $n) { ${PAGE} } } }`, 'prescriber'],
    ['prescribedByMe', `query($n: Int!) { prescribedByMe(first: $n) { ${PAGE} } }`, 'prescriber'],
    ['myPrescriptions', `query($n: Int!) { myPrescriptions(first: $n) { ${PAGE} } }`, 'patient'],
  ])('costs the same statements for a page of 50 as for a page of 5: %s', async (_label, document, as) => {
    const token = as === 'patient' ? patient.token : prescriber.token;
    await statementsFor(document, { p: patient.globalId, n: 5 }, token, 5);
    const five = await statementsFor(document, { p: patient.globalId, n: 5 }, token, 5);
    const fifty = await statementsFor(document, { p: patient.globalId, n: 50 }, token, 50);
    expect(fifty).toBe(five);
    expect(five).toBeLessThan(20);
  });
});

// =============================================================================================

describe('MongoDB frozen while signing (an API and a MongoDB of its own)', () => {
  let mongo: OwnMongo | undefined;
  beforeAll(async () => {
    mongo = await startOwnMongo();
  }, 30_000);
  afterAll(async () => {
    await mongo?.stop();
  });
  const frozenApi = useTestApi({ mongoUri: () => mongo!.uri, manualJobs: true });

  it('refuses to check or sign with SAFETY_CHECKS_UNAVAILABLE (the record), signs nothing, and signs once MongoDB is back', async () => {
    const db = frozenApi.database.prisma;
    const clinic = await createClinic(db);
    const row = await createDoctor(db, { clinicIds: [clinic.id] });
    const token = await frozenApi.token(row);
    const patient = await createPatient(db, { clinicId: clinic.id, clinicianIds: [row.userId] });
    const input = {
      patientId: patient.globalId,
      clinicId: clinic.globalId,
      diagnoses: ['R50.9'],
      items: [await itemInput(db, 'paracetamol')],
    };
    const created = await frozenApi.graphql<{ createPrescription: { id: string } }>(
      `mutation($input: NewPrescriptionInput!) { createPrescription(input: $input) { id } }`,
      { input },
      token,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createPrescription.id;
    mongo!.freeze();
    try {
      const checked = await frozenApi.graphql(`mutation($id: ID!) { checkPrescription(id: $id) { id } }`, { id }, token);
      expect(checked.errors?.[0].extensions).toMatchObject({ code: 'SAFETY_CHECKS_UNAVAILABLE', reason: 'record' });
      const started = performance.now();
      const signing = await frozenApi.graphql(`mutation($id: ID!) { signPrescription(id: $id) { id status } }`, { id }, token);
      expect(signing.errors?.[0].extensions).toMatchObject({ code: 'SAFETY_CHECKS_UNAVAILABLE', reason: 'record' });
      expect(signing.data?.signPrescription ?? null).toBeNull();
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(await db.prescription.findUniqueOrThrow({ where: { id: rawId({ id }) } })).toMatchObject({ status: 'draft', signature: null });
    } finally {
      mongo!.thaw();
    }
    let signed: GraphQLResponse<{ signPrescription: { status: string } }> | undefined;
    for (let attempt = 0; attempt < 20 && signed?.data?.signPrescription?.status !== 'ACTIVE'; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 250));
      signed = await frozenApi.graphql(`mutation($id: ID!) { signPrescription(id: $id) { status } }`, { id }, token);
    }
    expect(signed?.data?.signPrescription.status).toBe('ACTIVE');
  }, 60_000);
});
