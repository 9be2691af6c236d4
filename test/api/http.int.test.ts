// The HTTP edge: health and readiness, the body limit, request ids, no explorer unless configured
// (explorer.int.test.ts), and what production hides. CSRF prevention is tested with the GraphQL-over-HTTP audits
// (graphql-over-http.int.test.ts).
import { describe, expect, it } from 'vitest';
import { readiness } from '../../src/http/server.js';
import { useTestApi } from '../harness/api.js';

const api = useTestApi();

describe('health and readiness', () => {
  it('GET /healthz answers ok without touching a database', async () => {
    const response = await fetch(api.url.replace('/graphql', '/healthz'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz reports PostgreSQL, MongoDB and the cache', async () => {
    const response = await fetch(api.url.replace('/graphql', '/readyz'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: { postgres: 'up', mongodb: 'up', redis: 'up' } });
  });

  it('is degraded but ready without Redis, and unready (503) without a database', async () => {
    const up = async () => true;
    const down = async () => false;
    const failing = async () => {
      throw new Error('connection refused');
    };
    expect(
      await readiness([
        { name: 'postgres', critical: true, check: up },
        { name: 'redis', critical: false, check: down },
      ]),
    ).toEqual({ status: 200, body: { status: 'degraded', checks: { postgres: 'up', redis: 'down' } } });
    expect(
      await readiness([
        { name: 'postgres', critical: true, check: failing },
        { name: 'redis', critical: false, check: up },
      ]),
    ).toEqual({ status: 503, body: { status: 'unready', checks: { postgres: 'down', redis: 'up' } } });
  });
});

describe('requests', () => {
  it('refuses a body over the limit with 413', async () => {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ clinics { id } } #${'x'.repeat(1_100_000)}` }),
    });
    expect(response.status).toBe(413);
  });

  it('refuses a chunked body (no Content-Length) over the limit with 413, not a reset', async () => {
    const oversize = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 12; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(100_000)));
        controller.close();
      },
    });
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: oversize,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  it('refuses control characters in any text argument with BAD_USER_INPUT, not an internal error', async () => {
    const inVariable = await api.graphql(`mutation($e: String!) { requestPasswordReset(email: $e) }`, { e: 'a\u0000b@example.cm' });
    expect(inVariable.status).toBe(400);
    expect(inVariable.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['e'] }] });
    const inLiteral = await api.graphql(`mutation { login(email: "a\\u0000b", password: "x") { accessToken } }`);
    expect(inLiteral.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers malformed JSON with 400, and keeps a valid x-request-id or makes one', async () => {
    const bad = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'client-req-12345' },
      body: '{"query":',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-request-id')).toBe('client-req-12345');
    const other = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'bad id with spaces' },
      body: '{"query":"{ clinics { id } }"}',
    });
    expect(other.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves no explorer when EXPLORER is off (the default outside development)', async () => {
    const response = await fetch(api.url, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toMatch(/graphiql|sandbox/i);
    expect((await fetch(api.url.replace('/graphql', '/explorer/assets/graphiql.js'))).status).toBe(404);
  });
});
