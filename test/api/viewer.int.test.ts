// The signed-in user and their own records: a patient reaches their record (under the patient
// rules and the read audit), a doctor their profile, staff their clinics and roles; and "my"
// appointments mean something for every role.
import { beforeAll, describe, expect, it } from 'vitest';
import { MeDocument, MyAppointmentsDocument } from '../../src/generated/operations.js';
import { AUDIT_LOGS } from '../../src/modules/audit/index.js';
import { useTestApi } from '../harness/api.js';
import { createAppointment, createAppointmentType, createClinic, createDoctor, createPatient, createStaff } from '../factories.js';

const api = useTestApi();
let clinicA: Awaited<ReturnType<typeof createClinic>>;
let clinicB: Awaited<ReturnType<typeof createClinic>>;
let doctor: Awaited<ReturnType<typeof createDoctor>>;
let patient: Awaited<ReturnType<typeof createPatient>>;
const appointments: Record<string, string> = {};

beforeAll(async () => {
  const prisma = api.database.prisma;
  [clinicA, clinicB] = [await createClinic(prisma, { name: 'Clinique A' }), await createClinic(prisma, { name: 'Clinique B' })];
  doctor = await createDoctor(prisma, { firstName: 'Aminata', lastName: 'Bello', clinicIds: [clinicA.id] });
  const colleague = await createDoctor(prisma, { clinicIds: [clinicA.id, clinicB.id] });
  patient = await createPatient(prisma, { firstName: 'Jeanne', lastName: 'Ekwalla', clinicId: clinicA.id });
  const other = await createPatient(prisma, { clinicId: clinicA.id });
  const type = await createAppointmentType(prisma);
  const at = (hours: number) => new Date(Date.now() + hours * 3_600_000);
  const book = async (name: string, fields: { patientId: string; doctorId: string; clinicId: string }, hours: number) => {
    appointments[name] = (await createAppointment(prisma, { ...fields, appointmentTypeId: type.id, startsAt: at(hours) })).globalId;
  };
  await book('patientWithDoctor', { patientId: patient.userId, doctorId: doctor.doctorId, clinicId: clinicA.id }, 48);
  await book('patientPast', { patientId: patient.userId, doctorId: doctor.doctorId, clinicId: clinicA.id }, -48);
  await book('otherWithColleague', { patientId: other.userId, doctorId: colleague.doctorId, clinicId: clinicA.id }, 50);
  await book('otherAtClinicB', { patientId: other.userId, doctorId: colleague.doctorId, clinicId: clinicB.id }, 72);
});

describe('viewer', () => {
  it('gives a patient their name and their own record, read under the patient rules and audited', async () => {
    const response = await api.graphql(MeDocument, {}, await api.token(patient));
    expect(response.errors).toBeUndefined();
    expect(response.data!.viewer).toMatchObject({
      displayName: 'Jeanne Ekwalla',
      role: 'PATIENT',
      doctor: null,
      memberships: [],
      patient: { id: patient.globalId, firstName: 'Jeanne' },
    });
    const entries = await api.mongo.db.collection(AUDIT_LOGS).find({ patientId: patient.userId, action: 'read' }).toArray();
    expect(entries.map((entry) => [entry.resource, entry.fields, entry.actor?.userId])).toContainEqual([
      'Patient',
      ['firstName', 'lastName'],
      patient.userId,
    ]);
  });

  it('gives a doctor their directory profile and their clinics with their role', async () => {
    const response = await api.graphql(MeDocument, {}, await api.token(doctor));
    expect(response.errors).toBeUndefined();
    expect(response.data!.viewer).toMatchObject({
      displayName: 'Aminata Bello',
      role: 'DOCTOR',
      patient: null,
      doctor: { id: doctor.globalId },
      memberships: [{ role: 'DOCTOR', clinic: { id: clinicA.globalId, name: 'Clinique A' } }],
    });
  });

  it('gives a receptionist their clinic and role, and no patient or doctor record', async () => {
    const response = await api.graphql(MeDocument, {}, await api.token(await createStaff(api.database.prisma, 'receptionist', clinicB.id)));
    expect(response.data!.viewer).toMatchObject({
      role: 'RECEPTIONIST',
      patient: null,
      doctor: null,
      memberships: [{ role: 'RECEPTIONIST', clinic: { id: clinicB.globalId } }],
    });
  });
});

describe('myAppointments, by role', () => {
  const mine = async (token: string, upcoming = true) => {
    const response = await api.graphql(MyAppointmentsDocument, { upcoming, first: 20 }, token);
    expect(response.errors).toBeUndefined();
    return response.data!.myAppointments.edges.map((edge) => edge.node.id);
  };

  it('a patient: their own, upcoming or past', async () => {
    const token = await api.token(patient);
    expect(await mine(token)).toEqual([appointments.patientWithDoctor]);
    expect(await mine(token, false)).toEqual([appointments.patientPast]);
  });

  it('a doctor: those where they are the doctor', async () => {
    expect(await mine(await api.token(doctor))).toEqual([appointments.patientWithDoctor]);
  });

  it("a nurse, receptionist or admin: their clinics' appointments, soonest first", async () => {
    for (const role of ['nurse', 'receptionist', 'admin'] as const) {
      expect(await mine(await api.token(await createStaff(api.database.prisma, role, clinicA.id))), role).toEqual([
        appointments.patientWithDoctor,
        appointments.otherWithColleague,
      ]);
      expect(await mine(await api.token(await createStaff(api.database.prisma, role, clinicB.id))), role).toEqual([
        appointments.otherAtClinicB,
      ]);
    }
  });
});
