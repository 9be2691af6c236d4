// In a real browser (headless Chromium through playwright-core), with the network closed: a page
// from another origin calls the API with a bearer token (so the browser sends a preflight), and the
// explorer renders and runs a query as a demo account. The compiled server runs as `npm run dev`
// runs it. Screenshots are decoded and checked, not only taken.
// The network is closed by a proxy of the test's own that refuses and records everything not for
// 127.0.0.1, not by Playwright's request interception: with a route set, Playwright answers CORS
// preflights itself (allowing everything), and the server's CORS would go untested.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/seed/demo-data.js';
import {
  compiledEnvironment,
  hasServers,
  sql,
  startCompiledServer,
  type CompiledEnvironment,
  type RunningServer,
} from '../harness/compiled.js';

const CHROMIUM = '/usr/bin/chromium';
const NURSE = 'nurse.akwa@demo.clinic-graph.test';

// CI installs Chromium (.ci/run); there its absence is a failure. Elsewhere the test says it is skipped.
if (!existsSync(CHROMIUM) && process.env.CI) throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium`);
if (!existsSync(CHROMIUM)) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

/** The other origin: a page whose script calls the API with the token in its URL and shows the answer. */
const APP_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>front desk</title>
<style>body { font: 20px sans-serif; margin: 24px; } #result { padding: 12px; background: #e8f5e9; color: #1b5e20; }</style></head>
<body><h1>Front desk</h1><div id="result">waiting</div><script>
const params = new URLSearchParams(location.search);
fetch(params.get('api'), {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer ' + params.get('token'), 'apollographql-client-name': 'front-desk' },
  body: JSON.stringify({ query: '{ viewer { email role } clinics { name } }' }),
}).then((response) => response.json().then((body) => {
  const result = document.getElementById('result');
  result.dataset.status = String(response.status);
  result.dataset.requestId = response.headers.get('x-request-id') || '';
  result.textContent = body.data ? body.data.viewer.role + ' ' + body.data.viewer.email + ' sees ' + body.data.clinics.length + ' clinics' : 'error ' + JSON.stringify(body.errors);
})).catch((error) => { document.getElementById('result').textContent = 'failed: ' + error.message; });
</script></body></html>`;

/** Pixels in a region of a screenshot that differ from its most common colour (the background). */
function inkIn(png: Buffer, region?: { x: number; y: number; width: number; height: number }): { ink: number; total: number } {
  const image = PNG.sync.read(png);
  const { x, y, width, height } = region ?? { x: 0, y: 0, width: image.width, height: image.height };
  const counts = new Map<number, number>();
  const colourAt = (px: number, py: number) => {
    const i = (py * image.width + px) * 4;
    return (image.data[i] << 16) | (image.data[i + 1] << 8) | image.data[i + 2];
  };
  for (let py = y; py < y + height; py++)
    for (let px = x; px < x + width; px++) counts.set(colourAt(px, py), (counts.get(colourAt(px, py)) ?? 0) + 1);
  const background = Math.max(...counts.values());
  return { ink: width * height - background, total: width * height };
}

