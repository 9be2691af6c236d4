// Break-the-glass and care assignments: how a clinician comes to see a patient's clinical data.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { useTestApi } from '../harness/api.js';
import { createClinic, createPatient, createRecord, createStaff } from '../factories.js';

const api = useTestApi();
const HISTORY = `query($id: ID!) { patient(id: $id) { medicalHistory { allergies { substance } } } }`;
const EMERGENCY = `mutation($p: ID!, $r: String!) { requestEmergencyAccess(patientId: $p, reason: $r) { id patientId expiresAt } }`;
const ASSIGN = `mutation($p: ID!, $s: ID!) { assignCareTeamMember(patientId: $p, staffUserId: $s) }`;

let clinicA = '';
let clinicB = '';
let adminBEmail = '';

beforeAll(async () => {
  clinicA = (await createClinic(api.database.prisma)).id;
  clinicB = (await createClinic(api.database.prisma)).id;
  const adminB = await createStaff(api.database.prisma, 'admin', clinicB);
  adminBEmail = (await api.database.prisma.user.findUniqueOrThrow({ where: { id: adminB.userId } })).email;
});

async function clinicalCode(patientGlobalId: string, token: string) {
  const response = await api.graphql<{ patient: { medicalHistory: unknown } }>(HISTORY, { id: patientGlobalId }, token);
  return response.errors?.[0]?.extensions?.code ?? (response.data?.patient.medicalHistory ? 'VISIBLE' : 'NONE');
}

describe('break-the-glass', () => {
  it('gives a clinician without a relationship one hour of clinical access, alerts their admins, and ends when it expires', async () => {
    const patient = await createPatient(api.database.prisma, { clinicId: clinicA });
    await createRecord(api.mongo.db, patient.userId);
    const doctor = await createStaff(api.database.prisma, 'doctor', clinicB);
    const token = await api.token(doctor);
    expect(await clinicalCode(patient.globalId, token)).toBe('FORBIDDEN');

    const tooShort = await api.graphql(EMERGENCY, { p: patient.globalId, r: 'urgent' }, token);
    expect(tooShort.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['reason'] }] });

    const granted = await api.graphql<{ requestEmergencyAccess: { expiresAt: string } }>(
      EMERGENCY,
      { p: patient.globalId, r: 'Unconscious on arrival, allergies unknown' },
      token,
    );
    const minutes = (Date.parse(granted.data!.requestEmergencyAccess.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(58);
    expect(minutes).toBeLessThanOrEqual(60);
    expect(await clinicalCode(patient.globalId, token)).toBe('VISIBLE');

    const alert = api.notifier.last(adminBEmail, 'emergency_access_alert');
    expect(alert?.data).toMatchObject({
      clinicianRole: 'doctor',
      patient: patient.globalId,
      reason: 'Unconscious on arrival, allergies unknown',
    });

    await api.database.prisma.emergencyAccessGrant.updateMany({
      where: { staffUserId: doctor.userId },
      data: { createdAt: new Date(Date.now() - 7_200_000), expiresAt: new Date(Date.now() - 3_600_000) },
    });
    expect(await clinicalCode(patient.globalId, await api.token(doctor))).toBe('FORBIDDEN');
  });

  it('answers a second request, and parallel ones, with the grant already running: not extended, one alert', async () => {
    const patient = await createPatient(api.database.prisma, { clinicId: clinicA });
    const doctor = await createStaff(api.database.prisma, 'doctor', clinicB);
    const token = await api.token(doctor);
    const alertsBefore = api.notifier.sent.filter((message) => message.template === 'emergency_access_alert').length;
    const request = (reason: string) =>
      api.graphql<{ requestEmergencyAccess: { id: string; expiresAt: string } }>(EMERGENCY, { p: patient.globalId, r: reason }, token);
    const parallel = await Promise.all(Array.from({ length: 5 }, () => request('Seizure in the waiting room')));
    const ids = new Set(parallel.map((response) => response.data?.requestEmergencyAccess.id));
    expect(ids.size).toBe(1);
    const first = parallel[0].data!.requestEmergencyAccess;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await request('Still seizing, need the history');
    expect(again.data!.requestEmergencyAccess).toEqual(first);
    expect(await api.database.prisma.emergencyAccessGrant.count({ where: { staffUserId: doctor.userId } })).toBe(1);
    expect(api.notifier.sent.filter((message) => message.template === 'emergency_access_alert').length - alertsBefore).toBe(1);
    // Once it has expired, a new request is a new grant.
    await api.database.prisma.emergencyAccessGrant.updateMany({
      where: { staffUserId: doctor.userId },
      data: { createdAt: new Date(Date.now() - 7_200_000), expiresAt: new Date(Date.now() - 1000) },
    });
    const renewed = await request('Seizing again, a day later');
    expect(renewed.data!.requestEmergencyAccess.id).not.toBe(first.id);
  });

  it("shows a clinic's admins the grants made from it, with reasons and who broke the glass, and no one else; each read audited", async () => {
    const patient = await createPatient(api.database.prisma, { clinicId: clinicA });
    const nurse = await createStaff(api.database.prisma, 'nurse', clinicB);
    await api.graphql(EMERGENCY, { p: patient.globalId, r: 'Anaphylaxis, needs allergy list' }, await api.token(nurse));
    const GRANTS = `query($c: ID!, $from: DateTime!, $to: DateTime!, $after: String) {
      emergencyAccessGrants(clinicId: $c, from: $from, to: $to, first: 50, after: $after) { edges { node { patientId reason createdAt clinician { name role } } } } }`;
    const range = { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
    const adminB = await api.tokenFor(adminBEmail);
    const listed = await api.graphql<{
      emergencyAccessGrants: { edges: Array<{ node: { patientId: string; reason: string; clinician: { name: string; role: string } } }> };
    }>(GRANTS, { c: toGlobalId('Clinic', clinicB), ...range }, adminB);
    expect(listed.errors).toBeUndefined();
    const nurseProfile = await api.database.prisma.userProfile.findUniqueOrThrow({ where: { userId: nurse.userId } });
    expect(listed.data!.emergencyAccessGrants.edges.map((edge) => edge.node)).toContainEqual({
      patientId: patient.globalId,
      reason: 'Anaphylaxis, needs allergy list',
      createdAt: expect.any(String),
      clinician: { name: `${nurseProfile.firstName} ${nurseProfile.lastName}`, role: 'NURSE' },
    });
    const adminA = await api.token(await createStaff(api.database.prisma, 'admin', clinicA));
    expect((await api.graphql(GRANTS, { c: toGlobalId('Clinic', clinicB), ...range }, adminA)).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await api.graphql(GRANTS, { c: toGlobalId('Clinic', clinicB), ...range }, await api.token(nurse))).errors?.[0].extensions?.code,
    ).toBe('FORBIDDEN');
    const reads = await api.mongo.db
      .collection('audit_logs')
      .find({ patientId: patient.userId, action: 'read', resource: 'EmergencyAccessGrant' })
      .toArray();
    expect(reads).toContainEqual(
      expect.objectContaining({ fields: expect.arrayContaining(['reason']), actor: expect.objectContaining({ role: 'admin' }) }),
    );
  });

  it('refuses a clinician who already has access, and non-clinicians', async () => {
    const doctor = await createStaff(api.database.prisma, 'doctor', clinicA);
    const patient = await createPatient(api.database.prisma, { clinicId: clinicA, clinicianIds: [doctor.userId] });
    const already = await api.graphql(EMERGENCY, { p: patient.globalId, r: 'Checking something urgently' }, await api.token(doctor));
    expect(already.errors?.[0].extensions?.code).toBe('CONFLICT');
    const receptionist = await api.token(await createStaff(api.database.prisma, 'receptionist', clinicB));
    expect(
      (await api.graphql(EMERGENCY, { p: patient.globalId, r: 'Checking something urgently' }, receptionist)).errors?.[0].extensions?.code,
    ).toBe('FORBIDDEN');
  });

  it('refuses emergency access to anyone who is not a patient, without saying who exists', async () => {
    const doctor = await createStaff(api.database.prisma, 'doctor', clinicB);
    const token = await api.token(doctor);
    for (const notAPatient of [randomUUID(), doctor.userId]) {
      const response = await api.graphql(
        EMERGENCY,
        { p: toGlobalId('Patient', notAPatient), r: 'Unconscious on arrival, allergies unknown' },
        token,
      );
      expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect(await api.database.prisma.emergencyAccessGrant.count({ where: { staffUserId: doctor.userId } })).toBe(0);
  });
});

