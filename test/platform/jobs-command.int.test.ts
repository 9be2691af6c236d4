// `npm run jobs` as an operator runs it (compiled): it shows the queues and the dead letters, and
// `retry-outbox` gives a dead-lettered outbox event a new round of attempts.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../../src/platform/jobs.js';
import { OutboxRelay } from '../../src/platform/outbox.js';
import { openDatabase, type Database } from '../../src/platform/postgres.js';
import { compiledEnvironment, hasServers, runCompiled, type CompiledEnvironment } from '../harness/compiled.js';

describe.skipIf(!hasServers())('npm run jobs', () => {
  let environment: CompiledEnvironment;
  let database: Database;
  beforeAll(async () => {
    environment = await compiledEnvironment();
    database = openDatabase({ kind: 'server', url: environment.databaseUrl }, { poolSize: 2 });
  });
  afterAll(async () => {
    await database?.close();
    await environment?.drop();
  });

  it('lists a dead-lettered outbox event, then retries it', async () => {
    const jobs = await JobQueue.open(database.target, pino({ level: 'silent' }), { background: false, poolSize: 2 });
    const relay = new OutboxRelay(
      database.prisma,
      jobs,
      { broken: async () => Promise.reject(new Error('no')) },
      { retry: { limit: 0, delaySeconds: 1, maxDelaySeconds: 1 } },
    );
    await jobs.define(relay.jobDefinitions());
    const { id } = await database.prisma.outboxEvent.create({ data: { topic: 'broken', payload: {} } });
    await relay.runOnce();
    await jobs.stop();

    const shown = await runCompiled('jobs', [], environment.env);
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/Dead letters kept \(1\)/);
    expect(shown.stdout).toMatch(/Outbox events dead-lettered and not applied \(1\)/);
    expect(shown.stdout).toContain(id);

    const retried = await runCompiled('jobs', ['retry-outbox'], environment.env);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain(`1 outbox event(s) will be attempted again: ${id}`);
    expect(await database.prisma.outboxEvent.findUniqueOrThrow({ where: { id } })).toMatchObject({
      deadLetteredAt: null,
      dispatchedAt: null,
      processedAt: null,
    });

    const wrong = await runCompiled('jobs', ['frobnicate'], environment.env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('usage: npm run jobs');
  }, 120_000);
});
