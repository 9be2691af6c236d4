// The cache in front of directory data: a second read costs no SQL; with Redis frozen (a server of
// this test's own, SIGSTOP) every query still answers correctly and in bounded time, and the cache
// comes back by itself when Redis does. Skipped, saying so, where no redis-server binary exists to
// start that server (every CI machine has one).
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestApi } from '../harness/api.js';
import { redisServerInstalled, startOwnRedis } from '../harness/own-redis.js';
import { createClinic } from '../factories.js';

const skipped = redisServerInstalled() ? undefined : 'no redis-server binary on PATH to start a Redis for this test alone';
if (skipped) console.warn(`cache.int.test.ts skipped: ${skipped}`);
const redis = skipped ? undefined : await startOwnRedis();
const api = useTestApi({ manualJobs: true, redisUrl: redis?.url });
afterAll(() => redis?.stop());

const DIRECTORY = `query($id: ID!) { clinics { id name city } clinic(id: $id) { name timeZone } appointmentTypes { code durationMinutes } }`;
type Directory = { clinics: Array<{ id: string; name: string }>; clinic: { name: string } | null; appointmentTypes: Array<{ code: string }> };

/** Runs the directory query; returns its answer, the SQL statements it cost and how long it took. */
async function directory(clinicId: string) {
  const before = api.database.statementCount;
  const started = performance.now();
  const response = await api.graphql<Directory>(DIRECTORY, { id: clinicId });
  expect(response.errors).toBeUndefined();
  return { data: response.data!, statements: api.database.statementCount - before, ms: performance.now() - started };
}

describe.skipIf(!redis)('directory data through Redis', () => {
  let clinic: Awaited<ReturnType<typeof createClinic>>;

  it('costs SQL the first time only, with the same answer', async () => {
    clinic = await createClinic(api.database.prisma, { name: `Cached ${randomUUID().slice(0, 6)}` });
    await api.database.prisma.appointmentType.create({ data: { code: `c_${randomUUID().slice(0, 8)}`, name: 'Consultation', durationMinutes: 30, priceMinor: 10_000 } });
    const first = await directory(clinic.globalId);
    expect(first.statements).toBeGreaterThan(0);
    expect(first.data.clinic?.name).toBe(clinic.name);
    const second = await directory(clinic.globalId);
    expect(second.statements).toBe(0);
    expect(second.data).toEqual(first.data);
  });

  it('answers correctly while Redis is frozen, each query in bounded time, and uses the cache again once it thaws', async () => {
    const expected = (await directory(clinic.globalId)).data;
    redis!.freeze();
    try {
      const runs = [];
      for (let i = 0; i < 20; i++) runs.push(await directory(clinic.globalId));
      for (const run of runs) expect(run.data).toEqual(expected);
      // The first query waits for one command timeout (250 ms); the cache then stays away from
      // Redis instead of making every query wait.
      expect(Math.max(...runs.map((run) => run.ms))).toBeLessThan(1_000);
      expect(runs.slice(1).filter((run) => run.ms > 250)).toHaveLength(0);
      const ready = await fetch(api.url.replace('/graphql', '/readyz'));
      expect(await ready.json()).toMatchObject({ status: 'degraded' });
    } finally {
      redis!.thaw();
    }
    // Back by itself: within a few seconds a repeated query costs no SQL again.
    let statements = -1;
    for (let attempt = 0; attempt < 40 && statements !== 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await directory(clinic.globalId);
      statements = (await directory(clinic.globalId)).statements;
    }
    expect(statements).toBe(0);
  });
});
