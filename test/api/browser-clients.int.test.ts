// What a browser application meets at the HTTP edge: CORS for the allowed origins only (preflights
// answered, CSRF prevention still on), one behaviour for a present but invalid token, and email
// links that lead to the frontend. (test/browser/ runs the same in a real browser.)
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_REQUEST_HEADERS, createCorsPolicy } from '../../src/http/cors.js';
import { useTestApi } from '../harness/api.js';

const api = useTestApi({ manualJobs: true });
const production = useTestApi({ production: true, manualJobs: true });

const preflight = (
  url: string,
  origin: string,
  headers = 'authorization, content-type, apollographql-client-name, x-api-key, idempotency-key',
) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers },
  });

const clinicsFrom = (url: string, origin: string, extra: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', ...extra },
    body: JSON.stringify({ query: '{ clinics { id } }' }),
  });

describe('CORS', () => {
  it('answers a preflight from a localhost origin outside production, with the headers our clients send', async () => {
    const response = await preflight(api.url, 'http://localhost:5173');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST,OPTIONS');
    expect(response.headers.get('access-control-allow-headers')!.split(',')).toEqual(ALLOWED_REQUEST_HEADERS);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });

  it('puts the CORS headers on the answer itself, exposing the request id', async () => {
    const response = await clinicsFrom(api.url, 'http://127.0.0.1:8080');
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8080');
    expect(response.headers.get('access-control-expose-headers')).toContain('x-request-id');
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });

  it('gives any other origin no CORS headers at all', async () => {
    for (const origin of ['https://evil.example', 'http://localhost.evil.example', 'null']) {
      const answer = await preflight(api.url, origin);
      expect(answer.status).toBe(204);
      expect([...answer.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
      const response = await clinicsFrom(api.url, origin);
      expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
      expect(response.headers.get('vary')).toMatch(/Origin/);
    }
  });

  it('allows no origin in production unless CORS_ORIGINS names it', async () => {
    const answer = await preflight(production.url, 'http://localhost:5173');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps CSRF prevention: a request a browser sends without a preflight is refused', async () => {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { origin: 'http://localhost:5173', 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ clinics { id } }' }),
    });
    expect(response.status).toBe(400);
    const simpleGet = await fetch(`${api.url}?query=${encodeURIComponent('{ clinics { id } }')}`, {
      headers: { origin: 'http://localhost:5173' },
    });
    expect(simpleGet.status).toBe(400);
  });

  describe('with CORS_ORIGINS', () => {
    let server: http.Server;
    let url = '';
    beforeAll(async () => {
      const cors = createCorsPolicy(['https://app.example.org']);
      server = http.createServer(async (request, response) => {
        if (cors(request, response)) return;
        response.end('routed');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('allows exactly the configured origins, and no longer localhost', async () => {
      expect((await preflight(url, 'https://app.example.org')).headers.get('access-control-allow-origin')).toBe('https://app.example.org');
      expect((await preflight(url, 'http://app.example.org')).headers.get('access-control-allow-origin')).toBeNull();
      expect((await preflight(url, 'http://localhost:5173')).headers.get('access-control-allow-origin')).toBeNull();
      const response = await fetch(url, { headers: { origin: 'https://app.example.org' } });
      expect(await response.text()).toBe('routed');
      expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.org');
    });
  });
});

describe('an invalid or expired token', () => {
  it('is 401 UNAUTHENTICATED with WWW-Authenticate on a public query too, so that clients refresh it', async () => {
    for (const authorization of ['Bearer not.a.token', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.AAAA', 'Basic dXNlcjpwYXNz']) {
      const response = await fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query: '{ clinics { id } }' }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      const body = (await response.json()) as { data?: unknown; errors: Array<{ extensions: { code: string } }> };
      expect(body.data).toBeUndefined();
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('differs from no token: public fields answer, protected ones are UNAUTHENTICATED in a 200', async () => {
    const response = await api.graphql<{ clinics: unknown[] }>('{ clinics { id } }');
    expect(response.status).toBe(200);
    expect(Array.isArray(response.data?.clinics)).toBe(true);
    const viewer = await api.graphql('{ viewer { email } }');
    expect(viewer.status).toBe(200);
    expect(viewer.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(viewer.headers.get('www-authenticate')).toBeNull();
  });
});

describe('email links', () => {
  it('lead to the frontend (APP_URL), not to the API', async () => {
    const email = `links.${randomBytes(4).toString('hex')}@example.cm`;
    const result = await api.graphql('mutation($input: RegisterInput!) { register(input: $input) }', {
      input: { email, password: 'Tropical-Rain-2026', firstName: 'Amina', lastName: 'Njoya', dateOfBirth: '1990-01-01' },
    });
    expect(result.data).toEqual({ register: true });
    const verify = api.notifier.last(email, 'verify_email')!.data;
    expect(verify.url).toBe(`http://localhost:3000/verify-email?token=${verify.token}`);
    await api.graphql('mutation($e: String!) { requestPasswordReset(email: $e) }', { e: email });
    await expect
      .poll(() => api.notifier.last(email, 'password_reset')?.data.url)
      .toMatch(/^http:\/\/localhost:3000\/reset-password\?token=[A-Za-z0-9_-]+$/);
  });
});
