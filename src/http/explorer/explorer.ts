// The offline explorer: GET /graphql from a browser (Accept: text/html, no operation in the URL)
// answers with GraphiQL, its files served from our own node_modules (clinic servers are often
// offline, so nothing comes from a CDN), and, in development, routes that list the demo accounts and
// issue fresh tokens for them. Production serves none of this (the configuration refuses it).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRoute } from '../route.js';
import { EXPLORER_SCRIPT, explorerPage } from './page.js';

export interface DemoAccounts {
  list(): ReadonlyArray<{ who: string; email: string }>;
  /** The development-only password the seed gave them, if it did. */
  password: string | undefined;
  /** A fresh access token for one of them, or null when the account is not there (not seeded). */
  token(email: string): Promise<string | null>;
}

const require = createRequire(import.meta.url);
const packageFile = (name: string, file: string) => path.join(path.dirname(require.resolve(`${name}/package.json`)), file);

const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

// Everything the page loads comes from this origin; GraphiQL's editor sets inline styles.
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function send(response: ServerResponse, status: number, type: string, body: string | Buffer, cacheControl = 'no-cache'): void {
  response.statusCode = status;
  response.setHeader('content-type', `${type}; charset=utf-8`);
  response.setHeader('cache-control', cacheControl);
  response.setHeader('x-content-type-options', 'nosniff');
  response.end(body);
}

const wantsHtml = (request: IncomingMessage) => String(request.headers.accept ?? '').includes('text/html');

export function createExplorerRoute(options: { endpoint: string; demoAccounts?: DemoAccounts }): HttpRoute {
  const loaded = new Map<string, Buffer>();
  const asset = (name: string) => {
    const spec = ASSETS[name];
    if (!loaded.has(name)) loaded.set(name, readFileSync(packageFile(spec.pkg, spec.file)));
    return loaded.get(name)!;
  };
  const demo = options.demoAccounts;

  return async (request, response, url) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const isEndpoint = url.pathname === options.endpoint || url.pathname === '/';
    // An operation in the URL is a GraphQL request (GET queries), whatever the Accept header says.
    if (isEndpoint && wantsHtml(request) && !url.searchParams.has('query') && !url.searchParams.has('extensions')) {
      response.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
      response.setHeader('x-frame-options', 'DENY');
      send(response, 200, 'text/html', explorerPage(options.endpoint));
      return true;
    }
    if (url.pathname === '/explorer/explorer.js') return (send(response, 200, 'text/javascript', EXPLORER_SCRIPT), true);
    const assetName = url.pathname.startsWith('/explorer/assets/') ? url.pathname.slice('/explorer/assets/'.length) : undefined;
    if (assetName !== undefined && Object.hasOwn(ASSETS, assetName)) {
      send(response, 200, ASSETS[assetName].type, asset(assetName), 'public, max-age=3600');
      return true;
    }
    if (!demo) return false;
    if (url.pathname === '/explorer/demo-accounts') {
      send(response, 200, 'application/json', JSON.stringify({ accounts: demo.list(), password: demo.password ?? null }), 'no-store');
      return true;
    }
    if (url.pathname === '/explorer/demo-token') {
      const email = url.searchParams.get('email') ?? '';
      const token = demo.list().some((account) => account.email === email) ? await demo.token(email) : null;
      if (!token) send(response, 404, 'application/json', JSON.stringify({ error: 'not a demo account' }), 'no-store');
      else send(response, 200, 'application/json', JSON.stringify({ token }), 'no-store');
      return true;
    }
    return false;
  };
}
