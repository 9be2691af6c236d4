// `npm run bench:overload`: 200 heavy requests at once (a patient's chart: PostgreSQL, MongoDB and
// its read audit) at the compiled server, without a concurrency bound and then with the default
// one, side by side in one run on 127.0.0.1: served p99, how many were shed (503), how soon the
// first 503 came, and /healthz latency during the burst. Self-contained: its own PostgreSQL
// database and MongoDB stand-in (dropped / stopped at the end), demo data from development mode.
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { withAdminClient } from '../src/platform/discovery/postgres.js';
import { PROJECT_ROOT } from '../src/platform/paths.js';
import { percentile } from './lib/load.js';
import { startChild, startStandin, stopChild, waitForOutput } from './lib/processes.js';

const BURST = Number(process.env.BENCH_BURST ?? 200);
const SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const DATABASE = 'clinic_bench_overload';
const CHART =
  'query($id: ID!) { patient(id: $id) { firstName lastName dateOfBirth medicalHistory { bloodType allergies { substance severity } chronicConditions { name } } } }';

/** The servers compared: no bound, the defaults, and a tighter bound. */
const BOUNDS: Array<[string, Record<string, string>]> = [
  ['no bound (MAX_CONCURRENT_REQUESTS=0)', { MAX_CONCURRENT_REQUESTS: '0' }],
  ['defaults (16 running, 16 queued, 1 s wait)', {}],
  ['8 running, 8 queued, 1 s wait', { MAX_CONCURRENT_REQUESTS: '8', MAX_QUEUED_REQUESTS: '8' }],
];

// The whole run stops by itself, whatever happens.
setTimeout(() => {
  process.stderr.write('overload bench: over 10 minutes, stopping\n');
  process.exit(1);
}, 600_000).unref();

interface Answer {
  status: number;
  ms: number;
}

function post(port: number, body: string, token: string, agent: http.Agent): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    request.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    request.end(body);
  });
}

function healthz(port: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (response) => {
        response.resume();
        response.on('end', () => resolve(performance.now() - started));
      })
      .on('error', () => resolve(Number.NaN));
  });
}

/** Starts the server in development (demo data, tokens on stdout); returns its port and the demo patient's token and id. */
async function startServer(mongoUrl: string, bound: Record<string, string>) {
  const child = startChild(process.execPath, ['dist/src/main.js'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: '0',
      LOG_LEVEL: 'warn',
      DATABASE_URL: `${SERVER}/${DATABASE}`,
      MONGODB_URL: mongoUrl,
      MONGODB_DB: DATABASE,
      ...bound,
    },
  });
  let printed = '';
  child.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  await waitForOutput(child, /New tokens:/, 180_000);
  const port = /http:\/\/127\.0\.0\.1:(\d+)\/graphql/.exec(printed)?.[1];
  if (!port) throw new Error('the server printed no URL');
  return { child, port: Number(port), tokens: printed.match(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g) ?? [] };
}

async function demoPatient(tokens: string[]): Promise<{ token: string; id: string }> {
  const client = new pg.Client({ connectionString: `${SERVER}/${DATABASE}` });
  await client.connect();
  try {
    for (const token of tokens) {
      const sub = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: string }).sub;
      const { rows } = await client.query<{ role: string }>('SELECT role::text FROM users WHERE id = $1', [sub]);
      if (rows[0]?.role === 'patient') return { token, id: Buffer.from(`Patient:${sub}`).toString('base64url') };
    }
  } finally {
    await client.end();
  }
  throw new Error('no demo patient token was printed');
}

async function run(label: string, mongoUrl: string, bound: Record<string, string>) {
  const server = await startServer(mongoUrl, bound);
  try {
    const patient = await demoPatient(server.tokens);
    const body = JSON.stringify({ query: CHART, variables: { id: patient.id } });
    const agent = new http.Agent({ keepAlive: true, maxSockets: BURST });
    for (let i = 0; i < 20; i++) await post(server.port, body, patient.token, agent); // warm-up
    const health: number[] = [];
    let bursting = true;
    const poller = (async () => {
      while (bursting) {
        health.push(await healthz(server.port));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: BURST }, () => post(server.port, body, patient.token, agent)));
    const wallMs = performance.now() - started;
    bursting = false;
    await poller;
    agent.destroy();
    const served = answers
      .filter((answer) => answer.status === 200)
      .map((answer) => answer.ms)
      .sort((a, b) => a - b);
    const shed = answers
      .filter((answer) => answer.status === 503)
      .map((answer) => answer.ms)
      .sort((a, b) => a - b);
    const other = answers.length - served.length - shed.length;
    const healthSorted = health.filter((ms) => !Number.isNaN(ms)).sort((a, b) => a - b);
    return {
      label,
      served: served.length,
      servedP50: percentile(served, 50),
      servedP99: percentile(served, 99),
      shed: shed.length,
      firstShedMs: shed.length > 0 ? shed[0] : null,
      other,
      wallMs,
      healthP50: percentile(healthSorted, 50),
      healthMax: healthSorted.at(-1) ?? Number.NaN,
      healthChecks: healthSorted.length,
    };
  } finally {
    await stopChild(server.child);
  }
}

const fmt = (ms: number | null) => (ms === null || Number.isNaN(ms) ? '-' : `${Math.round(ms)} ms`);

async function main() {
  await withAdminClient(`${SERVER}/postgres`, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${DATABASE}"`);
  });
  const standin = await startStandin(path.join(PROJECT_ROOT, '.data', 'bench-overload-mongo'), { fresh: true });
  try {
    const results = [];
    for (const [label, bound] of BOUNDS) results.push(await run(label, standin.uri, bound));
    process.stdout.write(`\n${BURST} concurrent chart reads, one burst after 20 warm-up requests\n\n`);
    process.stdout.write(
      '| server | served | served p50 | served p99 | shed (503) | first 503 after | other | burst wall time | /healthz p50 | /healthz max (n) |\n|---|---|---|---|---|---|---|---|---|---|\n',
    );
    for (const r of results) {
      process.stdout.write(
        `| ${r.label} | ${r.served} | ${fmt(r.servedP50)} | ${fmt(r.servedP99)} | ${r.shed} | ${fmt(r.firstShedMs)} | ${r.other} | ${fmt(r.wallMs)} | ${fmt(r.healthP50)} | ${fmt(r.healthMax)} (${r.healthChecks}) |\n`,
      );
    }
  } finally {
    await stopChild(standin.child);
    await withAdminClient(`${SERVER}/postgres`, (client) => client.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`)).catch(
      () => {},
    );
  }
}

await main();
process.exit(0);