describe.skipIf(!hasServers() || !existsSync(CHROMIUM))('in a browser, offline', () => {
  let environment: CompiledEnvironment;
  let server: RunningServer;
  let appServer: http.Server;
  let appOrigin = '';
  let userDataDir = '';
  let browser: BrowserContext;
  let closedNetwork: http.Server;
  /** Requests of the pages (documents, scripts, styles, fetches) for anything but 127.0.0.1. */
  const outside: string[] = [];
  /** Hosts the proxy refused: also Chromium's own services (updates, accounts), which no flag quite stops. */
  const refusedHosts: string[] = [];

  beforeAll(async () => {
    // Its request log (info) shows the preflights the browser sent.
    environment = await compiledEnvironment({ LOG_LEVEL: 'info' });
    server = await startCompiledServer(environment.env);
    appServer = http.createServer((_request, response) => {
      response.setHeader('content-type', 'text/html; charset=utf-8');
      response.end(APP_PAGE);
    });
    await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
    appOrigin = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}`;
    // Every request not for 127.0.0.1 goes to this proxy, which remembers it and refuses it.
    closedNetwork = http.createServer((request, response) => {
      refusedHosts.push(new URL(request.url ?? 'http://unknown').hostname);
      response.writeHead(502).end();
    });
    closedNetwork.on('connect', (request, socket) => {
      refusedHosts.push((request.url ?? 'unknown').replace(/:\d+$/, ''));
      socket.destroy();
    });
    await new Promise<void>((resolve) => closedNetwork.listen(0, '127.0.0.1', resolve));
    userDataDir = mkdtempSync(path.join(os.tmpdir(), 'clinic-chromium-'));
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      proxy: { server: `http://127.0.0.1:${(closedNetwork.address() as AddressInfo).port}`, bypass: '127.0.0.1' },
      viewport: { width: 1280, height: 720 },
    });
    browser.on('request', (request) => {
      if (new URL(request.url()).hostname !== '127.0.0.1') outside.push(request.url());
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => appServer?.close(resolve));
    await new Promise((resolve) => closedNetwork?.close(resolve));
    await server?.stop();
    await environment?.drop();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  const expectNothingFromOutside = () => {
    expect(outside).toEqual([]);
    expect(refusedHosts.filter((host) => !/(^|\.)(google|googleapis|gstatic)\.com$/.test(host))).toEqual([]);
  };

  it('prints the demo accounts and the development password, with which login works', async () => {
    expect(server.stdout()).toContain(NURSE);
    expect(server.stdout()).toContain(`password ${DEMO_PASSWORD}`);
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
        variables: { email: NURSE, password: DEMO_PASSWORD },
      }),
    });
    const body = (await response.json()) as { data?: { login: { accessToken: string } } };
    expect(body.data?.login.accessToken).toMatch(/^ey/);
  });

  it('lets a page on another origin call the API with a bearer token (a preflight first)', async () => {
    const page = await browser.newPage();
    const token = (await (await fetch(`${new URL(server.url).origin}/explorer/demo-token?email=${encodeURIComponent(NURSE)}`)).json()) as {
      token: string;
    };
    await page.goto(`${appOrigin}/?api=${encodeURIComponent(server.url)}&token=${encodeURIComponent(token.token)}`);
    const result = page.locator('#result');
    await expect.poll(() => result.textContent(), { timeout: 10_000 }).toMatch(/sees/);
    expect(await result.textContent()).toBe(`NURSE ${NURSE} sees 4 clinics`);
    expect(await result.getAttribute('data-status')).toBe('200');
    // x-request-id is exposed to the page's script.
    expect(await result.getAttribute('data-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await checkScreenshot(page, '#result');
    const requests = server
      .stdout()
      .split('\n')
      .filter((line) => line.includes('"msg":"request"'))
      .map((line) => JSON.parse(line) as { method: string; path: string; status: number });
    expect(requests).toContainEqual(expect.objectContaining({ method: 'OPTIONS', path: '/graphql', status: 204 }));
    expectNothingFromOutside();
    await page.close();
  });

  it('serves an explorer that runs a query as a demo account chosen with one click', async () => {
    const page = await browser.newPage();
    const failed: string[] = [];
    page.on('pageerror', (error) => failed.push(error.message));
    page.on('requestfailed', (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));
    await page.goto(server.url);
    await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror', { timeout: 15_000 });
    await page.click(`#demo-accounts button[data-email="${NURSE}"]`);
    await expect.poll(() => page.textContent('#signed-in-as')).toBe('Requests are sent as nurse (Akwa, Douala).');
    // Replace the query: select all in the editor, then insert text (typing would auto-close brackets).
    await page.click('.graphiql-query-editor .CodeMirror');
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('query MyAccount { viewer { email role } }');
    // GraphiQL reads the operation's name from the editor a moment later (the tab shows it).
    await expect.poll(() => page.textContent('.graphiql-tabs')).toContain('MyAccount');
    await page.click('.graphiql-execute-button');
    const result = page.locator('.result-window');
    await expect.poll(() => result.textContent(), { timeout: 10_000 }).toContain(NURSE);
    expect(await result.textContent()).toContain('"role": "NURSE"');
    await checkScreenshot(page, '.result-window');

    // The token expires (here: its sessions end): the explorer gets a fresh one, no restart needed.
    await sql(environment.databaseUrl, `UPDATE sessions SET revoked_at = now() WHERE user_id = (SELECT id FROM users WHERE email = $1)`, [
      NURSE,
    ]);
    const statuses: number[] = [];
    page.on('response', (response) => {
      if (response.url() === server.url && response.request().method() === 'POST') statuses.push(response.status());
    });
    await page.click('.graphiql-execute-button');
    await expect.poll(() => statuses, { timeout: 10_000 }).toEqual([401, 200]);
    await expect.poll(() => result.textContent()).toContain('"role": "NURSE"');
    expect(await result.textContent()).not.toContain('UNAUTHENTICATED');
    expect(failed).toEqual([]);
    expectNothingFromOutside();
    await page.close();
  });
});

/** The page is not blank, and the region that shows the answer has text drawn in it. */
async function checkScreenshot(page: Page, selector: string): Promise<void> {
  const whole = await page.screenshot();
  const page_ = inkIn(whole);
  expect(page_.ink / page_.total).toBeGreaterThan(0.005);
  const box = (await page.locator(selector).boundingBox())!;
  const region = inkIn(whole, {
    x: Math.floor(box.x),
    y: Math.floor(box.y),
    width: Math.floor(Math.min(box.width, 1280 - box.x)),
    height: Math.floor(Math.min(box.height, 720 - box.y)),
  });
  expect(region.ink).toBeGreaterThan(200);
}
