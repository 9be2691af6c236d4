// In production: no landing page, no introspection, no schema hints in errors, and free-form
// documents only from the first-party clients the configuration names.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MANIFEST_FILE } from '../../src/graphql/persisted/index.js';
import { TEST_CLIENT, useTestApi } from '../harness/api.js';

const api = useTestApi({ production: true });

describe('production mode', () => {
  it('refuses introspection', async () => {
    const response = await api.graphql('{ __schema { types { name } } }');
    expect(response.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.data ?? null).toBeNull();
  });

  it('gives no field suggestions', async () => {
    const response = await api.graphql('{ clinic { nam } }');
    expect(response.errors?.[0].message).not.toMatch(/Did you mean/);
  });

  it('serves no landing page', async () => {
    const response = await fetch(api.url, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toMatch(/sandbox/i);
  });
});

describe('production mode: who may send documents', () => {
  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      ...((await response.json()) as { data?: unknown; errors?: Array<{ extensions: { code: string } }> }),
    };
  };
  const byId = (id: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } });
  const query = '{ appointmentTypes { code } }';
  const hash = createHash('sha256').update(query).digest('hex');

  it('refuses documents from clients the configuration does not name', async () => {
    for (const headers of [{}, { 'apollographql-client-name': 'some-other-app' }] as Array<Record<string, string>>) {
      const reply = await post({ query }, headers);
      expect(reply.status).toBe(403);
      expect(reply.errors?.[0].extensions.code).toBe('FORBIDDEN');
      expect(reply.data).toBeUndefined();
    }
  });

  it('lets a named first-party client use automatic persisted queries, and nobody else', async () => {
    const firstParty = { 'apollographql-client-name': TEST_CLIENT };
    expect((await post({ query, ...byId(hash) }, firstParty)).data).toEqual({ appointmentTypes: expect.any(Array) });
    expect((await post(byId(hash), firstParty)).data).toEqual({ appointmentTypes: expect.any(Array) });
    expect((await post(byId(hash))).errors?.[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it("runs the manifest's operations by id for any client", async () => {
    const manifest = JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')) as { operations: Array<{ id: string; name: string }> };
    const clinics = manifest.operations.find((operation) => operation.name === 'Clinics')!;
    expect((await post(byId(clinics.id))).data).toEqual({ clinics: expect.any(Array) });
  });
});
