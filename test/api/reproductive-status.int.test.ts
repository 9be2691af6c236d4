// Pregnancy and breastfeeding on the patient's record: recorded by the clinicians who treat the
// patient, each new status replacing the current one (kept in its history) in one atomic write,
// refused with typed errors when it cannot be true, and audited like every write of the record.
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_LOGS } from '../../src/modules/audit/index.js';
import { PATIENT_RECORDS } from '../../src/modules/records/index.js';
import { useTestApi } from '../harness/api.js';
import { createClinic, createPatient, createStaff } from '../factories.js';

const api = useTestApi({ manualJobs: true });
const tokens: Record<string, string> = {};
let doctorId = '';
let nurseId = '';
let clinicId = '';
/** A patient of the test clinic, followed by its doctor. */
const newPatient = (gender?: 'female' | 'male') => createPatient(api.database.prisma, { clinicId, clinicianIds: [doctorId], gender });

beforeAll(async () => {
  const clinic = await createClinic(api.database.prisma);
  clinicId = clinic.id;
  for (const role of ['doctor', 'nurse', 'receptionist', 'admin', 'pharmacist', 'lab_technician'] as const) {
    const staff = await createStaff(api.database.prisma, role, clinic.id);
    if (role === 'doctor') doctorId = staff.userId;
    if (role === 'nurse') nurseId = staff.userId;
    tokens[role] = await api.token(staff);
  }
});

/** The calendar date (UTC) `days` from today, as YYYY-MM-DD. */
const fromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const stored = (patientId: string) =>
  api.mongo.db.collection<{ _id: string }>(PATIENT_RECORDS).findOne({ _id: patientId }) as Promise<Record<string, unknown> | null>;

const PREGNANCY = `mutation($p: ID!, $i: PregnancyStatusInput!) { recordPregnancyStatus(patientId: $p, input: $i) {
  pregnancy { status since expectedDelivery recordedAt history { status since expectedDelivery recordedAt history { status } } } } }`;
const LACTATION = `mutation($p: ID!, $i: LactationStatusInput!) { recordLactationStatus(patientId: $p, input: $i) {
  lactation { status since recordedAt history { status since recordedAt } } } }`;
const CHART = `query($id: ID!) { patient(id: $id) { medicalHistory {
  pregnancy { status since expectedDelivery history { status since expectedDelivery } }
  lactation { status since history { status since } } } } }`;

type Pregnancy = { status: string; since: string | null; expectedDelivery: string | null; recordedAt: string; history: unknown[] };
type Lactation = { status: string; since: string | null; recordedAt: string; history: unknown[] };
type Chart = { patient: { medicalHistory: { pregnancy: unknown; lactation: unknown } } };

const recordPregnancy = (patientId: string, input: Record<string, unknown>, token: string | undefined) =>
  api.graphql<{ recordPregnancyStatus: { pregnancy: Pregnancy } }>(PREGNANCY, { p: patientId, i: input }, token);
const recordLactation = (patientId: string, input: Record<string, unknown>, token: string | undefined) =>
  api.graphql<{ recordLactationStatus: { lactation: Lactation } }>(LACTATION, { p: patientId, i: input }, token);

/** The audit of the record's writes of `resource`, oldest first. */
const writesAudited = (patientId: string, resource: string) =>
  api.mongo.db.collection(AUDIT_LOGS).find({ patientId, resource, action: 'update' }).sort({ seq: 1 }).toArray();

