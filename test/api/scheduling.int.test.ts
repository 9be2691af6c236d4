// Scheduling end to end: free slots across time zones and midnight, booking that can never
// double-book (PostgreSQL refuses it), idempotent retries, every state transition, schedules at a
// constant number of SQL statements, and appointments as care relationships.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { useTestApi } from '../harness/api.js';
import {
  createAppointment,
  createAppointmentType,
  createClinic,
  createDoctor,
  createPatient,
  createStaff,
  createWeeklyHours,
  nextWeekday,
} from '../factories.js';

// No background jobs and no cache: the SQL counts measured here are those of the database path.
const api = useTestApi({ manualJobs: true, uncached: true });

const SLOTS = `query($input: SlotSearchInput!) { availableSlots(input: $input) { startsAt endsAt doctor { id } clinic { id } } }`;
const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id status startsAt endsAt } }`;
type Slots = { availableSlots: Array<{ startsAt: string; endsAt: string }> };
type Booked = { bookAppointment: { id: string; status: string; startsAt: string } };

describe('free slots', () => {
  it("follows weekly hours in the clinic's time zone, leaving out the lunch break", async () => {
    const prisma = api.database.prisma;
    const clinic = await createClinic(prisma, { city: 'Douala' }); // Africa/Douala, UTC+1
    const doctor = await createDoctor(prisma, { clinicIds: [clinic.id] });
    const type = await createAppointmentType(prisma, { durationMinutes: 30 });
    await createWeeklyHours(prisma, doctor.doctorId, clinic.id, [
      { dayOfWeek: 1, from: '08:00', to: '12:00', breaks: [['10:00', '10:30']] },
    ]);
    const monday = nextWeekday(1);
    const response = await api.graphql<Slots>(SLOTS, {
      input: { doctorId: doctor.globalId, from: `${monday}T00:00:00Z`, to: `${monday}T23:59:00Z`, appointmentTypeId: type.globalId },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.availableSlots.map((s) => s.startsAt.slice(11, 16))).toEqual([
      '07:00',
      '07:30',
      '08:00',
      '08:30',
      '09:30',
      '10:00',
      '10:30',
    ]);
  });

  it('runs a window past local midnight into the next day, with its break, in a far time zone', async () => {
    const prisma = api.database.prisma;
    const clinic = await createClinic(prisma, { city: 'Tokyo' });
    await prisma.clinic.update({ where: { id: clinic.id }, data: { timeZone: 'Asia/Tokyo' } }); // UTC+9
    const doctor = await createDoctor(prisma, { clinicIds: [clinic.id] });
    const type = await createAppointmentType(prisma, { durationMinutes: 60 });
    await createWeeklyHours(prisma, doctor.doctorId, clinic.id, [
      { dayOfWeek: 1, from: '22:00', to: '02:00', breaks: [['00:00', '01:00']] },
    ]);
    const monday = nextWeekday(1); // local Monday 22:00 = Monday 13:00 UTC; local Tuesday 02:00 = Monday 17:00 UTC
    const response = await api.graphql<Slots>(SLOTS, {
      input: { doctorId: doctor.globalId, from: `${monday}T00:00:00Z`, to: `${monday}T23:59:00Z`, appointmentTypeId: type.globalId },
    });
    expect(response.data!.availableSlots.map((s) => [s.startsAt, s.endsAt])).toEqual([
      [`${monday}T13:00:00.000Z`, `${monday}T14:00:00.000Z`],
      [`${monday}T14:00:00.000Z`, `${monday}T15:00:00.000Z`],
      [`${monday}T16:00:00.000Z`, `${monday}T17:00:00.000Z`],
    ]);
  });

  it('refuses a range over 31 days, and more than one way of choosing doctors', async () => {
    const type = await createAppointmentType(api.database.prisma, { durationMinutes: 30 });
    const long = await api.graphql(SLOTS, {
      input: {
        doctorId: toGlobalId('Doctor', randomUUID()),
        from: '2030-01-01T00:00:00Z',
        to: '2030-03-01T00:00:00Z',
        appointmentTypeId: type.globalId,
      },
    });
    expect(long.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['input', 'to'] }] });
    const both = await api.graphql(SLOTS, {
      input: {
        doctorId: toGlobalId('Doctor', randomUUID()),
        specialty: 'cardiology',
        from: '2030-01-01T00:00:00Z',
        to: '2030-01-02T00:00:00Z',
        appointmentTypeId: type.globalId,
      },
    });
    expect(both.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['input'] }] });
  });
});

describe('booking', () => {
  let clinic: Awaited<ReturnType<typeof createClinic>>;
  let doctor: Awaited<ReturnType<typeof createDoctor>>;
  let type: Awaited<ReturnType<typeof createAppointmentType>>;
  let firstSlot = '';

  beforeAll(async () => {
    const prisma = api.database.prisma;
    clinic = await createClinic(prisma);
    doctor = await createDoctor(prisma, { clinicIds: [clinic.id] });
    type = await createAppointmentType(prisma, { durationMinutes: 30 });
    await createWeeklyHours(
      prisma,
      doctor.doctorId,
      clinic.id,
      [2, 3, 4].map((dayOfWeek) => ({ dayOfWeek, from: '08:00', to: '16:00' })),
    );
    const tuesday = nextWeekday(2);
    const slots = await api.graphql<Slots>(SLOTS, {
      input: { doctorId: doctor.globalId, from: `${tuesday}T00:00:00Z`, to: `${tuesday}T23:00:00Z`, appointmentTypeId: type.globalId },
    });
    firstSlot = slots.data!.availableSlots[0].startsAt;
  });

  const input = (startsAt: string, extra: Record<string, unknown> = {}) => ({
    doctorId: doctor.globalId,
    clinicId: clinic.globalId,
    appointmentTypeId: type.globalId,
    startsAt,
    ...extra,
  });

  it('lets exactly one of 50 patients booking the same slot at once succeed; the 49 others get CONFLICT with the clashing time', async () => {
    const patients = await Promise.all(Array.from({ length: 50 }, () => createPatient(api.database.prisma)));
    const tokens = await Promise.all(patients.map((patient) => api.token(patient)));
    const results = await Promise.all(tokens.map((token) => api.graphql<Booked>(BOOK, { input: input(firstSlot) }, token)));
    const booked = results.filter((r) => r.data?.bookAppointment);
    const conflicts = results.filter((r) => r.errors?.[0].extensions?.code === 'CONFLICT');
    expect(booked).toHaveLength(1);
    expect(conflicts).toHaveLength(49);
    expect(conflicts[0].errors![0].extensions).toMatchObject({
      clash: 'doctor',
      clashesWith: { startsAt: new Date(firstSlot).toISOString() },
    });
    const after = await api.graphql<Slots>(SLOTS, {
      input: {
        doctorId: doctor.globalId,
        from: firstSlot,
        to: new Date(Date.parse(firstSlot) + 3_600_000).toISOString(),
        appointmentTypeId: type.globalId,
      },
    });
    expect(after.data!.availableSlots.map((s) => s.startsAt)).not.toContain(new Date(firstSlot).toISOString());
  });

  it("refuses a time outside the doctor's hours", async () => {
    const patient = await createPatient(api.database.prisma);
    const sunday = `${nextWeekday(0)}T09:00:00.000Z`;
    const response = await api.graphql(BOOK, { input: input(sunday) }, await api.token(patient));
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['input', 'startsAt'] }] });
  });

  it('refuses a patient being in two places at once', async () => {
    const prisma = api.database.prisma;
    const other = await createDoctor(prisma, { clinicIds: [clinic.id] });
    await createWeeklyHours(prisma, other.doctorId, clinic.id, [{ dayOfWeek: 3, from: '08:00', to: '16:00' }]);
    const patient = await createPatient(prisma);
    const token = await api.token(patient);
    const wednesday = `${nextWeekday(3)}T10:00:00.000Z`;
    expect((await api.graphql<Booked>(BOOK, { input: input(wednesday) }, token)).data?.bookAppointment.status).toBe('BOOKED');
    const second = await api.graphql(BOOK, { input: { ...input(wednesday), doctorId: other.globalId } }, token);
    expect(second.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', clash: 'patient' });
  });

  it('returns the same appointment for a retried booking with the same idempotency key, even at once', async () => {
    const patient = await createPatient(api.database.prisma);
    const token = await api.token(patient);
    const startsAt = `${nextWeekday(4)}T09:00:00.000Z`;
    const key = `booking-${randomUUID()}`;
    const [a, b] = await Promise.all([
      api.graphql<Booked>(BOOK, { input: input(startsAt, { idempotencyKey: key }) }, token),
      api.graphql<Booked>(BOOK, { input: input(startsAt, { idempotencyKey: key }) }, token),
    ]);
    const again = await api.graphql<Booked>(BOOK, { input: input(startsAt, { idempotencyKey: key }) }, token);
    expect([a.errors, b.errors, again.errors]).toEqual([undefined, undefined, undefined]);
    expect(new Set([a.data!.bookAppointment.id, b.data!.bookAppointment.id, again.data!.bookAppointment.id]).size).toBe(1);
    expect(await api.database.prisma.appointment.count({ where: { patientId: patient.userId } })).toBe(1);
    const misuse = await api.graphql(BOOK, { input: input(`${nextWeekday(4)}T11:00:00.000Z`, { idempotencyKey: key }) }, token);
    expect(misuse.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('lets the front desk book for a patient of the clinic, not for others', async () => {
    const prisma = api.database.prisma;
    const receptionist = await api.token(await createStaff(prisma, 'receptionist', clinic.id));
    const ours = await createPatient(prisma, { clinicId: clinic.id });
    const stranger = await createPatient(prisma);
    const thursday = (h: number) => `${nextWeekday(4)}T${String(h).padStart(2, '0')}:00:00.000Z`;
    expect(
      (await api.graphql<Booked>(BOOK, { input: input(thursday(12), { patientId: ours.globalId }) }, receptionist)).data?.bookAppointment
        .status,
    ).toBe('BOOKED');
    expect(
      (await api.graphql(BOOK, { input: input(thursday(13), { patientId: stranger.globalId }) }, receptionist)).errors?.[0].extensions
        ?.code,
    ).toBe('FORBIDDEN');
  });
});

describe("the visit's state machine", () => {
  const STATUSES = ['booked', 'confirmed', 'checked_in', 'in_consultation', 'completed', 'cancelled', 'no_show'] as const;
  const STEPS: Array<{
    mutation: string;
    extra?: string;
    allowedFrom: string[];
    to: (typeof STATUSES)[number];
    actor: 'doctor' | 'receptionist';
  }> = [
    { mutation: 'confirmAppointment', allowedFrom: ['booked'], to: 'confirmed', actor: 'receptionist' },
    { mutation: 'checkInAppointment', allowedFrom: ['booked', 'confirmed'], to: 'checked_in', actor: 'receptionist' },
    { mutation: 'startConsultation', allowedFrom: ['checked_in'], to: 'in_consultation', actor: 'doctor' },
    {
      mutation: 'completeAppointment',
      extra: ', encounter: { chiefComplaint: "Fever", diagnoses: [{ icd10Code: "B54", description: "Malaria", primary: true }] }',
      allowedFrom: ['in_consultation'],
      to: 'completed',
      actor: 'doctor',
    },
    {
      mutation: 'cancelAppointment',
      extra: ', reason: "Patient asked"',
      allowedFrom: ['booked', 'confirmed'],
      to: 'cancelled',
      actor: 'receptionist',
    },
    { mutation: 'markNoShow', allowedFrom: ['booked', 'confirmed'], to: 'no_show', actor: 'receptionist' },
  ];
  let setup: { clinicId: string; doctorId: string; typeId: string; tokens: Record<'doctor' | 'receptionist', string> };
  let hoursAgo = 1;

  beforeAll(async () => {
    const prisma = api.database.prisma;
    const clinic = await createClinic(prisma);
    const doctorStaff = await createDoctor(prisma, { clinicIds: [clinic.id] });
    const type = await createAppointmentType(prisma, { durationMinutes: 30 });
    setup = {
      clinicId: clinic.id,
      doctorId: doctorStaff.doctorId,
      typeId: type.id,
      tokens: { doctor: await api.token(doctorStaff), receptionist: await api.token(await createStaff(prisma, 'receptionist', clinic.id)) },
    };
  });

  for (const step of STEPS) {
    for (const status of STATUSES) {
      const allowed = step.allowedFrom.includes(status);
      it(`${step.mutation} from ${status}: ${allowed ? 'allowed' : 'CONFLICT'}`, async () => {
        const prisma = api.database.prisma;
        const patient = await createPatient(prisma);
        // An appointment that already began (each an hour apart: one doctor), so every step's timing is possible.
        const startsAt = new Date(Date.now() - 3_600_000 * hoursAgo++);
        const row = await createAppointment(prisma, {
          patientId: patient.userId,
          doctorId: setup.doctorId,
          clinicId: setup.clinicId,
          appointmentTypeId: setup.typeId,
          startsAt,
          status,
        });
        const response = await api.graphql<Record<string, { status: string }>>(
          `mutation($id: ID!) { ${step.mutation}(appointmentId: $id${step.extra ?? ''}) { status } }`,
          { id: row.globalId },
          setup.tokens[step.actor],
        );
        if (allowed) {
          expect(response.errors).toBeUndefined();
          expect(response.data![step.mutation].status).toBe(step.to.toUpperCase());
          expect((await prisma.appointment.findUniqueOrThrow({ where: { id: row.id } })).status).toBe(step.to);
        } else {
          expect(response.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', status: status.toUpperCase() });
          expect((await prisma.appointment.findUniqueOrThrow({ where: { id: row.id } })).status).toBe(status);
        }
      });
    }
  }

  it('refuses a step to a role that may not take it (a receptionist starting a consultation)', async () => {
    const prisma = api.database.prisma;
    const patient = await createPatient(prisma);
    const startsAt = new Date(Date.now() - 3_600_000 * hoursAgo++);
    const row = await createAppointment(prisma, {
      patientId: patient.userId,
      doctorId: setup.doctorId,
      clinicId: setup.clinicId,
      appointmentTypeId: setup.typeId,
      startsAt,
      status: 'checked_in',
    });
    const response = await api.graphql(
      `mutation($id: ID!) { startConsultation(appointmentId: $id) { status } }`,
      { id: row.globalId },
      setup.tokens.receptionist,
    );
    expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('moves only a booked or confirmed appointment (which then needs confirming again); any other is a CONFLICT naming its status', async () => {
    const prisma = api.database.prisma;
    await createWeeklyHours(
      prisma,
      setup.doctorId,
      setup.clinicId,
      [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({ dayOfWeek, from: '00:00', to: '23:30' })),
    );
    const base = Math.ceil((Date.now() + 40 * 86_400_000) / 3_600_000) * 3_600_000;
    for (const [i, status] of STATUSES.entries()) {
      const patient = await createPatient(prisma);
      const startsAt = new Date(base + i * 2 * 3_600_000);
      const row = await createAppointment(prisma, {
        patientId: patient.userId,
        doctorId: setup.doctorId,
        clinicId: setup.clinicId,
        appointmentTypeId: setup.typeId,
        startsAt,
        status,
      });
      const to = new Date(startsAt.getTime() + 3_600_000).toISOString();
      const response = await api.graphql<{ rescheduleAppointment: { status: string; startsAt: string } }>(
        `mutation($id: ID!, $at: DateTime!) { rescheduleAppointment(appointmentId: $id, startsAt: $at) { status startsAt } }`,
        { id: row.globalId, at: to },
        setup.tokens.receptionist,
      );
      if (status === 'booked' || status === 'confirmed') {
        expect(response.errors, status).toBeUndefined();
        expect(response.data!.rescheduleAppointment).toEqual({ status: 'BOOKED', startsAt: to });
      } else {
        expect(response.errors?.[0].extensions, status).toMatchObject({ code: 'CONFLICT', status: status.toUpperCase() });
        expect((await prisma.appointment.findUniqueOrThrow({ where: { id: row.id } })).startsAt).toEqual(startsAt);
      }
    }
  });
});

describe('schedules', () => {
  it("a doctor's day with its patients costs the same SQL statements for 3 appointments as for 20", async () => {
    const prisma = api.database.prisma;
    const clinic = await createClinic(prisma);
    const doctor = await createDoctor(prisma, { clinicIds: [clinic.id] });
    const type = await createAppointmentType(prisma, { durationMinutes: 15 });
    const receptionist = await api.token(await createStaff(prisma, 'receptionist', clinic.id));
    const book = async (date: string, count: number) => {
      for (let i = 0; i < count; i++) {
        const patient = await createPatient(prisma, { clinicId: clinic.id });
        const startsAt = new Date(`${date}T07:00:00.000Z`);
        startsAt.setUTCMinutes(i * 15);
        await createAppointment(prisma, {
          patientId: patient.userId,
          doctorId: doctor.doctorId,
          clinicId: clinic.id,
          appointmentTypeId: type.id,
          startsAt,
          minutes: 15,
        });
      }
    };
    const [small, large] = [nextWeekday(2), nextWeekday(3)];
    await book(small, 3);
    await book(large, 20);
    const SCHEDULE = `query($d: ID!, $date: LocalDate!) { doctorSchedule(doctorId: $d, date: $date, first: 50) { edges { node { startsAt status type { name } clinic { name } patient { firstName lastName } } } } }`;
    const measure = async (date: string) => {
      const before = api.database.statementCount;
      const response = await api.graphql<{ doctorSchedule: { edges: Array<{ node: { patient: { firstName: string } } }> } }>(
        SCHEDULE,
        { d: doctor.globalId, date },
        receptionist,
      );
      expect(response.errors).toBeUndefined();
      return {
        statements: api.database.statementCount - before,
        count: response.data!.doctorSchedule.edges.length,
        named: response.data!.doctorSchedule.edges.every((e) => e.node.patient.firstName),
      };
    };
    const three = await measure(small);
    const twenty = await measure(large);
    expect([three.count, twenty.count]).toEqual([3, 20]);
    expect(twenty.named).toBe(true);
    expect(twenty.statements).toBe(three.statements);
  });

  it("lists a patient's upcoming appointments, and hides an appointment from another clinic's staff", async () => {
    const prisma = api.database.prisma;
    const clinic = await createClinic(prisma);
    const doctor = await createDoctor(prisma, { clinicIds: [clinic.id] });
    const type = await createAppointmentType(prisma, { durationMinutes: 30 });
    const patient = await createPatient(prisma);
    const startsAt = new Date(`${nextWeekday(5)}T09:00:00.000Z`);
    const row = await createAppointment(prisma, {
      patientId: patient.userId,
      doctorId: doctor.doctorId,
      clinicId: clinic.id,
      appointmentTypeId: type.id,
      startsAt,
    });
    const mine = await api.graphql<{ myAppointments: { edges: Array<{ node: { id: string } }> } }>(
      `{ myAppointments(first: 10) { edges { node { id startsAt doctor { displayName } } } } }`,
      {},
      await api.token(patient),
    );
    expect(mine.data!.myAppointments.edges.map((e) => e.node.id)).toEqual([row.globalId]);
    const outsider = await api.token(await createStaff(prisma, 'receptionist', (await createClinic(prisma)).id));
    const peek = await api.graphql(`query($id: ID!) { node(id: $id) { ... on Appointment { startsAt } } }`, { id: row.globalId }, outsider);
    expect(peek.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it("makes an appointment a care relationship: its doctor may now read the patient's history", async () => {
    const prisma = api.database.prisma;
    const clinic = await createClinic(prisma);
    const doctorStaff = await createDoctor(prisma, { clinicIds: [clinic.id] });
    const type = await createAppointmentType(prisma, { durationMinutes: 30 });
    const patient = await createPatient(prisma);
    const token = await api.token(doctorStaff);
    const HISTORY = `query($id: ID!) { patient(id: $id) { medicalHistory { bloodType } } }`;
    expect((await api.graphql(HISTORY, { id: patient.globalId }, token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const startsAt = new Date(`${nextWeekday(5)}T10:00:00.000Z`);
    await createAppointment(prisma, {
      patientId: patient.userId,
      doctorId: doctorStaff.doctorId,
      clinicId: clinic.id,
      appointmentTypeId: type.id,
      startsAt,
    });
    expect((await api.graphql(HISTORY, { id: patient.globalId }, token)).errors).toBeUndefined();
  });
});
