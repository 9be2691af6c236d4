// Adding to a medical history: each entry validated whole before one atomic write, duplicates and
// bad input refused with typed errors, nothing half-written, and only clinicians may write.
import { beforeAll, describe, expect, it } from 'vitest';
import { PatientChartDocument, RecordAllergyDocument, RecordChronicConditionDocument } from '../../src/generated/operations.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { PATIENT_RECORDS } from '../../src/modules/records/index.js';
import { useTestApi } from '../harness/api.js';
import { createClinic, createPatient, createStaff } from '../factories.js';

const api = useTestApi();
const tokens: Record<string, string> = {};
let doctorId = '';
let clinicId = '';
/** A patient of the test clinic, followed by its doctor. */
const newPatient = () => createPatient(api.database.prisma, { clinicId, clinicianIds: [doctorId] });

beforeAll(async () => {
  const clinic = await createClinic(api.database.prisma);
  clinicId = clinic.id;
  for (const role of ['doctor', 'nurse', 'receptionist', 'admin', 'pharmacist'] as const) {
    const staff = await createStaff(api.database.prisma, role, clinic.id);
    if (role === 'doctor') doctorId = staff.userId;
    tokens[role] = await api.token(staff);
  }
});

const stored = (patientId: string) => api.mongo.db.collection<{ _id: string }>(PATIENT_RECORDS).findOne({ _id: patientId }) as Promise<Record<string, unknown> | null>;

/** Each mutation, the part of the history it adds to, and the fields it returns (every input field among them). */
const mutations = {
  recordChronicCondition: { list: 'chronicConditions', input: { name: 'Sickle cell disease', icd10Code: 'D57.1', status: 'ACTIVE' }, fields: 'id name icd10Code status' },
  recordImmunization: { list: 'immunizations', input: { vaccine: 'Measles', administeredOn: '2001-04-01', doseNumber: 2 }, fields: 'id vaccine administeredOn doseNumber' },
  recordSurgery: { list: 'surgeries', input: { procedure: 'Cesarean section', performedOn: '2019-10-10', facility: 'Hôpital Général de Douala' }, fields: 'id procedure performedOn facility' },
  recordFamilyHistory: { list: 'familyHistory', input: { relation: 'mother', condition: 'Breast cancer', ageAtDiagnosis: 48 }, fields: 'id relation condition ageAtDiagnosis' },
  updateSocialHistory: { list: 'socialHistory', input: { smoking: 'NEVER', alcohol: 'OCCASIONAL', occupation: 'teacher' }, fields: 'smoking alcohol occupation' },
} as const;

/** The chart, showing each part of the history with the fields its mutation returns. */
const CHART = `query($id: ID!) { patient(id: $id) { medicalHistory { ${Object.values(mutations).map(({ list, fields }) => `${list} { ${fields} }`).join(' ')} } } }`;

describe('reading the chart', () => {
  it('costs four SQL statements: the caller (session, user and clinics in one), the patient, care ties, emergency grants', async () => {
    const patient = await newPatient();
    await api.graphql(PatientChartDocument, { id: patient.globalId }, tokens.doctor);
    const before = api.database.statementCount;
    const chart = await api.graphql(PatientChartDocument, { id: patient.globalId }, tokens.doctor);
    expect(chart.data!.patient.id).toBe(patient.globalId);
    expect(api.database.statementCount - before).toBe(4);
  });
});

