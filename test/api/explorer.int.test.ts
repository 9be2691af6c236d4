// The explorers a browser gets at GET /graphql: ours (GraphiQL from our own node_modules, offline)
// and Apollo Sandbox (online only), each by configuration. test/browser/ runs ours in Chromium.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestApi } from '../harness/api.js';

const withGraphiql = useTestApi({ env: { EXPLORER: 'graphiql' } });
const withSandbox = useTestApi({ env: { EXPLORER: 'sandbox' } });

describe('the offline explorer (EXPLORER=graphiql)', () => {
  const origin = () => new URL(withGraphiql.url).origin;

  it('answers a browser at /graphql with GraphiQL whose every file is ours', async () => {
    const response = await fetch(withGraphiql.url, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self';.*connect-src 'self'/);
    const html = await response.text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(sources).toEqual([
      '/explorer/assets/graphiql.css',
      '/explorer/assets/react.js',
      '/explorer/assets/react-dom.js',
      '/explorer/assets/graphiql.js',
      '/explorer/explorer.js',
    ]);
    for (const source of sources) expect((await fetch(`${origin()}${source}`)).status).toBe(200);
  });

  it('serves GraphiQL and React from node_modules, byte for byte', async () => {
    const require = createRequire(import.meta.url);
    const file = (pkg: string, name: string) => readFileSync(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), name));
    const graphiql = await fetch(`${origin()}/explorer/assets/graphiql.js`);
    expect(graphiql.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(Buffer.from(await graphiql.arrayBuffer()).equals(file('graphiql', 'graphiql.min.js'))).toBe(true);
    const react = await fetch(`${origin()}/explorer/assets/react.js`);
    expect(Buffer.from(await react.arrayBuffer()).equals(file('react', 'umd/react.production.min.js'))).toBe(true);
    expect((await fetch(`${origin()}/explorer/assets/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${origin()}/explorer/assets/constructor`)).status).toBe(404);
  });

  it('still runs queries sent by GET, and issues demo tokens only in development', async () => {
    const query = await fetch(`${withGraphiql.url}?query=${encodeURIComponent('{ clinics { id } }')}`, {
      headers: { accept: 'text/html, application/json', 'apollo-require-preflight': 'true' },
    });
    expect(query.status).toBe(200);
    expect(await query.json()).toMatchObject({ data: { clinics: [] } });
    expect((await fetch(`${origin()}/explorer/demo-accounts`)).status).toBe(404);
    expect((await fetch(`${origin()}/explorer/demo-token?email=nurse.akwa%40demo.clinic-graph.test`)).status).toBe(404);
  });
});

it('serves Apollo Sandbox as the landing page when EXPLORER=sandbox', async () => {
  const response = await fetch(withSandbox.url, { headers: { accept: 'text/html' } });
  expect(response.status).toBe(200);
  expect(await response.text()).toMatch(/sandbox/i);
});