describe('recording pregnancy and breastfeeding', () => {
  it('a doctor who treats the patient records both, and reads them back with the replaced statuses in their history', async () => {
    const patient = await newPatient('female');
    const lmp = fromToday(-70);
    const due = fromToday(-70 + 280);
    const first = await recordPregnancy(patient.globalId, { status: 'UNKNOWN' }, tokens.doctor);
    expect(first.errors).toBeUndefined();
    expect(first.data!.recordPregnancyStatus.pregnancy).toMatchObject({
      status: 'UNKNOWN',
      since: null,
      expectedDelivery: null,
      history: [],
    });
    const changed = await recordPregnancy(patient.globalId, { status: 'PREGNANT', since: lmp, expectedDelivery: due }, tokens.doctor);
    expect(changed.errors).toBeUndefined();
    const pregnancy = changed.data!.recordPregnancyStatus.pregnancy;
    expect(pregnancy).toMatchObject({
      status: 'PREGNANT',
      since: lmp,
      expectedDelivery: due,
      history: [
        {
          status: 'UNKNOWN',
          since: null,
          expectedDelivery: null,
          recordedAt: first.data!.recordPregnancyStatus.pregnancy.recordedAt,
          history: [],
        },
      ],
    });

    await recordLactation(patient.globalId, { status: 'BREASTFEEDING', since: fromToday(-400) }, tokens.doctor);
    const weaned = await recordLactation(patient.globalId, { status: 'NOT_BREASTFEEDING', since: fromToday(-30) }, tokens.doctor);
    expect(weaned.errors).toBeUndefined();
    expect(weaned.data!.recordLactationStatus.lactation).toMatchObject({
      status: 'NOT_BREASTFEEDING',
      since: fromToday(-30),
      history: [{ status: 'BREASTFEEDING', since: fromToday(-400) }],
    });

    const chart = await api.graphql<Chart>(CHART, { id: patient.globalId }, tokens.doctor);
    expect(chart.errors).toBeUndefined();
    expect(chart.data!.patient.medicalHistory).toEqual({
      pregnancy: {
        status: 'PREGNANT',
        since: lmp,
        expectedDelivery: due,
        history: [{ status: 'UNKNOWN', since: null, expectedDelivery: null }],
      },
      lactation: { status: 'NOT_BREASTFEEDING', since: fromToday(-30), history: [{ status: 'BREASTFEEDING', since: fromToday(-400) }] },
    });
    const record = await stored(patient.userId);
    expect(record).toMatchObject({
      version: 4,
      pregnancy: { status: 'pregnant', recordedBy: doctorId, history: [{ status: 'unknown', recordedBy: doctorId }] },
      lactation: { status: 'not_breastfeeding', recordedBy: doctorId },
    });
  });

  it('shows null for a history in which neither was ever recorded', async () => {
    const patient = await newPatient('female');
    await api.graphql(
      `mutation($p: ID!) { setBloodType(patientId: $p, bloodType: O_POSITIVE) { bloodType } }`,
      { p: patient.globalId },
      tokens.doctor,
    );
    const chart = await api.graphql<Chart>(CHART, { id: patient.globalId }, tokens.doctor);
    expect(chart.data!.patient.medicalHistory).toEqual({ pregnancy: null, lactation: null });
  });

  it('a nurse of the clinic records them too', async () => {
    const patient = await newPatient('female');
    const pregnancy = await recordPregnancy(patient.globalId, { status: 'NOT_PREGNANT' }, tokens.nurse);
    const lactation = await recordLactation(patient.globalId, { status: 'UNKNOWN' }, tokens.nurse);
    expect([pregnancy.errors, lactation.errors]).toEqual([undefined, undefined]);
    expect(await stored(patient.userId)).toMatchObject({
      pregnancy: { status: 'not_pregnant', recordedBy: nurseId, history: [] },
      lactation: { status: 'unknown', recordedBy: nurseId, history: [] },
    });
  });

  it('keeps every status when clinicians write at the same time: one current, the others in its history', async () => {
    const patient = await newPatient('female');
    const states = ['PREGNANT', 'NOT_PREGNANT', 'UNKNOWN'];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        recordPregnancy(patient.globalId, { status: states[i % 3] }, i % 2 ? tokens.doctor : tokens.nurse),
      ),
    );
    expect(results.every((result) => result.errors === undefined)).toBe(true);
    const record = (await stored(patient.userId)) as { version: number; pregnancy: { history: Array<{ history?: unknown }> } };
    expect(record.version).toBe(12);
    expect(record.pregnancy.history).toHaveLength(11);
    expect(record.pregnancy.history.every((earlier) => earlier.history === undefined)).toBe(true);
  });
});

describe('the stored form', () => {
  it('is held by the collection itself: a status the API could not write is refused', async () => {
    const records = api.mongo.db.collection<{ _id: string; [field: string]: unknown }>(PATIENT_RECORDS);
    const now = new Date();
    const record = async () => ({ _id: (await newPatient('female')).userId, createdAt: now, updatedAt: now, version: 1 });
    const pregnant = { status: 'pregnant', since: null, expectedDelivery: null, recordedBy: doctorId, recordedAt: now };
    const refused = { code: 121 };
    await expect(records.insertOne({ ...(await record()), pregnancy: { ...pregnant, status: 'maybe' } })).rejects.toMatchObject(refused);
    await expect(records.insertOne({ ...(await record()), lactation: { ...pregnant, status: 'breastfeeding' } })).rejects.toMatchObject(
      refused,
    );
    await expect(
      records.insertOne({ ...(await record()), pregnancy: { ...pregnant, history: [{ ...pregnant, history: [] }] } }),
    ).rejects.toMatchObject(refused);
    await expect(records.insertOne({ ...(await record()), pregnancy: { ...pregnant, history: [pregnant] } })).resolves.toBeTruthy();
  });
});

