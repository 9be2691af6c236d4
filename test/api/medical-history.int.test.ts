// Adding to a medical history: each entry validated whole before one atomic write, duplicates and
// bad input refused with typed errors, nothing half-written, and only clinicians may write.
import { beforeAll, describe, expect, it } from 'vitest';
import { PatientChartDocument, RecordAllergyDocument, RecordChronicConditionDocument } from '../../src/generated/operations.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { AUDIT_LOGS } from '../../src/modules/audit/index.js';
import { PATIENT_RECORDS } from '../../src/modules/records/index.js';
import { useTestApi } from '../harness/api.js';
import { createClinic, createPatient, createStaff } from '../factories.js';

// No background jobs: the outbox relay's polling would count among the statements measured here.
const api = useTestApi({ manualJobs: true });
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

const stored = (patientId: string) =>
  api.mongo.db.collection<{ _id: string }>(PATIENT_RECORDS).findOne({ _id: patientId }) as Promise<Record<string, unknown> | null>;

/** Each mutation, the part of the history it adds to, and the fields it returns (every input field among them). */
const mutations = {
  recordChronicCondition: {
    list: 'chronicConditions',
    input: { name: 'Sickle cell disease', icd10Code: 'D57.1', status: 'ACTIVE' },
    fields: 'id name icd10Code status',
  },
  recordImmunization: {
    list: 'immunizations',
    input: { vaccine: 'Measles', administeredOn: '2001-04-01', doseNumber: 2 },
    fields: 'id vaccine administeredOn doseNumber',
  },
  recordSurgery: {
    list: 'surgeries',
    input: { procedure: 'Cesarean section', performedOn: '2019-10-10', facility: 'Hôpital Général de Douala' },
    fields: 'id procedure performedOn facility',
  },
  recordFamilyHistory: {
    list: 'familyHistory',
    input: { relation: 'mother', condition: 'Breast cancer', ageAtDiagnosis: 48 },
    fields: 'id relation condition ageAtDiagnosis',
  },
  updateSocialHistory: {
    list: 'socialHistory',
    input: { smoking: 'NEVER', alcohol: 'OCCASIONAL', occupation: 'teacher' },
    fields: 'smoking alcohol occupation',
  },
} as const;

