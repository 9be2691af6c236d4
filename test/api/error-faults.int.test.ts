// Errors under faults, in production: no schema hints even in variable coercion, very many bad
// variables are the client's input (not an internal error), and a failure while the request's
// context is built is masked with the request id and logged with its cause.
import { describe, expect, it } from 'vitest';
import { MASKED_MESSAGE } from '../../src/graphql/apollo.js';
import { useTestApi } from '../harness/api.js';
import { captureLog } from '../harness/log-capture.js';
import { createClinic, createStaff } from '../factories.js';

const captured = captureLog();
const api = useTestApi({ production: true, log: captured.log });

describe('production errors under bad input and faults', () => {
  it('suggests no names in variable coercion errors', async () => {
    const badEnum = await api.graphql('query Q($l: Language) { doctors(first: 1, filter: { language: $l }) { edges { node { id } } } }', {
      l: 'EM',
    } as never);
    const badField = await api.graphql('query Q($f: DoctorFilter) { doctors(first: 1, filter: $f) { edges { node { id } } } }', {
      f: { languag: 'EN' },
    } as never);
    for (const response of [badEnum, badField]) {
      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0].message).toMatch(/^Variable "\$\w" has an invalid value/);
      expect(JSON.stringify(response.errors)).not.toMatch(/Did you mean|"EN"|language"/);
    }
  });

  it('answers 200 bad variables with BAD_USER_INPUT only', async () => {
    const count = 200;
    const definitions = Array.from({ length: count }, (_, i) => `$v${i}: Boolean!`).join(', ');
    const uses = Array.from({ length: count }, (_, i) => `id @include(if: $v${i})`).join(' ');
    const variables = Object.fromEntries(Array.from({ length: count }, (_, i) => [`v${i}`, 'not-a-boolean']));
    const response = await api.graphql(`query Q(${definitions}) { clinics { ${uses} } }`, variables as never);
    expect(response.status).toBe(400);
    expect(response.errors!.length).toBeGreaterThan(1);
    expect(new Set(response.errors!.map((error) => error.extensions?.code))).toEqual(new Set(['BAD_USER_INPUT']));
    expect(response.errors!.at(-1)!.message).toMatch(/Too many variables have invalid values/);
    expect(JSON.stringify(response.errors)).not.toMatch(/not-a-boolean/);
  });

  it('masks a failed session lookup with the request id, and logs its cause', async () => {
    const clinic = await createClinic(api.database.prisma);
    const token = await api.token(await createStaff(api.database.prisma, 'doctor', clinic.id));
    const prisma = api.database.prisma;
    await prisma.$executeRawUnsafe('ALTER TABLE sessions RENAME TO sessions_away');
    let response: Response;
    try {
      response = await fetch(api.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'apollographql-client-name': 'clinic-graph-tests',
          authorization: `Bearer ${token}`,
          'x-request-id': 'context-fails-0001',
        },
        body: JSON.stringify({ query: '{ viewer { id } }' }),
      });
    } finally {
      await prisma.$executeRawUnsafe('ALTER TABLE sessions_away RENAME TO sessions');
    }
    expect(response.status).toBe(500);
    const body = (await response.json()) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> };
    expect(body.errors).toEqual([
      { message: MASKED_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'context-fails-0001' } },
    ]);
    const logged = captured.entries().find((entry) => entry.requestId === 'context-fails-0001' && entry.level === 50);
    expect(logged?.msg).toMatch(/context not built/);
    expect(logged?.err).toMatchObject({ type: 'PrismaClientKnownRequestError', code: 'P2021' }); // the table does not exist
    // The token still works once the table is back: nothing was cached from the failure.
    expect((await api.graphql('{ viewer { id } }', {}, token)).data).toEqual({ viewer: { id: expect.any(String) } });
  });
});
