// The job queue (pg-boss) and the outbox relay on it: a job that fails every attempt is
// dead-lettered and reported without holding up its queue; two processes apply each event once and
// a subject's events in the order they were written; a poison event is retried with growing delays,
// then dead-lettered and reported without holding up other subjects (only its own); a dead letter
// can be retried once fixed; and the whole works on the embedded PGlite as on a server.
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Prisma } from '../../src/generated/prisma/client.js';
import { DEAD_LETTERS, JobQueue, type JobDefinition } from '../../src/platform/jobs.js';
import { migrate } from '../../src/platform/migrations.js';
import { OUTBOX_QUEUE, OutboxRelay, type OutboxEvent, type OutboxHandlers, type RelayOptions } from '../../src/platform/outbox.js';
import { createPGlite } from '../../src/platform/pglite.js';
import { openDatabase, type Database } from '../../src/platform/postgres.js';
import { captureLog } from '../harness/log-capture.js';
import { createTestDatabase } from '../harness/postgres.js';

const silent = pino({ level: 'silent' });
const FAST_RETRY: RelayOptions['retry'] = { limit: 2, delaySeconds: 1, maxDelaySeconds: 8 };

let database: Database;
let dropDatabase: () => Promise<void>;
const opened: Array<{ stop(): Promise<void> }> = [];

beforeAll(async () => {
  const created = await createTestDatabase();
  dropDatabase = created.drop;
  database = openDatabase(created.target, { poolSize: 4 });
});
// Each test's relays and queues stop with it: a worker left running would take the next test's jobs.
afterEach(async () => {
  for (const queue of opened.splice(0)) await queue.stop();
});
afterAll(async () => {
  await database?.close();
  await dropDatabase?.();
});

/** A job queue of its own, as another process would have, on the test's database. */
async function jobQueue(
  options: { background: boolean; log?: typeof silent; superviseIntervalSeconds?: number },
  on: Database = database,
): Promise<JobQueue> {
  const queue = await JobQueue.open(on.target, options.log ?? silent, {
    background: options.background,
    poolSize: 2,
    superviseIntervalSeconds: options.superviseIntervalSeconds,
  });
  opened.push(queue);
  return queue;
}

async function relayOn(
  queue: JobQueue,
  handlers: OutboxHandlers,
  options: RelayOptions = {},
  on: Database = database,
): Promise<OutboxRelay> {
  const relay = new OutboxRelay(on.prisma, queue, handlers, { retry: FAST_RETRY, ...options });
  await queue.define(relay.jobDefinitions());
  opened.unshift(relay);
  return relay;
}

/** Topic `step`: events about one `thing`, in order; topic `note`: independent events. */
function recordingHandlers(applied: string[], fail: (event: OutboxEvent) => boolean = () => false): OutboxHandlers {
  const record = async (event: OutboxEvent) => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    if (fail(event)) throw new Error('cannot apply this one');
    applied.push(`${String(event.payload.thing ?? 'note')}:${String(event.payload.n)}`);
  };
  return { step: { apply: record, subjectOf: (payload) => `thing:${String(payload.thing)}` }, note: record };
}

