// Who sees which field of a patient: a declarative table (situation -> what may be seen), turned
// into tests that ask every sensitive field through patient(id:), node(id:) and aliases, plus a
// race between two users running the same query. The table is the specification; it is written
// from the access rules of the product, not from the code.
import { beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { useTestApi, type GraphQLResponse } from '../harness/api.js';
import { createClinic, createPatient, createPrescription, createRecord, createStaff, itemInput } from '../factories.js';

/**
 * `edits`: may change contact details, insurance and language (updatePatient); `records`: may write
 * the medical history (recordPregnancyStatus, recordLactationStatus).
 */
type Sees = { identity: boolean; contact: boolean; clinical: boolean; edits: boolean; records: boolean };
const ALL: Sees = { identity: true, contact: true, clinical: true, edits: false, records: true };
const OWN: Sees = { ...ALL, edits: true, records: false };
const IDENTITY: Sees = { identity: true, contact: false, clinical: false, edits: false, records: false };
const FRONT_DESK: Sees = { identity: true, contact: true, clinical: false, edits: true, records: false };
const NOTHING: Sees = { identity: false, contact: false, clinical: false, edits: false, records: false };

/** Situations relative to one patient registered at clinic A and followed there by one doctor. */
const TABLE: Record<string, Sees> = {
  'the patient themself': OWN,
  'another patient': NOTHING,
  'anonymous caller': NOTHING,
  'assigned doctor (clinic A)': ALL,
  'doctor at clinic A, not assigned': IDENTITY,
  'doctor at clinic B': NOTHING,
  'doctor at clinic B with emergency access': ALL,
  'doctor at clinic B whose emergency access expired': NOTHING,
  'nurse at clinic A': ALL,
  'nurse at clinic B': NOTHING,
  'receptionist at clinic A': FRONT_DESK,
  'receptionist at clinic B': NOTHING,
  'admin at clinic A': FRONT_DESK,
  'admin at clinic B': NOTHING,
  'pharmacist at clinic A': IDENTITY,
  'lab technician at clinic A': IDENTITY,
};

/** Prescriptions: who reads a signed one (and a draft), who may write one for the patient. */
type Prescribing = { readsSigned: boolean; readsDraft: boolean; prescribes: boolean };
const PRESCRIBER: Prescribing = { readsSigned: true, readsDraft: true, prescribes: true };
const CARE_TEAM: Prescribing = { readsSigned: true, readsDraft: true, prescribes: false };
const SIGNED_ONLY: Prescribing = { readsSigned: true, readsDraft: false, prescribes: false };
const NONE: Prescribing = { readsSigned: false, readsDraft: false, prescribes: false };
const PRESCRIPTIONS: Record<string, Prescribing> = {
  'the patient themself': SIGNED_ONLY,
  'another patient': NONE,
  'anonymous caller': NONE,
  'assigned doctor (clinic A)': PRESCRIBER,
  'doctor at clinic A, not assigned': NONE,
  'doctor at clinic B': NONE,
  'doctor at clinic B with emergency access': PRESCRIBER,
  'doctor at clinic B whose emergency access expired': NONE,
  'nurse at clinic A': CARE_TEAM,
  'nurse at clinic B': NONE,
  'receptionist at clinic A': NONE,
  'receptionist at clinic B': NONE,
  'admin at clinic A': NONE,
  'admin at clinic B': NONE,
  'pharmacist at clinic A': SIGNED_ONLY,
  'lab technician at clinic A': NONE,
};

const FIELDS = {
  identity: ['firstName', 'lastName', 'dateOfBirth', 'gender', 'preferredLanguage'],
  contact: ['nationalId', 'email', 'phone', 'address', 'emergencyContact', 'insurance'],
  clinical: ['medicalHistory'],
} as const;

const SELECTION =
  'id firstName lastName dateOfBirth gender preferredLanguage nationalId email phone address { city } emergencyContact { name } insurance { provider } medicalHistory { allergies { substance } }';

const PATHS: Record<string, { query: string; roots: string[] }> = {
  'patient(id:)': { query: `query($id: ID!) { patient(id: $id) { ${SELECTION} } }`, roots: ['patient'] },
  'node(id:)': { query: `query($id: ID!) { node(id: $id) { ... on Patient { ${SELECTION} } } }`, roots: ['node'] },
  'two aliases': {
    query: `query($id: ID!) { first: patient(id: $id) { ${SELECTION} } second: node(id: $id) { ... on Patient { ${SELECTION} } } }`,
    roots: ['first', 'second'],
  },
};

const api = useTestApi();
const tokens = new Map<string, string | undefined>();
let patient: Awaited<ReturnType<typeof createPatient>>;
let patientData: { firstName: string; email: string; nationalId: string };

beforeAll(async () => {
  const prisma = api.database.prisma;
  const [clinicA, clinicB] = [await createClinic(prisma), await createClinic(prisma)];
  const staff = async (role: Parameters<typeof createStaff>[1], clinic: { id: string }) => createStaff(prisma, role, clinic.id);
  const assigned = await staff('doctor', clinicA);
  patient = await createPatient(prisma, { firstName: 'Matrix', clinicId: clinicA.id, clinicianIds: [assigned.userId] });
  await createRecord(api.mongo.db, patient.userId);
  await prisma.userProfile.update({
    where: { userId: patient.userId },
    data: { insurance: { provider: 'Mutuelle Matrix', policyNumber: 'M-1' } },
  });
  const stored = await prisma.user.findUniqueOrThrow({ where: { id: patient.userId }, include: { profile: true } });
  patientData = { firstName: stored.profile!.firstName, email: stored.email, nationalId: stored.profile!.nationalId! };
  const emergencyDoctor = await staff('doctor', clinicB);
  const expiredDoctor = await staff('doctor', clinicB);
  const now = Date.now();
  await prisma.emergencyAccessGrant.create({
    data: {
      staffUserId: emergencyDoctor.userId,
      patientId: patient.userId,
      clinicId: clinicB.id,
      reason: 'Unconscious in the emergency room',
      expiresAt: new Date(now + 3_600_000),
    },
  });
  await prisma.emergencyAccessGrant.create({
    data: {
      staffUserId: expiredDoctor.userId,
      patientId: patient.userId,
      clinicId: clinicB.id,
      reason: 'Unconscious in the emergency room',
      createdAt: new Date(now - 7_200_000),
      expiresAt: new Date(now - 3_600_000),
    },
  });
  const who: Record<string, { userId: string } | undefined> = {
    'the patient themself': { userId: patient.userId },
    'another patient': await createPatient(prisma, { clinicId: clinicA.id }),
    'anonymous caller': undefined,
    'assigned doctor (clinic A)': assigned,
    'doctor at clinic A, not assigned': await staff('doctor', clinicA),
    'doctor at clinic B': await staff('doctor', clinicB),
    'doctor at clinic B with emergency access': emergencyDoctor,
    'doctor at clinic B whose emergency access expired': expiredDoctor,
    'nurse at clinic A': await staff('nurse', clinicA),
    'nurse at clinic B': await staff('nurse', clinicB),
    'receptionist at clinic A': await staff('receptionist', clinicA),
    'receptionist at clinic B': await staff('receptionist', clinicB),
    'admin at clinic A': await staff('admin', clinicA),
    'admin at clinic B': await staff('admin', clinicB),
    'pharmacist at clinic A': await staff('pharmacist', clinicA),
    'lab technician at clinic A': await staff('lab_technician', clinicA),
  };
  for (const [situation, user] of Object.entries(who)) tokens.set(situation, user ? await api.token(user) : undefined);
  const written = { patientId: patient.userId, prescriberId: assigned.userId, clinicId: clinicA.id };
  prescriptions = {
    signed: (await createPrescription(prisma, written)).globalId,
    draft: (await createPrescription(prisma, { ...written, status: 'draft' })).globalId,
    item: await itemInput(prisma, 'paracetamol'),
  };
  const invoice = await prisma.invoice.create({
    data: {
      clinicId: clinicA.id,
      patientId: patient.userId,
      totalXaf: 15_000,
      insurerShareXaf: 0,
      patientShareXaf: 15_000,
      createdBy: assigned.userId,
    },
  });
  invoiceId = toGlobalId('Invoice', invoice.id);
  dispensaryId = toGlobalId(
    'Pharmacy',
    (await prisma.pharmacy.findFirstOrThrow({ where: { clinicId: clinicA.id, kind: 'dispensary' } })).id,
  );
});

let prescriptions: { signed: string; draft: string; item: Record<string, unknown> };
let dispensaryId: string;
let invoiceId: string;

type Response = GraphQLResponse<Record<string, Record<string, unknown> | null>>;

/** Asserts, field by field, that `response` shows exactly what `sees` allows under `root`. */
function expectVisibility(response: Response, root: string, sees: Sees, anonymous: boolean) {
  const denied = anonymous ? 'UNAUTHENTICATED' : 'FORBIDDEN';
  const object = response.data?.[root] ?? null;
  const errorAt = (field?: string) => response.errors?.find((e) => e.path?.[0] === root && (field === undefined || e.path?.[1] === field));
  if (!sees.identity) {
    expect(object, `${root} must be null`).toBeNull();
    // A refused non-null root nulls the whole response; a sibling alias may then go unreported.
    const refusal = errorAt() ?? (response.data === null ? response.errors?.[0] : undefined);
    expect(refusal?.extensions?.code).toBe(denied);
    return;
  }
  expect(object).not.toBeNull();
  expect(object!.firstName).toBe(patientData.firstName);
  for (const group of ['contact', 'clinical'] as const) {
    for (const field of FIELDS[group]) {
      if (sees[group]) {
        expect(errorAt(field), `${field} must be visible`).toBeUndefined();
      } else {
        expect(object![field], `${field} must be hidden`).toBeNull();
        expect(errorAt(field)?.extensions?.code, `${field} must be refused`).toBe(denied);
      }
    }
  }
  if (sees.contact)
    expect(object).toMatchObject({
      email: patientData.email,
      nationalId: patientData.nationalId,
      insurance: { provider: 'Mutuelle Matrix' },
    });
  if (sees.clinical) expect(object!.medicalHistory).toEqual({ allergies: [{ substance: 'Latex' }] });
}

describe('who sees which patient field', () => {
  for (const [situation, sees] of Object.entries(TABLE)) {
    for (const [pathName, path] of Object.entries(PATHS)) {
      it(`${situation} through ${pathName}: identity ${sees.identity ? 'yes' : 'no'}, contact ${sees.contact ? 'yes' : 'no'}, clinical ${sees.clinical ? 'yes' : 'no'}`, async () => {
        const response = (await api.graphql(path.query, { id: patient.globalId }, tokens.get(situation))) as Response;
        for (const root of path.roots) expectVisibility(response, root, sees, situation === 'anonymous caller');
        if (!sees.identity) expect(JSON.stringify(response)).not.toContain(patientData.firstName);
        if (!sees.contact) expect(JSON.stringify(response)).not.toContain(patientData.nationalId);
        if (!sees.clinical) expect(JSON.stringify(response)).not.toContain('Latex');
      });
    }
  }
});

/** Who works at clinic A, where the patient is registered: a search there finds them. */
const AT_CLINIC_A = (situation: string) => situation.includes('clinic A');
const SEARCH = `query { patients(search: { text: "matrix" }, first: 5) { edges { node { ${SELECTION} } } } }`;

describe('the same table through the front desk search', () => {
  for (const [situation, sees] of Object.entries(TABLE)) {
    it(`${situation}: ${AT_CLINIC_A(situation) ? 'finds the patient and sees what the table says' : 'finds nothing'}`, async () => {
      const response = await api.graphql<{ patients: { edges: Array<{ node: Record<string, unknown> }> } }>(
        SEARCH,
        {},
        tokens.get(situation),
      );
      if (!AT_CLINIC_A(situation)) {
        expect(response.data?.patients.edges ?? []).toEqual([]);
        expect(JSON.stringify(response)).not.toContain(patientData.firstName);
        return;
      }
      expect(response.data!.patients.edges).toHaveLength(1);
      // Seen as a patient(id:) answer: the node at the root, its errors by field.
      const asRoot = {
        ...response,
        data: { patients: response.data!.patients.edges[0].node },
        errors: response.errors?.map((error) => ({ ...error, path: ['patients', error.path!.at(-1)!] })),
      };
      expectVisibility(asRoot as Response, 'patients', sees, false);
    });
  }
});

describe('who may change contact details (updatePatient)', () => {
  const UPDATE = `mutation($id: ID!) { updatePatient(id: $id, input: { preferredLanguage: FR }) { id } }`;
  for (const [situation, sees] of Object.entries(TABLE)) {
    it(`${situation}: ${sees.edits ? 'may' : 'may not'}`, async () => {
      const response = await api.graphql(UPDATE, { id: patient.globalId }, tokens.get(situation));
      if (sees.edits) expect(response.errors).toBeUndefined();
      else expect(response.errors?.[0].extensions?.code).toBe(situation === 'anonymous caller' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    });
  }
});

describe('who reads and who writes prescriptions', () => {
  const READ = `query($id: ID!) { prescription(id: $id) { number status items { medicationName } safetyFindings { kind } } }`;
  const CREATE = `mutation($input: NewPrescriptionInput!) { createPrescription(input: $input) { number status } }`;
  for (const [situation, may] of Object.entries(PRESCRIPTIONS)) {
    const refused = situation === 'anonymous caller' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
    it(`${situation}: reads a signed one ${may.readsSigned ? 'yes' : 'no'}, a draft ${may.readsDraft ? 'yes' : 'no'}, prescribes ${may.prescribes ? 'yes' : 'no'}`, async () => {
      for (const [which, allowed] of [
        ['signed', may.readsSigned],
        ['draft', may.readsDraft],
      ] as const) {
        const response = await api.graphql<{ prescription: { number: string; items: unknown[] } | null }>(
          READ,
          { id: prescriptions[which] },
          tokens.get(situation),
        );
        if (allowed) {
          expect([which, response.errors]).toEqual([which, undefined]);
          expect(response.data!.prescription!.items).toHaveLength(1);
        } else {
          expect([which, response.errors?.[0].extensions?.code]).toEqual([which, refused]);
          expect(JSON.stringify(response.data ?? {})).not.toContain('Paracetamol');
        }
      }
      const created = await api.graphql(
        CREATE,
        { input: { patientId: patient.globalId, diagnoses: ['R50.9'], items: [prescriptions.item] } },
        tokens.get(situation),
      );
      if (may.prescribes) expect(created.errors).toBeUndefined();
      else expect(created.errors?.[0].extensions?.code).toBe(refused);
    });
  }
});

describe('who may write the medical history (recordPregnancyStatus, recordLactationStatus)', () => {
  const WRITES = {
    recordPregnancyStatus: `mutation($id: ID!) { recordPregnancyStatus(patientId: $id, input: { status: UNKNOWN }) { pregnancy { status } } }`,
    recordLactationStatus: `mutation($id: ID!) { recordLactationStatus(patientId: $id, input: { status: UNKNOWN }) { lactation { status } } }`,
  };
  for (const [situation, sees] of Object.entries(TABLE)) {
    for (const [mutation, document] of Object.entries(WRITES)) {
      it(`${situation}: ${mutation} ${sees.records ? 'may' : 'may not'}`, async () => {
        const response = await api.graphql(document, { id: patient.globalId }, tokens.get(situation));
        if (sees.records) expect(response.errors).toBeUndefined();
        else expect(response.errors?.[0].extensions?.code).toBe(situation === 'anonymous caller' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
      });
    }
  }
});

describe('who sees and runs a pharmacy (the dispensary of clinic A)', () => {
  /** manage: dispenses and runs the stock; read: sees queue and stock. */
  const PHARMACY: Record<string, 'manage' | 'read' | 'none'> = Object.fromEntries(
    Object.keys(TABLE).map((situation) => [
      situation,
      situation === 'pharmacist at clinic A' ? 'manage' : situation === 'admin at clinic A' ? 'read' : 'none',
    ]),
  );
  const QUEUE = 'query($ph: ID!) { pharmacyQueue(pharmacyId: $ph, first: 5) { totalCount } stockValue(pharmacyId: $ph) { units } }';
  const RECEIVE = 'mutation($ph: ID!) { startStockCount(pharmacyId: $ph) { id } }';
  for (const [situation, may] of Object.entries(PHARMACY)) {
    const refused = situation === 'anonymous caller' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
    it(`${situation}: ${may}`, async () => {
      const read = await api.graphql(QUEUE, { ph: dispensaryId }, tokens.get(situation));
      if (may === 'none') expect(read.errors?.[0].extensions?.code).toBe(refused);
      else expect(read.errors).toBeUndefined();
      const write = await api.graphql(RECEIVE, { ph: dispensaryId }, tokens.get(situation));
      if (may === 'manage') expect(write.errors).toBeUndefined();
      else expect(write.errors?.[0].extensions?.code).toBe(refused);
    });
  }
});

describe("who reads the patient's invoices", () => {
  const READS = new Set(['the patient themself', 'receptionist at clinic A', 'admin at clinic A']);
  const READ = 'query($id: ID!) { invoice(id: $id) { totalXaf status } }';
  for (const situation of Object.keys(TABLE)) {
    const refused = situation === 'anonymous caller' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
    it(`${situation}: ${READS.has(situation) ? 'yes' : 'no'}`, async () => {
      const response = await api.graphql(READ, { id: invoiceId }, tokens.get(situation));
      if (READS.has(situation)) expect(response.data).toEqual({ invoice: { totalXaf: 15_000, status: 'DRAFT' } });
      else expect(response.errors?.[0].extensions?.code).toBe(refused);
    });
  }
});

describe('rule results are per request', () => {
  it('two users running the same query at the same time each get their own answer', async () => {
    const doctor = tokens.get('assigned doctor (clinic A)');
    const pharmacist = tokens.get('pharmacist at clinic A');
    const runs: Array<['doctor' | 'pharmacist', string | undefined]> = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0 ? ['doctor', doctor] : ['pharmacist', pharmacist],
    );
    const responses = await Promise.all(runs.map(([, token]) => api.graphql(PATHS['patient(id:)'].query, { id: patient.globalId }, token)));
    responses.forEach((response, i) => expectVisibility(response as Response, 'patient', runs[i][0] === 'doctor' ? ALL : IDENTITY, false));
  });
});
