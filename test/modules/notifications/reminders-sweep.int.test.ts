// The reminder sweep is a scheduled job: with two API processes, each minute's sweep runs in one
// of them only, and each due reminder goes out once. pg-boss's test clock moves both processes'
// time by hand (its cron has minutes for a unit); the reminders are due by the real clock.
import { TestClock } from 'pg-boss';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemindersRepository, RemindersService, REMINDERS_SWEEP } from '../../../src/modules/notifications/index.js';
import { JobQueue, type JobDefinition } from '../../../src/platform/jobs.js';
import { SimulatedNotifier } from '../../../src/platform/notifier.js';
import { openDatabase, type Database } from '../../../src/platform/postgres.js';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
import { createTestDatabase } from '../../harness/postgres.js';

const mongo = useTestMongo();
let database: Database;
let dropDatabase: () => Promise<void>;
const queues: JobQueue[] = [];

beforeAll(async () => {
  const created = await createTestDatabase();
  dropDatabase = created.drop;
  database = openDatabase(created.target, { poolSize: 2 });
});
afterAll(async () => {
  for (const queue of queues) await queue.stop(1_000);
  await database?.close();
  await dropDatabase?.();
});

const contact = async () => ({ phone: '+237670000001', email: 'patient@example.cm', language: 'en' as const, reminderChannel: null });

describe(`the reminder sweep across two processes [${mongoLabel()}]`, () => {
  it('runs each minute in one process only, and sends each due reminder once', async () => {
    const repository = new RemindersRepository(mongo.db);
    const due = new Date(Date.now() - 60_000);
    for (const appointmentId of ['a1', 'a2', 'a3']) {
      await repository.put(
        { appointmentId, patientId: `p-${appointmentId}`, kind: 'reminder_2h', scheduledFor: due, channel: 'sms', language: 'en' },
        new Date(0),
      );
    }
    // Both processes start 10 seconds into a minute of their (shared) test time.
    const start = Math.ceil(Date.now() / 60_000) * 60_000 + 10_000;
    const runs: Array<{ process: string; jobId: string }> = [];
    const processes: Array<{ clock: TestClock; notifier: SimulatedNotifier }> = [];
    for (const name of ['first', 'second']) {
      const clock = new TestClock(start);
      const queue = await JobQueue.open(database.target, pino({ level: 'silent' }), { background: true, poolSize: 2, clock });
      queues.push(queue);
      const notifier = new SimulatedNotifier();
      const sweep = new RemindersService(new RemindersRepository(mongo.db), notifier, contact).sweepJob();
      const counted: JobDefinition<{ now?: string } | null> = {
        ...sweep,
        run: (data, job) => (runs.push({ process: name, jobId: job.id }), sweep.run(data, job)),
      };
      await queue.define([counted]);
      processes.push({ clock, notifier });
    }

    // Two minutes and a bit of test time, in steps, both clocks together.
    for (let step = 0; step < 14; step++) await Promise.all(processes.map(({ clock }) => clock.tick(10_000)));
    for (let step = 0; step < 20 && runs.length < 2; step++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await Promise.all(processes.map(({ clock }) => clock.tick(1_000)));
    }

    const sweeps = await queues[0].find(REMINDERS_SWEEP);
    expect(runs.length).toBeGreaterThanOrEqual(2); // one per minute that came
    expect(new Set(runs.map((run) => run.jobId)).size).toBe(runs.length); // no job ran twice
    expect(sweeps.map((job) => [job.id, job.state]).sort()).toEqual(runs.map((run) => [run.jobId, 'completed']).sort()); // one job per minute, not one per process
    const sent = processes.flatMap(({ notifier }) => notifier.sent);
    expect(sent.map((message) => message.data.appointment).sort()).toEqual(['a1', 'a2', 'a3']);
  }, 30_000);
});