/** The chart, showing each part of the history with the fields its mutation returns. */
const CHART = `query($id: ID!) { patient(id: $id) { medicalHistory { ${Object.values(mutations)
  .map(({ list, fields }) => `${list} { ${fields} }`)
  .join(' ')} } } }`;

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
    const response = await api.graphql(
      RecordAllergyDocument,
      {
        patientId: patient.globalId,
        input: { substance: ' Penicillin ', severity: 'SEVERE', reaction: 'Anaphylaxis', notedOn: '2010-03-15' },
      },
      tokens.doctor,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.recordAllergy).toMatchObject({ substance: 'Penicillin', severity: 'SEVERE', notedOn: '2010-03-15' });
    const chart = await api.graphql(PatientChartDocument, { id: patient.globalId }, tokens.doctor);
    expect(chart.data!.patient.medicalHistory!.allergies.map((a) => a.substance)).toEqual(['Penicillin']);
    expect(((await stored(patient.userId))!.allergies as Array<{ recordedBy: string }>)[0].recordedBy).toBe(doctorId);
  });

  it('refuses the same substance twice (any case or spacing) with CONFLICT, keeping one entry', async () => {
    const patient = await newPatient();
    await api.graphql(
      RecordAllergyDocument,
      { patientId: patient.globalId, input: { substance: 'Peanuts', severity: 'MODERATE' } },
      tokens.nurse,
    );
    const again = await api.graphql(
      RecordAllergyDocument,
      { patientId: patient.globalId, input: { substance: '  PEANUTS ', severity: 'MILD' } },
      tokens.doctor,
    );
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
      ['Pollen', 'Shellfish', 'Aspirin', 'Iodine'].map((substance) =>
        api.graphql(RecordAllergyDocument, { patientId: patient.globalId, input: { substance, severity: 'MILD' } }, tokens.doctor),
      ),
    );
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined, undefined, undefined]);
    expect((await stored(patient.userId))!.allergies).toHaveLength(4);
  });

  it('refuses an unknown severity before anything runs', async () => {
    const patient = await newPatient();
    const response = await api.graphql(
      RecordAllergyDocument,
      { patientId: patient.globalId, input: { substance: 'Dust', severity: 'DEADLY' as never } },
      tokens.doctor,
    );
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await stored(patient.userId)).toBeNull();
  });

  it('answers FORBIDDEN for a patient that does not exist (or is not in care here), and writes nothing', async () => {
    const ghost = '00000000-0000-4000-8000-000000000000';
    const response = await api.graphql(
      RecordAllergyDocument,
      { patientId: toGlobalId('Patient', ghost), input: { substance: 'Dust', severity: 'MILD' } },
      tokens.doctor,
    );
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
    const response = await api.graphql(
      RecordAllergyDocument,
      { patientId: patient.globalId, input: { substance: 'Dust', severity: 'MILD' } },
      role ? tokens[role] : undefined,
    );
    expect(response.errors?.[0].extensions?.code).toBe(code);
    expect(await stored(patient.userId)).toBeNull();
  });

  it('refuses a patient writing their own history', async () => {
    const patient = await newPatient();
    const token = await api.token({ userId: patient.userId, role: 'patient' });
    const response = await api.graphql(
      RecordAllergyDocument,
      { patientId: patient.globalId, input: { substance: 'Dust', severity: 'MILD' } },
      token,
    );
    expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the other history entries', () => {
  it.each(Object.entries(mutations))('%s stores the entry and the chart shows it', async (mutation, { list, input, fields }) => {
    const patient = await newPatient();
    const response = await api.graphql<Record<string, Record<string, unknown>>>(
      `mutation($p: ID!, $i: ${mutation === 'updateSocialHistory' ? 'SocialHistoryInput' : `${mutation.replace('record', '')}Input`}!) { ${mutation}(patientId: $p, input: $i) { ${fields} } }`,
      { p: patient.globalId, i: input },
      tokens.nurse,
    );
    expect(response.errors).toBeUndefined();
    const written = response.data![mutation];
    expect(written).toMatchObject(input);
    const record = await stored(patient.userId);
    expect(record).not.toBeNull();
    expect(record!.version).toBe(1);
    const chart = await api.graphql<{ patient: { medicalHistory: Record<string, unknown> } }>(
      CHART,
      { id: patient.globalId },
      tokens.doctor,
    );
    expect(chart.errors).toBeUndefined();
    expect(chart.data!.patient.medicalHistory[list]).toEqual(list === 'socialHistory' ? written : [written]);
  });

  it('setBloodType sets it; an invalid ICD-10 code is refused at its field', async () => {
    const patient = await newPatient();
    const set = await api.graphql<{ setBloodType: { bloodType: string } }>(
      `mutation($p: ID!) { setBloodType(patientId: $p, bloodType: AB_NEGATIVE) { bloodType } }`,
      { p: patient.globalId },
      tokens.doctor,
    );
    expect(set.data?.setBloodType.bloodType).toBe('AB_NEGATIVE');
    const bad = await api.graphql(
      RecordChronicConditionDocument,
      { patientId: patient.globalId, input: { name: 'Diabetes', icd10Code: 'diabetes', status: 'ACTIVE' } },
      tokens.doctor,
    );
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['input', 'icd10Code'] }] });
  });

  it('keeps every entry when clinicians write at the same time', async () => {
    const patient = await newPatient();
    const writes = Array.from({ length: 20 }, (_, i) =>
      api.graphql(
        RecordChronicConditionDocument,
        { patientId: patient.globalId, input: { name: `Condition ${i}`, status: 'ACTIVE' } },
        i % 2 ? tokens.doctor : tokens.nurse,
      ),
    );
    const results = await Promise.all(writes);
    expect(results.every((r) => r.errors === undefined)).toBe(true);
    const record = await stored(patient.userId);
    expect(record!.chronicConditions).toHaveLength(20);
    expect(record!.version).toBe(20);
  });
});