describe('care assignments', () => {
  it('lets the front desk assign a clinician of the clinic, who then sees the clinical data', async () => {
    const patient = await createPatient(api.database.prisma, { clinicId: clinicA });
    await createRecord(api.mongo.db, patient.userId);
    const doctor = await createStaff(api.database.prisma, 'doctor', clinicA);
    const doctorToken = await api.token(doctor);
    expect(await clinicalCode(patient.globalId, doctorToken)).toBe('FORBIDDEN');
    const receptionist = await api.token(await createStaff(api.database.prisma, 'receptionist', clinicA));
    expect((await api.graphql(ASSIGN, { p: patient.globalId, s: toGlobalId('User', doctor.userId) }, receptionist)).data).toEqual({
      assignCareTeamMember: true,
    });
    expect(await clinicalCode(patient.globalId, doctorToken)).toBe('VISIBLE');
  });

  it('refuses assignments across clinics', async () => {
    const patient = await createPatient(api.database.prisma, { clinicId: clinicA });
    const doctorB = await createStaff(api.database.prisma, 'doctor', clinicB);
    const receptionistA = await api.token(await createStaff(api.database.prisma, 'receptionist', clinicA));
    const receptionistB = await api.token(await createStaff(api.database.prisma, 'receptionist', clinicB));
    expect(
      (await api.graphql(ASSIGN, { p: patient.globalId, s: toGlobalId('User', doctorB.userId) }, receptionistA)).errors?.[0].extensions
        ?.code,
    ).toBe('FORBIDDEN');
    expect(
      (await api.graphql(ASSIGN, { p: patient.globalId, s: toGlobalId('User', doctorB.userId) }, receptionistB)).errors?.[0].extensions
        ?.code,
    ).toBe('FORBIDDEN');
  });
});
