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

    const granted = await api.graphql<{ requestEmergencyAccess: { expiresAt: string } }>(EMERGENCY, { p: patient.globalId, r: 'Unconscious on arrival, allergies unknown' }, token);
    const minutes = (Date.parse(granted.data!.requestEmergencyAccess.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(58);
    expect(minutes).toBeLessThanOrEqual(60);
    expect(await clinicalCode(patient.globalId, token)).toBe('VISIBLE');

    const alert = api.notifier.last(adminBEmail, 'emergency_access_alert');
    expect(alert?.data).toMatchObject({ clinicianRole: 'doctor', patient: patient.globalId });
    expect(JSON.stringify(alert)).not.toMatch(/Unconscious|Latex|Matrix/);

    await api.database.prisma.emergencyAccessGrant.updateMany({ where: { staffUserId: doctor.userId }, data: { createdAt: new Date(Date.now() - 7_200_000), expiresAt: new Date(Date.now() - 3_600_000) } });
    expect(await clinicalCode(patient.globalId, await api.token(doctor))).toBe('FORBIDDEN');
  });

  it('refuses a clinician who already has access, and non-clinicians', async () => {
    const doctor = await createStaff(api.database.prisma, 'doctor', clinicA);
    const patient = await createPatient(api.database.prisma, { clinicId: clinicA, clinicianIds: [doctor.userId] });
    const already = await api.graphql(EMERGENCY, { p: patient.globalId, r: 'Checking something urgently' }, await api.token(doctor));
    expect(already.errors?.[0].extensions?.code).toBe('CONFLICT');
    const receptionist = await api.token(await createStaff(api.database.prisma, 'receptionist', clinicB));
    expect((await api.graphql(EMERGENCY, { p: patient.globalId, r: 'Checking something urgently' }, receptionist)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses emergency access to anyone who is not a patient, without saying who exists', async () => {
    const doctor = await createStaff(api.database.prisma, 'doctor', clinicB);
    const token = await api.token(doctor);
    for (const notAPatient of [randomUUID(), doctor.userId]) {
      const response = await api.graphql(EMERGENCY, { p: toGlobalId('Patient', notAPatient), r: 'Unconscious on arrival, allergies unknown' }, token);
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
    expect((await api.graphql(ASSIGN, { p: patient.globalId, s: toGlobalId('User', doctor.userId) }, receptionist)).data).toEqual({ assignCareTeamMember: true });
    expect(await clinicalCode(patient.globalId, doctorToken)).toBe('VISIBLE');
  });

  it('refuses assignments across clinics', async () => {
    const patient = await createPatient(api.database.prisma, { clinicId: clinicA });
    const doctorB = await createStaff(api.database.prisma, 'doctor', clinicB);
    const receptionistA = await api.token(await createStaff(api.database.prisma, 'receptionist', clinicA));
    const receptionistB = await api.token(await createStaff(api.database.prisma, 'receptionist', clinicB));
    expect((await api.graphql(ASSIGN, { p: patient.globalId, s: toGlobalId('User', doctorB.userId) }, receptionistA)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.graphql(ASSIGN, { p: patient.globalId, s: toGlobalId('User', doctorB.userId) }, receptionistB)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