describe('corrections', () => {
  const SOCIAL = `mutation($p: ID!, $i: SocialHistoryInput!) { updateSocialHistory(patientId: $p, input: $i) { smoking alcohol occupation notes } }`;

  it('updateSocialHistory changes the fields given only, and clears those given as null', async () => {
    const patient = await newPatient();
    await api.graphql(
      SOCIAL,
      { p: patient.globalId, i: { smoking: 'CURRENT', alcohol: 'REGULAR', occupation: 'driver', notes: 'Night shifts' } },
      tokens.nurse,
    );
    const partial = await api.graphql<{ updateSocialHistory: Record<string, unknown> }>(
      SOCIAL,
      { p: patient.globalId, i: { smoking: 'FORMER', notes: null } },
      tokens.doctor,
    );
    expect(partial.data!.updateSocialHistory).toEqual({ smoking: 'FORMER', alcohol: 'REGULAR', occupation: 'driver', notes: null });
    expect((await stored(patient.userId))!.socialHistory).toMatchObject({
      smoking: 'former',
      alcohol: 'regular',
      occupation: 'driver',
      notes: null,
      updatedBy: doctorId,
    });
    const audit = await api.mongo.db
      .collection(AUDIT_LOGS)
      .find({ patientId: patient.userId, resource: 'SocialHistory', result: 'success' })
      .sort({ seq: 1 })
      .toArray();
    expect(audit.map((entry) => entry.fields)).toEqual([
      ['alcohol', 'notes', 'occupation', 'smoking'],
      ['notes', 'smoking'],
    ]);
    expect((await api.graphql(SOCIAL, { p: patient.globalId, i: {} }, tokens.doctor)).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: ['input'] }],
    });
  });

  it('corrects an entry partially, keeping the earlier version and auditing the changed field names and who changed them', async () => {
    const patient = await newPatient();
    const recorded = await api.graphql<{ recordAllergy: { id: string } }>(
      RecordAllergyDocument,
      { patientId: patient.globalId, input: { substance: 'Penicilin', severity: 'MILD', reaction: 'Rash' } },
      tokens.nurse,
    );
    const entryId = recorded.data!.recordAllergy.id;
    const UPDATE = `mutation($p: ID!, $e: ID!, $i: AllergyUpdateInput!) { updateAllergy(patientId: $p, entryId: $e, input: $i) {
      id substance severity reaction version changedFields entryStatus history { substance severity reaction version } } }`;
    const corrected = await api.graphql<{ updateAllergy: Record<string, unknown> }>(
      UPDATE,
      { p: patient.globalId, e: entryId, i: { substance: 'Penicillin', severity: 'SEVERE', reaction: null } },
      tokens.doctor,
    );
    expect(corrected.errors).toBeUndefined();
    expect(corrected.data!.updateAllergy).toEqual({
      id: entryId,
      substance: 'Penicillin',
      severity: 'SEVERE',
      reaction: null,
      version: 2,
      changedFields: ['reaction', 'severity', 'substance'],
      entryStatus: 'ACTIVE',
      history: [{ substance: 'Penicilin', severity: 'MILD', reaction: 'Rash', version: 1 }],
    });
    const audit = await api.mongo.db
      .collection(AUDIT_LOGS)
      .find({ patientId: patient.userId, resource: 'Allergy', action: 'update' })
      .sort({ seq: 1 })
      .toArray();
    expect(audit.map((entry) => [entry.result, entry.fields, entry.actor.userId])).toEqual([
      ['attempted', ['reaction', 'severity', 'substance'], doctorId],
      ['success', ['reaction', 'severity', 'substance'], doctorId],
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/Penicil|Rash/);

    const required = await api.graphql(UPDATE, { p: patient.globalId, e: entryId, i: { severity: null } }, tokens.doctor);
    expect(required.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['input', 'severity'] }] });
    const unknown = await api.graphql(
      UPDATE,
      { p: patient.globalId, e: '00000000-0000-4000-8000-000000000000', i: { severity: 'MILD' } },
      tokens.doctor,
    );
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(
      (await api.graphql(UPDATE, { p: patient.globalId, e: entryId, i: { severity: 'MILD' } }, tokens.receptionist)).errors?.[0].extensions
        ?.code,
    ).toBe('FORBIDDEN');
  });

  it('refuses a correction that would make an allergy a duplicate', async () => {
    const patient = await newPatient();
    await api.graphql(
      RecordAllergyDocument,
      { patientId: patient.globalId, input: { substance: 'Latex', severity: 'MILD' } },
      tokens.nurse,
    );
    const other = await api.graphql<{ recordAllergy: { id: string } }>(
      RecordAllergyDocument,
      { patientId: patient.globalId, input: { substance: 'Lattex', severity: 'MILD' } },
      tokens.nurse,
    );
    const response = await api.graphql(
      `mutation($p: ID!, $e: ID!) { updateAllergy(patientId: $p, entryId: $e, input: { substance: " latex " }) { id } }`,
      { p: patient.globalId, e: other.data!.recordAllergy.id },
      tokens.doctor,
    );
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', fields: [{ path: ['input', 'substance'] }] });
    const audit = await api.mongo.db
      .collection(AUDIT_LOGS)
      .find({ patientId: patient.userId, resource: 'Allergy', action: 'update' })
      .sort({ seq: 1 })
      .toArray();
    expect(audit.map((entry) => entry.result)).toEqual(['attempted', 'failure']);
  });

  it('marks an entry ENTERED_IN_ERROR: hidden by default, shown with the flag, never deleted, no longer correctable', async () => {
    const patient = await newPatient();
    const wrong = await api.graphql<{ recordSurgery: { id: string } }>(
      `mutation($p: ID!) { recordSurgery(patientId: $p, input: { procedure: "Appendectomy" }) { id } }`,
      { p: patient.globalId },
      tokens.nurse,
    );
    await api.graphql(
      `mutation($p: ID!) { recordSurgery(patientId: $p, input: { procedure: "Cholecystectomy" }) { id } }`,
      { p: patient.globalId },
      tokens.nurse,
    );
    const entryId = wrong.data!.recordSurgery.id;
    const MARK = `mutation($p: ID!, $e: ID!, $r: String!) { markHistoryEntryEnteredInError(patientId: $p, entryId: $e, reason: $r) { surgeries { procedure } } }`;
    expect((await api.graphql(MARK, { p: patient.globalId, e: entryId, r: '  ' }, tokens.doctor)).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: ['reason'] }],
    });
    const marked = await api.graphql<{ markHistoryEntryEnteredInError: { surgeries: unknown[] } }>(
      MARK,
      { p: patient.globalId, e: entryId, r: 'Recorded for the wrong patient' },
      tokens.doctor,
    );
    expect(marked.data!.markHistoryEntryEnteredInError.surgeries).toEqual([{ procedure: 'Cholecystectomy' }]);
    const READ = `query($id: ID!) { patient(id: $id) { medicalHistory { surgeries { procedure } all: surgeries(includeEnteredInError: true) { procedure entryStatus enteredInErrorReason version changedFields } } } }`;
    const chart = await api.graphql<{ patient: { medicalHistory: { surgeries: unknown[]; all: unknown[] } } }>(
      READ,
      { id: patient.globalId },
      tokens.doctor,
    );
    expect(chart.data!.patient.medicalHistory.surgeries).toEqual([{ procedure: 'Cholecystectomy' }]);
    expect(chart.data!.patient.medicalHistory.all).toContainEqual({
      procedure: 'Appendectomy',
      entryStatus: 'ENTERED_IN_ERROR',
      enteredInErrorReason: 'Recorded for the wrong patient',
      version: 2,
      changedFields: ['enteredInErrorReason', 'entryStatus'],
    });
    expect((await stored(patient.userId))!.surgeries).toHaveLength(2);
    const correct = await api.graphql(
      `mutation($p: ID!, $e: ID!) { updateSurgery(patientId: $p, entryId: $e, input: { facility: "Laquintinie" }) { id } }`,
      { p: patient.globalId, e: entryId },
      tokens.doctor,
    );
    expect(correct.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', entryStatus: 'ENTERED_IN_ERROR' });
    // The refused correction is audited like any refused write: attempted, then failed.
    const corrections = await api.mongo.db
      .collection(AUDIT_LOGS)
      .find({ patientId: patient.userId, resource: 'Surgery', action: 'update', fields: ['facility'] })
      .sort({ seq: 1 })
      .toArray();
    expect(corrections.map((entry) => entry.result)).toEqual(['attempted', 'failure']);
    // An allergy marked in error no longer blocks recording the right one.
    const allergy = await api.graphql<{ recordAllergy: { id: string } }>(
      RecordAllergyDocument,
      { patientId: patient.globalId, input: { substance: 'Aspirin', severity: 'MILD' } },
      tokens.nurse,
    );
    await api.graphql(MARK, { p: patient.globalId, e: allergy.data!.recordAllergy.id, r: "Was another patient's" }, tokens.doctor);
    expect(
      (
        await api.graphql(
          RecordAllergyDocument,
          { patientId: patient.globalId, input: { substance: 'Aspirin', severity: 'SEVERE' } },
          tokens.nurse,
        )
      ).errors,
    ).toBeUndefined();
  });

  it('loses no correction when clinicians correct one record at the same time', async () => {
    const patient = await newPatient();
    const ids: string[] = [];
    for (const vaccine of ['BCG', 'Polio', 'Measles']) {
      ids.push(
        (
          await api.graphql<{ recordImmunization: { id: string } }>(
            `mutation($p: ID!, $v: String!) { recordImmunization(patientId: $p, input: { vaccine: $v, administeredOn: "2001-01-01" }) { id } }`,
            { p: patient.globalId, v: vaccine },
            tokens.nurse,
          )
        ).data!.recordImmunization.id,
      );
    }
    const results = await Promise.all(
      ids.map((id, i) =>
        api.graphql(
          `mutation($p: ID!, $e: ID!, $d: Int!) { updateImmunization(patientId: $p, entryId: $e, input: { doseNumber: $d }) { doseNumber } }`,
          { p: patient.globalId, e: id, d: i + 1 },
          i % 2 ? tokens.doctor : tokens.nurse,
        ),
      ),
    );
    const succeeded = results.filter((result) => result.errors === undefined).length;
    const record = await stored(patient.userId);
    const doses = (record!.immunizations as Array<{ doseNumber: number | null }>).map((entry) => entry.doseNumber);
    // Each correction either landed or was refused with CONFLICT; none was silently overwritten.
    expect(doses.filter((dose) => dose !== null)).toHaveLength(succeeded);
    for (const result of results.filter((r) => r.errors)) expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(succeeded).toBeGreaterThanOrEqual(1);
  });
});
