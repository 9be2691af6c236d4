// The cache in front of directory data (clinics, appointment types, doctors, free slots): a second
// read costs no SQL; with Redis frozen (a server of this test's own, SIGSTOP) every query still
// answers correctly and in bounded time, a booking made meanwhile is never hidden by what Redis
// held before, and the cache comes back by itself when Redis does. Skipped, saying so, where no
// redis-server binary exists to start that server (every CI machine has one).
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestApi } from '../harness/api.js';
import { redisServerInstalled, startOwnRedis } from '../harness/own-redis.js';
import { createAppointmentType, createClinic, createDoctor, createPatient, createWeeklyHours, nextWeekday } from '../factories.js';

const skipped = redisServerInstalled() ? undefined : 'no redis-server binary on PATH to start a Redis for this test alone';
if (skipped) console.warn(`cache.int.test.ts skipped: ${skipped}`);
const redis = skipped ? undefined : await startOwnRedis();
const api = useTestApi({ manualJobs: true, redisUrl: redis?.url });
afterAll(() => redis?.stop());

const DIRECTORY = `query($id: ID!, $doctor: ID!, $type: ID!, $from: DateTime!, $to: DateTime!) {
  clinics { id name city } clinic(id: $id) { name timeZone } appointmentTypes { code durationMinutes }
  doctors(first: 5, filter: { clinicId: $id }) { edges { node { displayName specialties { code } clinics { id } } } }
  doctor(id: $doctor) { displayName }
  availableSlots(input: { doctorId: $doctor, appointmentTypeId: $type, from: $from, to: $to }) { startsAt clinic { id } }
}`;
type Directory = {
  clinics: Array<{ id: string; name: string }>;
  clinic: { name: string } | null;
  appointmentTypes: Array<{ code: string }>;
  doctors: { edges: Array<{ node: { displayName: string } }> };
  availableSlots: Array<{ startsAt: string }>;
};
const monday = nextWeekday(1);
const hours = { from: `${monday}T00:00:00.000Z`, to: `${monday}T23:00:00.000Z` };

/** Runs the directory query; returns its answer, the SQL statements it cost and how long it took. */
async function directory(clinicId: string) {
  const before = api.database.statementCount;
  const started = performance.now();
  const response = await api.graphql<Directory>(DIRECTORY, { id: clinicId, doctor: doctor.globalId, type: type.globalId, ...hours });
  expect(response.errors).toBeUndefined();
  return { data: response.data!, statements: api.database.statementCount - before, ms: performance.now() - started };
}

let clinic: Awaited<ReturnType<typeof createClinic>>;
let doctor: Awaited<ReturnType<typeof createDoctor>>;
let type: Awaited<ReturnType<typeof createAppointmentType>>;

describe.skipIf(!redis)('directory data through Redis', () => {
  it('costs SQL the first time only, with the same answer', async () => {
    const prisma = api.database.prisma;
    clinic = await createClinic(prisma, { name: `Cached ${randomUUID().slice(0, 6)}` });
    type = await createAppointmentType(prisma, { durationMinutes: 30 });
    doctor = await createDoctor(prisma, { clinicIds: [clinic.id] });
    await createWeeklyHours(prisma, doctor.doctorId, clinic.id, [{ dayOfWeek: 1, from: '08:00', to: '09:00' }]); // 07:00 to 08:00 UTC
    const first = await directory(clinic.globalId);
    expect(first.statements).toBeGreaterThan(0);
    expect(first.data.clinic?.name).toBe(clinic.name);
    expect(first.data.doctors.edges).toHaveLength(1);
    expect(first.data.availableSlots.map((slot) => slot.startsAt)).toEqual([`${monday}T07:00:00.000Z`, `${monday}T07:30:00.000Z`]);
    const second = await directory(clinic.globalId);
    expect(second.statements).toBe(0);
    expect(second.data).toEqual(first.data);
  });

  it('answers correctly while Redis is frozen, each query in bounded time, and uses the cache again once it thaws', async () => {
    const expected = (await directory(clinic.globalId)).data;
    const patient = await api.token(await createPatient(api.database.prisma));
    const taken = `${monday}T07:00:00.000Z`;
    redis!.freeze();
    try {
      const runs = [];
      for (let i = 0; i < 20; i++) runs.push(await directory(clinic.globalId));
      for (const run of runs) expect(run.data).toEqual(expected);
      // The first query waits for one command timeout (100 ms); the cache then stays away from
      // Redis instead of making every query wait.
      expect(Math.max(...runs.map((run) => run.ms))).toBeLessThan(1_000);
      expect(runs.slice(1).filter((run) => run.ms > 250)).toHaveLength(0);
      const ready = await fetch(api.url.replace('/graphql', '/readyz'));
      expect(await ready.json()).toMatchObject({ status: 'degraded' });
      // A booking while Redis cannot hear of it: the answers still come from PostgreSQL.
      const booked = await api.graphql(
        `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }`,
        {
          input: { doctorId: doctor.globalId, clinicId: clinic.globalId, appointmentTypeId: type.globalId, startsAt: taken },
        },
        patient,
      );
      expect(booked.errors).toBeUndefined();
      expect((await directory(clinic.globalId)).data.availableSlots.map((slot) => slot.startsAt)).toEqual([`${monday}T07:30:00.000Z`]);
    } finally {
      redis!.thaw();
    }
    // Back by itself: within a few seconds a repeated query costs no SQL again, and what Redis held
    // from before the booking is not what it answers.
    let again = await directory(clinic.globalId);
    for (let attempt = 0; attempt < 40 && again.statements !== 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await directory(clinic.globalId);
      again = await directory(clinic.globalId);
    }
    expect(again.statements).toBe(0);
    expect(again.data).toEqual({ ...expected, availableSlots: [{ startsAt: `${monday}T07:30:00.000Z`, clinic: { id: clinic.globalId } }] });
  });
});
