// Doctors and free slots through the cache (the shared Redis, a key prefix of this file's own): a
// repeated query costs no SQL, and every write that changes what it shows makes the next read
// fresh at once: booking, cancelling and rescheduling; weekly hours and time off; suspending and
// reactivating a doctor.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { useTestApi } from '../harness/api.js';
import {
  createAppointmentType,
  createClinic,
  createDoctor,
  createPatient,
  createSpecialty,
  createStaff,
  createWeeklyHours,
  nextWeekday,
} from '../factories.js';

const api = useTestApi({ manualJobs: true });

const VARIABLES = '$clinic: ID!, $doctor: ID!, $specialty: String!, $type: ID!, $from: DateTime!, $to: DateTime!';
const LISTING = `
  doctors(first: 20, filter: { clinicId: $clinic }) { edges { node { id displayName specialties { code } clinics { id } } } }
  slots: availableSlots(input: { doctorId: $doctor, appointmentTypeId: $type, from: $from, to: $to }) { startsAt doctor { id } clinic { id } }
  bySpecialty: availableSlots(input: { specialty: $specialty, clinicId: $clinic, appointmentTypeId: $type, from: $from, to: $to }) { startsAt doctor { id } }`;
const DIRECTORY = `query(${VARIABLES}) { ${LISTING} doctor(id: $doctor) { displayName } }`;
type Directory = {
  doctors: { edges: Array<{ node: { id: string } }> };
  doctor: { displayName: string } | null;
  slots: Array<{ startsAt: string }>;
  bySpecialty: Array<{ startsAt: string; doctor: { id: string } }>;
};
const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }`;
const CANCEL = `mutation($id: ID!) { cancelAppointment(appointmentId: $id, reason: "Cannot come") { status } }`;
const RESCHEDULE = `mutation($id: ID!, $at: DateTime!) { rescheduleAppointment(appointmentId: $id, startsAt: $at) { status } }`;
const SET_WEEKLY = `mutation($d: ID!, $c: ID!, $w: [WeeklyWindowInput!]!) { setWeeklyAvailability(doctorId: $d, clinicId: $c, windows: $w) }`;
const ADD_EXCEPTION = `mutation($d: ID!, $i: AvailabilityExceptionInput!) { addAvailabilityException(doctorId: $d, input: $i) }`;

const tuesday = nextWeekday(2);
const at = (time: string) => new Date(`${tuesday}T${time}:00.000Z`).toISOString();
let clinic: Awaited<ReturnType<typeof createClinic>>;
let doctor: Awaited<ReturnType<typeof createDoctor>>;
let variables: Record<string, string>;

beforeAll(async () => {
  const prisma = api.database.prisma;
  clinic = await createClinic(prisma); // Africa/Douala, UTC+1
  const specialty = await createSpecialty(prisma, `spec_${randomUUID().replace(/[^a-f]/g, '')}`);
  doctor = await createDoctor(prisma, { clinicIds: [clinic.id], specialtyIds: [specialty.id] });
  await createWeeklyHours(prisma, doctor.doctorId, clinic.id, [{ dayOfWeek: 2, from: '08:00', to: '10:00' }]); // 07:00 to 09:00 UTC
  const type = await createAppointmentType(prisma, { durationMinutes: 30 });
  variables = {
    clinic: clinic.globalId,
    doctor: doctor.globalId,
    specialty: specialty.code,
    type: type.globalId,
    from: at('00:00'),
    to: at('23:00'),
  };
});

/** A directory query, anonymously: its answer and the SQL statements it cost. */
async function directory(query = DIRECTORY) {
  const before = api.database.statementCount;
  const response = await api.graphql<Directory>(query, variables);
  const statements = api.database.statementCount - before;
  return {
    data: response.data!,
    errors: response.errors,
    statements,
    slots: response.data?.slots.map((slot) => slot.startsAt.slice(11, 16)),
  };
}

/** The directory query twice: the second answer is the first, from the cache (no SQL). */
async function cached() {
  const first = await directory();
  expect(first.errors).toBeUndefined();
  const second = await directory();
  expect(second.statements).toBe(0);
  expect(second.data).toEqual(first.data);
  return first;
}

describe('doctors and slots through the cache', () => {
  it('cost SQL the first time only', async () => {
    const first = await directory();
    expect(first.statements).toBeGreaterThan(0);
    expect(first.data.doctors.edges.map((edge) => edge.node.id)).toEqual([doctor.globalId]);
    expect(first.slots).toEqual(['07:00', '07:30', '08:00', '08:30']);
    expect(first.data.bySpecialty).toHaveLength(4);
    expect(await cached()).toMatchObject({ data: first.data });
  });

  it('a booking takes its slot at once, cancelling gives it back, rescheduling moves it', async () => {
    const patient = await api.token(await createPatient(api.database.prisma));
    await cached();
    const booked = await api.graphql<{ bookAppointment: { id: string } }>(
      BOOK,
      { input: { doctorId: doctor.globalId, clinicId: clinic.globalId, appointmentTypeId: variables.type, startsAt: at('07:30') } },
      patient,
    );
    expect(booked.errors).toBeUndefined();
    const id = booked.data!.bookAppointment.id;
    expect((await cached()).slots).toEqual(['07:00', '08:00', '08:30']);

    expect((await api.graphql(RESCHEDULE, { id, at: at('08:30') }, patient)).errors).toBeUndefined();
    expect((await cached()).slots).toEqual(['07:00', '07:30', '08:00']);

    expect((await api.graphql(CANCEL, { id }, patient)).errors).toBeUndefined();
    const after = await cached();
    expect(after.slots).toEqual(['07:00', '07:30', '08:00', '08:30']);
    expect(after.data.bySpecialty).toHaveLength(4);
  });

  it('new weekly hours and time off change the slots at once', async () => {
    const token = await api.token(doctor);
    await cached();
    const hours = await api.graphql(
      SET_WEEKLY,
      { d: doctor.globalId, c: clinic.globalId, w: [{ dayOfWeek: 2, startsAt: '09:00', endsAt: '11:00' }] },
      token,
    );
    expect(hours.errors).toBeUndefined();
    expect((await cached()).slots).toEqual(['08:00', '08:30', '09:00', '09:30']);

    const off = await api.graphql(
      ADD_EXCEPTION,
      { d: doctor.globalId, i: { kind: 'TIME_OFF', startsAt: at('09:00'), endsAt: at('10:00') } },
      token,
    );
    expect(off.errors).toBeUndefined();
    expect((await cached()).slots).toEqual(['08:00', '08:30']);
  });

  it('a suspended doctor is gone from the directory and the slots at once, and back once reactivated', async () => {
    const admin = await api.token(await createStaff(api.database.prisma, 'admin', clinic.id));
    const listed = await cached();
    const user = toGlobalId('User', doctor.userId);
    expect((await api.graphql(`mutation($u: ID!) { suspendUser(userId: $u) }`, { u: user }, admin)).errors).toBeUndefined();
    const suspended = await directory(`query(${VARIABLES}) { ${LISTING} }`);
    expect(suspended.errors).toBeUndefined();
    expect(suspended.data).toEqual({ doctors: { edges: [] }, slots: [], bySpecialty: [] });
    const profile = await api.graphql(`query($id: ID!) { doctor(id: $id) { displayName } }`, { id: doctor.globalId });
    expect(profile.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);

    expect((await api.graphql(`mutation($u: ID!) { reactivateUser(userId: $u) }`, { u: user }, admin)).errors).toBeUndefined();
    expect((await cached()).data).toEqual(listed.data);
  });
});