async function write(on: Database, events: Array<{ topic: string; payload: Prisma.InputJsonObject }>): Promise<string[]> {
  const ids: string[] = [];
  // One transaction each, as the writers do.
  for (const event of events) ids.push((await on.prisma.outboxEvent.create({ data: event })).id);
  return ids;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const pending = (on: Database, ids: string[]) => on.prisma.outboxEvent.count({ where: { id: { in: ids }, processedAt: null } });

/** Each thing's steps in the order they were applied. */
function stepsByThing(applied: string[]): Record<string, string[]> {
  const byThing: Record<string, string[]> = {};
  for (const entry of applied) (byThing[entry.split(':')[0]] ??= []).push(entry);
  return byThing;
}

describe('the job queue', () => {
  it('refuses a job defined twice', async () => {
    const queue = await jobQueue({ background: false });
    const chore: JobDefinition<object> = { name: 'test.twice', queue: {}, run: async () => undefined };
    await queue.define([chore]);
    await expect(queue.define([chore])).rejects.toThrow('job test.twice is defined twice');
    await expect(queue.define([{ ...chore, name: DEAD_LETTERS }])).rejects.toThrow(/defined twice/);
  });

  it('dead-letters a job that fails every attempt, reports it at error level, and runs the other jobs of its queue', async () => {
    const captured = captureLog();
    const queue = await jobQueue({ background: false, log: captured.log });
    const ran: string[] = [];
    const chores: JobDefinition<{ name: string }> = {
      name: 'test.chores',
      queue: { retryLimit: 1, retryDelay: 1 },
      run: async ({ name }) => {
        if (name === 'poison') throw new TypeError(`cannot do ${name}`);
        ran.push(name);
      },
    };
    await queue.define([chores]);
    const poison = randomUUID();
    await queue.insert(chores.name, [
      { id: poison, data: { name: 'poison' } },
      { id: randomUUID(), data: { name: 'first' } },
    ]);
    await queue.drain(chores);
    expect(ran).toEqual(['first']);
    expect((await queue.job(chores.name, poison))?.state).toBe('retry');

    await queue.insert(chores.name, [{ id: randomUUID(), data: { name: 'second' } }]);
    await queue.expedite(chores.name);
    await queue.drain(chores); // the second and last attempt
    expect(ran).toEqual(['first', 'second']);
    expect((await queue.job(chores.name, poison))?.state).toBe('failed');
    expect((await queue.deadLetters()).filter((letter) => letter.queue === chores.name)).toMatchObject([
      { jobId: poison, attempts: 2, data: { name: 'poison' }, error: { error: 'TypeError' } },
    ]);
    const reported = captured.entries().filter((entry) => entry.msg === 'job dead-lettered: it failed every attempt');
    expect(reported).toMatchObject([{ level: 50, queue: chores.name, jobId: poison, attempts: 2, error: { error: 'TypeError' } }]);
    expect((await queue.job(chores.name, poison))?.output).toEqual({ error: 'TypeError' }); // its kind, never its message
    expect((await queue.find(DEAD_LETTERS)).some((letter) => letter.sourceId === poison)).toBe(true);
  });
});

describe('the outbox relay on the job queue', () => {
  it('applies each event once across two processes, and the events of one subject in order', async () => {
    const applied: string[] = [];
    const handlers = recordingHandlers(applied);
    const [first, second] = await Promise.all([jobQueue({ background: true }), jobQueue({ background: true })]);
    const relays = await Promise.all([relayOn(first, handlers), relayOn(second, handlers)]);
    const things = Array.from({ length: 8 }, (_, i) => `a${i}`);
    const events = [0, 1, 2].flatMap((n) => [
      ...things.map((thing) => ({ topic: 'step', payload: { thing, n } })),
      { topic: 'note', payload: { n } },
    ]);
    const ids = await write(database, events);
    await Promise.all(relays.flatMap((relay) => [relay.kick(), relay.kick()]));
    await until(async () => (await pending(database, ids)) === 0);

    expect(applied).toHaveLength(events.length);
    expect(new Set(applied).size).toBe(events.length);
    const byThing = stepsByThing(applied);
    for (const thing of things) expect(byThing[thing]).toEqual([`${thing}:0`, `${thing}:1`, `${thing}:2`]);
    const rows = await database.prisma.outboxEvent.findMany({ where: { id: { in: ids } } });
    expect(rows.every((row) => row.attempts === 1 && row.processedAt && row.dispatchedAt && row.deadLetteredAt === null)).toBe(true);
  });

  it('applies an event whose process died while applying it, in another process, once it expires', async () => {
    const applied: string[] = [];
    let resume: () => void = () => {};
    const stuck = new Promise<void>((resolve) => (resume = resolve));
    const dying = recordingHandlers(applied);
    const dead = await relayOn(await jobQueue({ background: true }), { ...dying, note: async () => stuck }, { expireInSeconds: 1 });
    const [id] = await write(database, [{ topic: 'note', payload: { n: 'e0' } }]);
    await dead.kick();
    await until(async () => (await database.prisma.outboxEvent.findUniqueOrThrow({ where: { id } })).dispatchedAt !== null);
    await new Promise((resolve) => setTimeout(resolve, 300)); // its worker has taken it, and hangs

    // Another process, whose supervision finds the job expired and gives it another attempt.
    await relayOn(await jobQueue({ background: true, superviseIntervalSeconds: 1 }), recordingHandlers(applied), { expireInSeconds: 1 });
    await until(async () => (await pending(database, [id])) === 0);
    expect(applied).toEqual(['note:e0']);
    resume();
  });

  it('applies each event once when two relays run at the same moment, here and now', async () => {
    const applied: string[] = [];
    const handlers = recordingHandlers(applied);
    const [first, second] = await Promise.all([jobQueue({ background: false }), jobQueue({ background: false })]);
    const relays = await Promise.all([relayOn(first, handlers), relayOn(second, handlers)]);
    const ids = await write(
      database,
      [0, 1, 2, 3].flatMap((n) => [
        { topic: 'step', payload: { thing: 'b0', n } },
        { topic: 'step', payload: { thing: 'b1', n } },
        { topic: 'note', payload: { n } },
      ]),
    );
    const counts = await Promise.all([relays[0].runOnce(), relays[1].runOnce(), relays[0].runOnce()]);
    await Promise.all(relays.map((relay) => relay.runOnce()));

    expect(await pending(database, ids)).toBe(0);
    expect(counts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(ids.length);
    expect(applied).toHaveLength(ids.length);
    expect(new Set(applied).size).toBe(ids.length);
    const byThing = stepsByThing(applied);
    for (const thing of ['b0', 'b1']) expect(byThing[thing]).toEqual([0, 1, 2, 3].map((n) => `${thing}:${n}`));
  });

  it('dead-letters a poison event after its attempts, reports it, applies the others, and holds back only its subject', async () => {
    const applied: string[] = [];
    let poisonFixed = false;
    const captured = captureLog();
    const queue = await jobQueue({ background: false, log: captured.log });
    const relay = await relayOn(
      queue,
      recordingHandlers(applied, (event) => event.payload.poison === true && !poisonFixed),
    );
    const [poison, heldBack, otherSubject, independent] = await write(database, [
      { topic: 'step', payload: { thing: 'c0', n: 0, poison: true } },
      { topic: 'step', payload: { thing: 'c0', n: 1 } },
      { topic: 'step', payload: { thing: 'c1', n: 0 } },
      { topic: 'note', payload: { n: 'c' } },
    ]);

    expect(await relay.runOnce()).toBe(2); // the first attempt fails; the others go through
    expect(applied.sort()).toEqual(['c1:0', 'note:c']);
    await relay.runOnce(); // second attempt
    expect(await relay.deadLetters()).toEqual([]);
    await relay.runOnce(); // third and last attempt (retry limit 2)

    const row = await database.prisma.outboxEvent.findUniqueOrThrow({ where: { id: poison } });
    expect(row).toMatchObject({ attempts: 3, lastError: 'Error', processedAt: null });
    expect(row.deadLetteredAt).toBeInstanceOf(Date);
    expect((await relay.deadLetters()).map((event) => [event.id, event.topic, event.subject, event.attempts])).toEqual([
      [poison, 'step', 'thing:c0', 3],
    ]);
    expect((await queue.deadLetters()).filter((letter) => letter.jobId === poison)).toMatchObject([
      { queue: OUTBOX_QUEUE, attempts: 3, data: { eventId: poison }, error: { error: 'Error' } },
    ]);
    expect((await queue.job(OUTBOX_QUEUE, poison))?.state).toBe('failed');
    const reported = captured.entries().filter((entry) => entry.msg === 'job dead-lettered: it failed every attempt');
    expect(reported).toMatchObject([
      { level: 50, queue: OUTBOX_QUEUE, jobId: poison, attempts: 3, outbox: { eventId: poison, topic: 'step', attempts: 3 } },
    ]);

    // The subject's later event waits (not handed over) while the others are done; later events of
    // other subjects still go through.
    expect(await database.prisma.outboxEvent.findUniqueOrThrow({ where: { id: heldBack } })).toMatchObject({
      processedAt: null,
      dispatchedAt: null,
    });
    for (const id of [otherSubject, independent])
      expect((await database.prisma.outboxEvent.findUniqueOrThrow({ where: { id } })).processedAt).toBeInstanceOf(Date);
    const [later] = await write(database, [{ topic: 'step', payload: { thing: 'c1', n: 1 } }]);
    expect(await relay.runOnce()).toBe(1);
    expect((await database.prisma.outboxEvent.findUniqueOrThrow({ where: { id: later } })).processedAt).toBeInstanceOf(Date);
    expect(applied).not.toContain('c0:1');

    // Once fixed, the dead letter is retried, and its subject's later event follows it.
    poisonFixed = true;
    expect(await relay.retryDeadLetters()).toEqual([poison]);
    expect(await relay.runOnce()).toBe(2);
    expect(applied.filter((entry) => entry.startsWith('c0:'))).toEqual(['c0:0', 'c0:1']);
    expect(await relay.deadLetters()).toEqual([]);
    expect(await pending(database, [poison, heldBack])).toBe(0);
  });

  it('retries a failing event with delays that double (exponential backoff), not before they are over', async () => {
    const queue = await jobQueue({ background: false });
    const relay = await relayOn(
      queue,
      { flaky: async () => Promise.reject(new Error('MongoDB away')) },
      { retry: { limit: 3, delaySeconds: 2, maxDelaySeconds: 60 } },
    );
    const [definition] = relay.jobDefinitions();
    const [id] = await write(database, [{ topic: 'flaky', payload: {} }]);
    await relay.dispatch();
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      if (attempt > 1) await queue.expedite(OUTBOX_QUEUE); // as if the delay had passed
      const before = Date.now();
      await queue.drain(definition);
      const job = (await queue.job(OUTBOX_QUEUE, id))!;
      expect(job).toMatchObject({ state: 'retry', retryCount: attempt - 1 }); // counted when claimed again
      delays.push((job.startAfter.getTime() - before) / 1000);
      await queue.drain(definition); // not due yet: nothing happens
      expect((await queue.job(OUTBOX_QUEUE, id))!.retryCount).toBe(attempt - 1);
    }
    // 2 s × 2^(n-1) to 2 s × 2^n (jitter), give or take the clock of the round trip.
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThan(2 * 2 ** i - 0.5);
      expect(delay).toBeLessThan(2 * 2 ** (i + 1) + 0.5);
    });
    expect((await database.prisma.outboxEvent.findUniqueOrThrow({ where: { id } })).attempts).toBe(3);
  });
});

describe('the job queue on the embedded PGlite (npm run dev without PostgreSQL)', () => {
  it('runs the outbox relay in the background as on a server', async () => {
    const pglite = await createPGlite();
    await migrate({ kind: 'embedded', pglite });
    const embedded = openDatabase({ kind: 'embedded', pglite });
    try {
      const applied: string[] = [];
      const queue = await JobQueue.open(embedded.target, silent, { background: true });
      const relay = new OutboxRelay(embedded.prisma, queue, recordingHandlers(applied), { retry: FAST_RETRY });
      await queue.define(relay.jobDefinitions());
      const ids = await write(
        embedded,
        [0, 1, 2].flatMap((n) => [
          { topic: 'step', payload: { thing: 'd0', n } },
          { topic: 'note', payload: { n: `d${n}` } },
        ]),
      );
      await relay.kick();
      await until(async () => (await pending(embedded, ids)) === 0);
      expect(stepsByThing(applied).d0).toEqual(['d0:0', 'd0:1', 'd0:2']);
      expect(applied).toHaveLength(6);
      await relay.stop();
      await queue.stop();
    } finally {
      await embedded.close();
      await pglite.close();
    }
  }, 60_000);
});