describe('who may record them', () => {
  it.each([
    ['no token', undefined, 'UNAUTHENTICATED'],
    ['a receptionist', 'receptionist', 'FORBIDDEN'],
    ['a clinic admin', 'admin', 'FORBIDDEN'],
    ['a pharmacist', 'pharmacist', 'FORBIDDEN'],
    ['a lab technician', 'lab_technician', 'FORBIDDEN'],
  ])('refuses %s and writes nothing', async (_who, role, code) => {
    const patient = await newPatient('female');
    const token = role ? tokens[role] : undefined;
    const pregnancy = await recordPregnancy(patient.globalId, { status: 'PREGNANT' }, token);
    const lactation = await recordLactation(patient.globalId, { status: 'BREASTFEEDING' }, token);
    expect([pregnancy.errors?.[0].extensions?.code, lactation.errors?.[0].extensions?.code]).toEqual([code, code]);
    expect(await stored(patient.userId)).toBeNull();
  });

  it('refuses the patient themself', async () => {
    const patient = await newPatient('female');
    const token = await api.token({ userId: patient.userId, role: 'patient' });
    const pregnancy = await recordPregnancy(patient.globalId, { status: 'PREGNANT' }, token);
    const lactation = await recordLactation(patient.globalId, { status: 'BREASTFEEDING' }, token);
    expect([pregnancy.errors?.[0].extensions?.code, lactation.errors?.[0].extensions?.code]).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(await stored(patient.userId)).toBeNull();
  });
});

describe('what cannot be recorded', () => {
  it('refuses PREGNANT for a patient recorded as male at input.status, writes nothing, and audits the refused write', async () => {
    const patient = await newPatient('male');
    const response = await recordPregnancy(patient.globalId, { status: 'PREGNANT', since: fromToday(-30) }, tokens.doctor);
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['input', 'status'] }] });
    expect(response.errors?.[0].message).not.toContain(fromToday(-30));
    expect(await stored(patient.userId)).toBeNull();
    expect((await writesAudited(patient.userId, 'PregnancyStatus')).map((entry) => entry.result)).toEqual(['attempted', 'failure']);
    // Any other status may be recorded for him.
    expect((await recordPregnancy(patient.globalId, { status: 'NOT_PREGNANT' }, tokens.doctor)).errors).toBeUndefined();
  });

  it.each([
    ['a future since (pregnancy)', 'pregnancy', { status: 'PREGNANT', since: fromToday(2) }, ['input', 'since']],
    ['a future since (breastfeeding)', 'lactation', { status: 'BREASTFEEDING', since: fromToday(2) }, ['input', 'since']],
    [
      'an expected delivery when not pregnant',
      'pregnancy',
      { status: 'NOT_PREGNANT', expectedDelivery: fromToday(100) },
      ['input', 'expectedDelivery'],
    ],
    [
      'an expected delivery before since',
      'pregnancy',
      { status: 'PREGNANT', since: fromToday(-20), expectedDelivery: fromToday(-21) },
      ['input', 'expectedDelivery'],
    ],
    [
      'an expected delivery over 44 weeks after since',
      'pregnancy',
      { status: 'PREGNANT', since: fromToday(-10), expectedDelivery: fromToday(-10 + 309) },
      ['input', 'expectedDelivery'],
    ],
    [
      'an expected delivery over 10 months away',
      'pregnancy',
      { status: 'PREGNANT', expectedDelivery: fromToday(320) },
      ['input', 'expectedDelivery'],
    ],
  ])('refuses %s with BAD_USER_INPUT at its field, and writes nothing', async (_case, which, input, path) => {
    const patient = await newPatient('female');
    const response = await (which === 'pregnancy' ? recordPregnancy : recordLactation)(patient.globalId, input, tokens.doctor);
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((response.errors?.[0].extensions?.fields as Array<{ path: unknown }>).map((field) => field.path)).toEqual([path]);
    for (const value of Object.values(input)) if (value.includes('-')) expect(JSON.stringify(response.errors)).not.toContain(value);
    expect(await stored(patient.userId)).toBeNull();
  });

  it('accepts an expected delivery exactly 44 weeks after since', async () => {
    const patient = await newPatient('female');
    const response = await recordPregnancy(
      patient.globalId,
      { status: 'PREGNANT', since: fromToday(-30), expectedDelivery: fromToday(-30 + 308) },
      tokens.doctor,
    );
    expect(response.errors).toBeUndefined();
  });
});

describe('the audit trail', () => {
  it('records each write with the field names and the writer, never the values', async () => {
    const patient = await newPatient('female');
    await recordPregnancy(patient.globalId, { status: 'PREGNANT', since: fromToday(-50), expectedDelivery: fromToday(230) }, tokens.doctor);
    await recordLactation(patient.globalId, { status: 'BREASTFEEDING', since: fromToday(-200) }, tokens.nurse);
    const pregnancy = await writesAudited(patient.userId, 'PregnancyStatus');
    expect(pregnancy.map((entry) => [entry.result, entry.fields, entry.actor.userId])).toEqual([
      ['attempted', ['expectedDelivery', 'since', 'status'], doctorId],
      ['success', ['expectedDelivery', 'since', 'status'], doctorId],
    ]);
    const lactation = await writesAudited(patient.userId, 'LactationStatus');
    expect(lactation.map((entry) => [entry.result, entry.fields, entry.actor.userId])).toEqual([
      ['attempted', ['since', 'status'], nurseId],
      ['success', ['since', 'status'], nurseId],
    ]);
    expect(JSON.stringify([...pregnancy, ...lactation])).not.toMatch(/pregnant|breastfeeding|\d{4}-\d{2}-\d{2}T00:00:00/i);
  });
});
