// Beyond the concurrency bound, /graphql answers a fast 503 with Retry-After and a typed body,
// the bounded queue admits waiting requests as running ones finish, and the health checks stay
// responsive. Requests are held "running" by sending their body slowly: deterministic, no timing.
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from '../../src/http/load-shedding.js';
import { TEST_CLIENT, useTestApi } from '../harness/api.js';

const api = useTestApi({ env: { MAX_CONCURRENT_REQUESTS: '2', MAX_QUEUED_REQUESTS: '1', MAX_QUEUE_WAIT_MS: '30000' } });
const QUERY = JSON.stringify({ query: '{ clinics { id } }' });

/** A POST whose headers are sent and whose body is held back until finish() is called. */
function heldRequest(url: string) {
  const request = http.request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(QUERY), 'apollographql-client-name': TEST_CLIENT },
  });
  const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('response', (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
  });
  request.write(QUERY.slice(0, 5));
  request.flushHeaders();
  return { answered, finish: () => request.end(QUERY.slice(5)), abort: () => request.destroy() };
}

const post = () =>
  fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'apollographql-client-name': TEST_CLIENT },
    body: QUERY,
  });
const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

describe('load shedding', () => {
  it('sheds beyond the bound and its queue, fast and typed, while health checks answer', async () => {
    const running = [heldRequest(api.url), heldRequest(api.url)];
    await settle();
    const queued = heldRequest(api.url); // waits for a slot (its headers are in)
    await settle();
    try {
      const started = performance.now();
      const shed = await post();
      expect(performance.now() - started).toBeLessThan(1000); // no waiting: the queue is full (slack for a busy CI machine)
      expect(shed.status).toBe(503);
      expect(shed.headers.get('retry-after')).toBe('1');
      expect(await shed.json()).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 } }],
      });
      const health = new URL('/healthz', api.url);
      expect((await fetch(health)).status).toBe(200);
      expect((await fetch(new URL('/readyz', api.url))).status).toBe(200);
    } finally {
      for (const held of running) held.finish();
    }
    for (const held of running) expect((await held.answered).status).toBe(200);
    queued.finish();
    expect((await queued.answered).status).toBe(200);
    await settle(); // its slot is released just after its response has gone
    expect((await post()).status).toBe(200); // the slots are free again
  });
});

describe('a client that goes away', () => {
  it('gives its place back, whether it was waiting or running', async () => {
    const running = [heldRequest(api.url), heldRequest(api.url)];
    await settle();
    const queued = heldRequest(api.url);
    await settle();
    for (const held of [...running, queued]) {
      held.answered.catch(() => undefined);
      held.abort();
    }
    await settle();
    // Two slots and the queue were taken by clients that left: all must be free again.
    const answers = await Promise.all([post(), post(), post()]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
  });
});

describe('ConcurrencyLimit', () => {
  it('admits in order from a bounded queue, sheds a request that waited too long, and counts what it shed', async () => {
    const limit = new ConcurrencyLimit({ maxConcurrent: 1, maxQueued: 1, maxWaitMs: 50 });
    const first = (await limit.acquire())!;
    const second = limit.acquire();
    expect(await limit.acquire()).toBeNull(); // queue full
    first();
    const secondRelease = (await second)!;
    expect(secondRelease).toBeTypeOf('function');
    const late = limit.acquire();
    expect(await late).toBeNull(); // waited 50 ms, nobody finished
    secondRelease();
    secondRelease(); // a second release frees nothing more
    const third = (await limit.acquire())!;
    const fourth = limit.acquire();
    third(); // frees the slot for the queued one
    expect(await fourth).toBeTypeOf('function');
    expect(limit.shed).toBe(2);
  });

  it('does nothing when turned off', async () => {
    const limit = new ConcurrencyLimit({ maxConcurrent: 0, maxQueued: 0, maxWaitMs: 0 });
    const releases = await Promise.all(Array.from({ length: 100 }, async () => limit.acquire()));
    expect(releases.every((release) => typeof release === 'function')).toBe(true);
  });
});
