// The audit trail, end to end: every read and write of patient data is recorded (who, which
// patient, which fields, why, request id, address; never a value), a clinical write fails rather
// than go unaudited, the chain shows tampering, patients see who viewed their record, a page of
// 100 appointments costs three MongoDB commands, and concurrent readers of one patient leave one
// whole chain.
import { randomUUID } from 'node:crypto';
import type { CommandStartedEvent } from 'mongodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { PatientChartDocument, RecordAllergyDocument } from '../../src/generated/operations.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { collectionSpecs } from '../../src/modules/collections.js';
import { AUDIT_HEADS, AUDIT_LOGS } from '../../src/modules/audit/index.js';
import { PATIENT_RECORDS } from '../../src/modules/records/index.js';
import { applyCollectionSpecs } from '../../src/platform/mongo.js';
import { useTestApi } from '../harness/api.js';
import {
  createAppointment,
  createAppointmentType,
  createClinic,
  createDoctor,
  createPatient,
  createRecord,
  createStaff,
} from '../factories.js';

// The API's MongoDB client reports every command it sends (the driver's command monitoring), and
// no job runs unasked, so that what a request costs can be counted.
const withMonitoring = (uri: string) => `${uri}${uri.includes('?') ? '&' : uri.endsWith('/') ? '?' : '/?'}monitorCommands=true`;
const api = useTestApi({ mongoUri: () => withMonitoring(inject('mongoUri')), mongoTimeoutMs: 10_000, manualJobs: true });
let clinic: Awaited<ReturnType<typeof createClinic>>;
let doctor: { userId: string };
const tokens: Record<string, string> = {};

const entriesOf = (patientId: string) => api.mongo.db.collection(AUDIT_LOGS).find({ patientId }).sort({ seq: 1 }).toArray();