describe('recordAllergy', () => {
  it('adds an allergy that the chart then shows, recorded by the caller', async () => {
    const patient = await newPatient();
    const response = await api.graphql(RecordAllergyDocument, { patientId: patient.globalId, input: { substance: ' Penicillin ', severity: 'SEVERE', reaction: 'Anaphylaxis', notedOn: '2010-03-15' } }, tokens.doctor);
    expect(response.errors).toBeUndefined();
    expect(response.data!.recordAllergy).toMatchObject({ substance: 'Penicillin', severity: 'SEVERE', notedOn: '2010-03-15' });
    const chart = await api.graphql(PatientChartDocument, { id: patient.globalId }, tokens.doctor);
    expect(chart.data!.patient.medicalHistory!.allergies.map((a) => a.substance)).toEqual(['Penicillin']);
    expect(((await stored(patient.userId))!.allergies as Array<{ recordedBy: string }>)[0].recordedBy).toBe(doctorId);
  });

  it('refuses the same substance twice (any case or spacing) with CONFLICT, keeping one entry', async () => {
    const patient = await newPatient();
    await api.graphql(RecordAllergyDocument, { patientId: patient.globalId, input: { substance: 'Peanuts', severity: 'MODERATE' } }, tokens.nurse);
    const again = await api.graphql(RecordAllergyDocument, { patientId: patient.globalId, input: { substance: '  PEANUTS ', severity: 'MILD' } }, tokens.doctor);
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', fields: [{ path: ['input', 'substance'] }] });
    expect((await stored(patient.userId))!.allergies).toHaveLength(1);
  });

  it.each([
    [{ substance: '', severity: 'MILD' }, ['input', 'substance']],
    [{ substance: '   ', severity: 'MILD' }, ['input', 'substance']],
    [{ substance: 'x'.repeat(121), severity: 'MILD' }, ['input', 'substance']],
    [{ substance: 'Dust', severity: 'MILD', notedOn: '2999-12-31' }, ['input', 'notedOn']],
    [{ substance: 'Dust', severity: 'MILD', reaction: 'r'.repeat(501) }, ['input', 'reaction']],
  ])('refuses %j with BAD_USER_INPUT at the field and writes nothing', async (input, path) => {
    const patient = await newPatient();
    const response = await api.graphql(RecordAllergyDocument, { patientId: patient.globalId, input: input as never }, tokens.doctor);
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((response.errors?.[0].extensions?.fields as Array<{ path: unknown }>).map((f) => f.path)).toContainEqual(path);
    expect(await stored(patient.userId)).toBeNull();
  });

  it('stores different first allergies written at the same moment (no false conflict)', async () => {
    const patient = await newPatient();
    const results = await Promise.all(
      ['Pollen', 'Shellfish', 'Aspirin', 'Iodine'].map((substance) => api.graphql(RecordAllergyDocument, { patientId: patient.globalId, input: { substance, severity: 'MILD' } }, tokens.doctor)),
    );
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined, undefined, undefined]);
    expect((await stored(patient.userId))!.allergies).toHaveLength(4);
  });

  it('refuses an unknown severity before anything runs', async () => {
    const patient = await newPatient();
    const response = await api.graphql(RecordAllergyDocument, { patientId: patient.globalId, input: { substance: 'Dust', severity: 'DEADLY' as never } }, tokens.doctor);
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await stored(patient.userId)).toBeNull();
  });

  it('answers FORBIDDEN for a patient that does not exist (or is not in care here), and writes nothing', async () => {
    const ghost = '00000000-0000-4000-8000-000000000000';
    const response = await api.graphql(RecordAllergyDocument, { patientId: toGlobalId('Patient', ghost), input: { substance: 'Dust', severity: 'MILD' } }, tokens.doctor);
    expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await stored(ghost)).toBeNull();
  });

  it.each([
    ['no token', undefined, 'UNAUTHENTICATED'],
    ['a receptionist', 'receptionist', 'FORBIDDEN'],
    ['a clinic admin', 'admin', 'FORBIDDEN'],
    ['a pharmacist', 'pharmacist', 'FORBIDDEN'],
  ])('refuses %s and writes nothing', async (_who, role, code) => {
    const patient = await newPatient();
    const response = await api.graphql(RecordAllergyDocument, { patientId: patient.globalId, input: { substance: 'Dust', severity: 'MILD' } }, role ? tokens[role] : undefined);
    expect(response.errors?.[0].extensions?.code).toBe(code);
    expect(await stored(patient.userId)).toBeNull();
  });

  it('refuses a patient writing their own history', async () => {
    const patient = await newPatient();
    const token = await api.token({ userId: patient.userId, role: 'patient' });
    const response = await api.graphql(RecordAllergyDocument, { patientId: patient.globalId, input: { substance: 'Dust', severity: 'MILD' } }, token);
    expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the other history entries', () => {
  it.each(Object.entries(mutations))('%s stores the entry and the chart shows it', async (mutation, { list, input, fields }) => {
    const patient = await newPatient();
    const response = await api.graphql<Record<string, Record<string, unknown>>>(`mutation($p: ID!, $i: ${mutation === 'updateSocialHistory' ? 'SocialHistoryInput' : `${mutation.replace('record', '')}Input`}!) { ${mutation}(patientId: $p, input: $i) { ${fields} } }`, { p: patient.globalId, i: input }, tokens.nurse);
    expect(response.errors).toBeUndefined();
    const written = response.data![mutation];
    expect(written).toMatchObject(input);
    const record = await stored(patient.userId);
    expect(record).not.toBeNull();
    expect(record!.version).toBe(1);
    const chart = await api.graphql<{ patient: { medicalHistory: Record<string, unknown> } }>(CHART, { id: patient.globalId }, tokens.doctor);
    expect(chart.errors).toBeUndefined();
    expect(chart.data!.patient.medicalHistory[list]).toEqual(list === 'socialHistory' ? written : [written]);
  });

  it('setBloodType sets it; an invalid ICD-10 code is refused at its field', async () => {
    const patient = await newPatient();
    const set = await api.graphql<{ setBloodType: { bloodType: string } }>(`mutation($p: ID!) { setBloodType(patientId: $p, bloodType: AB_NEGATIVE) { bloodType } }`, { p: patient.globalId }, tokens.doctor);
    expect(set.data?.setBloodType.bloodType).toBe('AB_NEGATIVE');
    const bad = await api.graphql(RecordChronicConditionDocument, { patientId: patient.globalId, input: { name: 'Diabetes', icd10Code: 'diabetes', status: 'ACTIVE' } }, tokens.doctor);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['input', 'icd10Code'] }] });
  });

  it('keeps every entry when clinicians write at the same time', async () => {
    const patient = await newPatient();
    const writes = Array.from({ length: 20 }, (_, i) =>
      api.graphql(RecordChronicConditionDocument, { patientId: patient.globalId, input: { name: `Condition ${i}`, status: 'ACTIVE' } }, i % 2 ? tokens.doctor : tokens.nurse),
    );
    const results = await Promise.all(writes);
    expect(results.every((r) => r.errors === undefined)).toBe(true);
    const record = await stored(patient.userId);
    expect(record!.chronicConditions).toHaveLength(20);
    expect(record!.version).toBe(20);
  });
});
