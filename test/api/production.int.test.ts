// In production: no landing page, no introspection, no schema hints in errors.
import { describe, expect, it } from 'vitest';
import { useTestApi } from '../harness/api.js';

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