/** The MongoDB commands `run` costs the API, the audit's head updates after the response included. */
async function commandsOf(run: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const listen = (event: CommandStartedEvent) => seen.push(`${event.commandName} ${String(event.command[event.commandName])}`);
  api.mongo.client.on('commandStarted', listen);
  try {
    await run();
    for (let quiet = 0, count = -1; quiet < 4; quiet = seen.length === count ? quiet + 1 : 0) {
      count = seen.length;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return seen;
  } finally {
    api.mongo.client.off('commandStarted', listen);
  }
}

async function newPatient() {
  const patient = await createPatient(api.database.prisma, { firstName: 'Ndedi', clinicId: clinic.id, clinicianIds: [doctor.userId] });
  await createRecord(api.mongo.db, patient.userId);
  return patient;
}

beforeAll(async () => {
  clinic = await createClinic(api.database.prisma, { name: 'Clinique Audit' });
  doctor = await createStaff(api.database.prisma, 'doctor', clinic.id);
  tokens.doctor = await api.token(doctor);
  tokens.receptionist = await api.token(await createStaff(api.database.prisma, 'receptionist', clinic.id));
  tokens.admin = await api.token(await createStaff(api.database.prisma, 'admin', clinic.id));
  tokens.otherAdmin = await api.token(await createStaff(api.database.prisma, 'admin', (await createClinic(api.database.prisma)).id));
});

describe('audit of reads', () => {
  it('records who read which fields of which patient, with the request id and address, and no values', async () => {
    const patient = await newPatient();
    const response = await fetch(api.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${tokens.doctor}`,
        'x-request-id': 'audit-read-0001',
        'user-agent': 'chart-viewer/1.0',
      },
      body: JSON.stringify({
        query: 'query($id: ID!) { patient(id: $id) { firstName nationalId medicalHistory { bloodType allergies { substance } } } }',
        variables: { id: patient.globalId },
      }),
    });
    expect(response.status).toBe(200);
    const entries = await entriesOf(patient.userId);
    expect(entries.map((e) => [e.resource, e.fields, e.action, e.purpose, e.result])).toEqual([
      ['Patient', ['firstName', 'medicalHistory', 'nationalId'], 'read', 'normal', 'success'],
      ['MedicalHistory', ['allergies', 'bloodType'], 'read', 'normal', 'success'],
    ]);
    expect(entries[0]).toMatchObject({
      actor: { userId: doctor.userId, role: 'doctor' },
      requestId: 'audit-read-0001',
      userAgent: 'chart-viewer/1.0',
      ip: expect.stringMatching(/127\.0\.0\.1/),
    });
    const stored = await api.database.prisma.user.findUniqueOrThrow({ where: { id: patient.userId }, include: { profile: true } });
    const text = JSON.stringify(entries);
    for (const value of [stored.profile!.firstName, stored.profile!.nationalId!, 'Latex', 'B+']) expect(text).not.toContain(value);
  });

  it("labels a clinic doctor's routine look at a patient NORMAL, not EMERGENCY", async () => {
    const patient = await newPatient();
    const colleague = await api.token(await createStaff(api.database.prisma, 'doctor', clinic.id));
    await api.graphql(`query($id: ID!) { patient(id: $id) { firstName } }`, { id: patient.globalId }, colleague);
    const reads = (await entriesOf(patient.userId)).filter((e) => e.action === 'read' && e.result === 'success');
    expect(reads.map((e) => e.purpose)).toEqual(['normal']);
  });

  it('creates no audit stream for a made-up patient id', async () => {
    const made = '11111111-2222-4333-8444-555555555555';
    await api.graphql(`query($id: ID!) { node(id: $id) { id } }`, { id: toGlobalId('Patient', made) }, tokens.doctor);
    expect(await api.mongo.db.collection(AUDIT_LOGS).countDocuments({ stream: made })).toBe(0);
  });

  it('records a refused look at clinical data as denied', async () => {
    const patient = await newPatient();
    await api.graphql(PatientChartDocument, { id: patient.globalId }, tokens.receptionist);
    const denied = (await entriesOf(patient.userId)).filter((e) => e.result === 'denied');
    expect(denied.map((e) => [e.resource, e.fields])).toEqual([['Patient', ['medicalHistory']]]);
  });

  it("records a refused look at an appointment's encounter under Appointment, the type the field belongs to", async () => {
    const patient = await newPatient();
    const prisma = api.database.prisma;
    const physician = await createDoctor(prisma, { clinicIds: [clinic.id] });
    const type = await prisma.appointmentType.create({
      data: {
        code: `audit_${randomUUID().slice(0, 6)}`,
        nameEn: 'Consultation',
        nameFr: 'Consultation',
        durationMinutes: 30,
        priceMinor: 10_000,
      },
    });
    const startsAt = new Date(Date.now() + 24 * 3_600_000);
    const appointment = await prisma.appointment.create({
      data: {
        patientId: patient.userId,
        doctorId: physician.doctorId,
        clinicId: clinic.id,
        appointmentTypeId: type.id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 1_800_000),
        status: 'booked',
        mode: 'in_person',
        bookedBy: patient.userId,
      },
    });
    const ENCOUNTER = `query($id: ID!) { node(id: $id) { ... on Appointment { encounter { chiefComplaint } } } }`;
    const response = await api.graphql(ENCOUNTER, { id: toGlobalId('Appointment', appointment.id) }, tokens.receptionist);
    expect(response.errors?.[0]).toMatchObject({ path: ['node', 'encounter'], extensions: { code: 'FORBIDDEN' } });
    const denied = (await entriesOf(patient.userId)).filter((e) => e.result === 'denied');
    expect(denied.map((e) => [e.resource, e.fields])).toEqual([['Appointment', ['encounter']]]);
  });

  it('shows the patient who viewed their record, by role and clinic, and marks emergency access', async () => {
    const patient = await newPatient();
    const patientToken = await api.token({ userId: patient.userId });
    await api.graphql(PatientChartDocument, { id: patient.globalId }, patientToken); // their own look is not listed
    await api.graphql(PatientChartDocument, { id: patient.globalId }, tokens.doctor);
    const outsider = await createStaff(
      api.database.prisma,
      'nurse',
      (await createClinic(api.database.prisma, { name: 'Urgences Sud' })).id,
    );
    const outsiderToken = await api.token(outsider);
    await api.graphql(
      `mutation($p: ID!) { requestEmergencyAccess(patientId: $p, reason: "Found unconscious in the street") { id } }`,
      { p: patient.globalId },
      outsiderToken,
    );
    await api.graphql(PatientChartDocument, { id: patient.globalId }, outsiderToken);
    const views = await api.graphql<{
      whoViewedMyRecord: {
        edges: Array<{ node: { viewerRole: string; purpose: string; resource: string; viewerClinics: Array<{ name: string }> } }>;
      };
    }>(
      `{ whoViewedMyRecord(first: 20) { edges { node { at viewerRole purpose resource fields viewerClinics { name } } } } }`,
      {},
      patientToken,
    );
    const nodes = views.data!.whoViewedMyRecord.edges.map((e) => e.node);
    expect(nodes.every((n) => n.viewerRole !== 'PATIENT')).toBe(true);
    expect(nodes).toContainEqual(
      expect.objectContaining({
        viewerRole: 'DOCTOR',
        purpose: 'NORMAL',
        resource: 'MedicalHistory',
        viewerClinics: [{ name: 'Clinique Audit' }],
      }),
    );
    expect(nodes).toContainEqual(
      expect.objectContaining({
        viewerRole: 'NURSE',
        purpose: 'EMERGENCY',
        resource: 'MedicalHistory',
        viewerClinics: [{ name: 'Urgences Sud' }],
      }),
    );
    expect(JSON.stringify(views)).not.toMatch(/unconscious/i);
  });
});

describe('audit of writes', () => {
  it('records a clinical write with its field names', async () => {
    const patient = await newPatient();
    await api.graphql(
      RecordAllergyDocument,
      { patientId: patient.globalId, input: { substance: 'Quinine', severity: 'SEVERE', reaction: 'Tinnitus' } },
      tokens.doctor,
    );
    const writes = (await entriesOf(patient.userId)).filter((e) => e.action === 'create');
    const entry = { resource: 'Allergy', fields: ['notedOn', 'reaction', 'severity', 'substance'], actor: { userId: doctor.userId } };
    // Attempted before the write (no audit, no write), then its outcome.
    expect(writes).toMatchObject([
      { ...entry, result: 'attempted' },
      { ...entry, result: 'success' },
    ]);
    expect(JSON.stringify(writes)).not.toMatch(/Quinine|Tinnitus/);
  });

  it('fails a clinical write that cannot be audited, and writes nothing', async () => {
    const patient = await newPatient();
    const before = await api.mongo.db.collection(PATIENT_RECORDS).findOne({ _id: patient.userId as never });
    // Make every audit insert fail, as a broken audit store would.
    await api.mongo.db.command({ collMod: AUDIT_LOGS, validator: { neverPresent: { $exists: true } } });
    try {
      const response = await api.graphql(
        RecordAllergyDocument,
        { patientId: patient.globalId, input: { substance: 'Chloroquine', severity: 'MILD' } },
        tokens.doctor,
      );
      expect(response.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(response.data?.recordAllergy ?? null).toBeNull();
    } finally {
      await applyCollectionSpecs(api.mongo.db, collectionSpecs);
    }
    expect(await api.mongo.db.collection(PATIENT_RECORDS).findOne({ _id: patient.userId as never })).toEqual(before);
  });
});

describe('tamper evidence and the trail', () => {
  const VERIFY = `query($p: ID!) { verifyAuditChain(patientId: $p) { ok checked brokenAtSequence } }`;

  it("verifies an intact chain, and finds the entry edited behind the API's back", async () => {
    const patient = await newPatient();
    for (let i = 0; i < 3; i++) await api.graphql(PatientChartDocument, { id: patient.globalId }, tokens.doctor);
    const intact = await api.graphql<{ verifyAuditChain: { ok: boolean; checked: number } }>(VERIFY, { p: patient.globalId }, tokens.admin);
    expect(intact.data!.verifyAuditChain).toMatchObject({ ok: true, brokenAtSequence: null });
    expect(intact.data!.verifyAuditChain.checked).toBeGreaterThanOrEqual(6);
    await api.mongo.db.collection(AUDIT_LOGS).updateOne({ patientId: patient.userId, seq: 3 }, { $set: { fields: ['nothing'] } });
    const broken = await api.graphql<{ verifyAuditChain: { ok: boolean; brokenAtSequence: number } }>(
      VERIFY,
      { p: patient.globalId },
      tokens.admin,
    );
    expect(broken.data!.verifyAuditChain).toMatchObject({ ok: false, brokenAtSequence: 3 });
  });

  it("gives the trail, newest first, to admins of the patient's clinic only", async () => {
    const patient = await newPatient();
    await api.graphql(PatientChartDocument, { id: patient.globalId }, tokens.doctor);
    const TRAIL = `query($p: ID!) { auditTrail(patientId: $p, first: 10) { edges { node { sequence actorRole action resource purpose result } } } }`;
    const trail = await api.graphql<{ auditTrail: { edges: Array<{ node: { sequence: number; actorRole: string } }> } }>(
      TRAIL,
      { p: patient.globalId },
      tokens.admin,
    );
    const sequences = trail.data!.auditTrail.edges.map((e) => e.node.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => b - a));
    expect(trail.data!.auditTrail.edges[0].node.actorRole).toBe('DOCTOR');
    for (const token of [tokens.doctor, tokens.receptionist, tokens.otherAdmin]) {
      expect((await api.graphql(TRAIL, { p: patient.globalId }, token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });

  it.each([0, 101])('refuses a trail page of %i entries with BAD_USER_INPUT at first', async (first) => {
    const patient = await newPatient();
    const TRAIL = `query($p: ID!, $first: Int!) { auditTrail(patientId: $p, first: $first) { edges { cursor } } }`;
    const response = await api.graphql(TRAIL, { p: patient.globalId, first }, tokens.admin);
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['first'] }] });
  });
});

describe('the cost and the integrity of the audit under load', () => {
  const PAGE = `query($c: ID!, $from: DateTime!, $to: DateTime!) {
    clinicAppointments(clinicId: $c, from: $from, to: $to, first: 100) { edges { node { id startsAt patient { id firstName lastName } doctor { id } } } }
  }`;

  it('a page of 100 appointments with their patients costs three MongoDB commands, however many patients', async () => {
    const prisma = api.database.prisma;
    const [type, doctors] = await Promise.all([
      createAppointmentType(prisma),
      Promise.all(Array.from({ length: 4 }, () => createDoctor(prisma, { clinicIds: [clinic.id] }))),
    ]);
    const patients = await Promise.all(Array.from({ length: 97 }, () => createPatient(prisma, { clinicId: clinic.id })));
    const day = new Date(Date.UTC(2031, 0, 6, 7)); // a Monday far from the other tests' appointments
    // 25 half-hour slots for each of 4 doctors; three patients come twice, at other times.
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        createAppointment(prisma, {
          patientId: patients[i % 97].userId,
          doctorId: doctors[i % 4].doctorId,
          clinicId: clinic.id,
          appointmentTypeId: type.id,
          startsAt: new Date(day.getTime() + Math.floor(i / 4) * 1_800_000),
        }),
      ),
    );
    const variables = {
      c: toGlobalId('Clinic', clinic.id),
      from: day.toISOString(),
      to: new Date(day.getTime() + 86_400_000).toISOString(),
    };
    const read = async () => {
      const response = await api.graphql<{ clinicAppointments: { edges: unknown[] } }>(PAGE, variables, tokens.receptionist);
      expect(response.data?.clinicAppointments.edges).toHaveLength(100);
    };
    // Patients never audited before: their streams have no head, so their tails are looked for in the log, once for all.
    expect(await commandsOf(read)).toEqual([
      `find ${AUDIT_HEADS}`,
      `aggregate ${AUDIT_LOGS}`,
      `insert ${AUDIT_LOGS}`,
      `update ${AUDIT_HEADS}`,
    ]);
    expect(await commandsOf(read)).toEqual([`find ${AUDIT_HEADS}`, `insert ${AUDIT_LOGS}`, `update ${AUDIT_HEADS}`]);
    for (const patient of patients) {
      const entries = await entriesOf(patient.userId);
      expect(entries.map((entry) => entry.seq)).toEqual([1, 2]);
      expect(await api.mongo.db.collection(AUDIT_HEADS).findOne({ _id: patient.userId as never })).toMatchObject({
        seq: 2,
        hash: entries[1].hash,
      });
    }
  });

  it('twenty concurrent readers of one patient leave one whole chain, with every read recorded once', async () => {
    const patient = await newPatient();
    const chart = (requestId: string) =>
      fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.doctor}`, 'x-request-id': requestId },
        body: JSON.stringify({
          query: 'query($id: ID!) { patient(id: $id) { firstName medicalHistory { bloodType allergies { substance } } } }',
          variables: { id: patient.globalId },
        }),
      }).then((response) => expect(response.status).toBe(200));
    await chart('alone-0001');
    const perRead = (await entriesOf(patient.userId)).length;
    expect(perRead).toBeGreaterThan(0);
    const requestIds = Array.from({ length: 20 }, (_, i) => `concurrent-${String(i).padStart(4, '0')}`);
    await Promise.all(requestIds.map(chart));

    const entries = await entriesOf(patient.userId);
    expect(entries).toHaveLength(21 * perRead);
    expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: 21 * perRead }, (_, i) => i + 1));
    for (const requestId of requestIds) expect(entries.filter((entry) => entry.requestId === requestId)).toHaveLength(perRead);
    const VERIFY = `query($p: ID!) { verifyAuditChain(patientId: $p) { ok checked brokenAtSequence } }`;
    const verified = await api.graphql<{ verifyAuditChain: unknown }>(VERIFY, { p: patient.globalId }, tokens.admin);
    expect(verified.data!.verifyAuditChain).toEqual({ ok: true, checked: 21 * perRead, brokenAtSequence: null });
    // Every head update has landed (or was overtaken): the head is the newest entry.
    const head = async () => api.mongo.db.collection(AUDIT_HEADS).findOne({ _id: patient.userId as never });
    for (let tries = 0; (await head())?.seq !== 21 * perRead && tries < 40; tries++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await head()).toMatchObject({ seq: 21 * perRead, hash: entries.at(-1)!.hash });
  });
});
