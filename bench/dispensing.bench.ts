// npm run bench:dispensing -- [--clients 20] [--units 3000] [--per-prescription 30] [--max-requests 6000] [--seconds 120]
//   [--warmup-requests 100] [--database clinic_bench] [--mongo-url URL]
// Dispensing under contention, the API beside a raw-SQL floor in one run on 127.0.0.1, over the
// data of `npm run bench:generate`. Each side gets a fresh medicine item at one dispensary with five
// lots (expiring in 20, 90, 200 and 400 days, and one that expired three days ago) and signed
// prescriptions of it presented there; `--clients` pharmacists of that dispensary, each with their
// own token and queue, give 1 to 3 units a request until the stock runs out (or the bounds: requests,
// seconds). The API side sends the `dispense` mutation over HTTP to the same API server process the
// other benchmark starts (bench/servers/api-server.ts, production mode); the floor does the same
// work in one hand-written transaction over `pg` (dispensing/floor.ts), through a pool as large as
// the API's. Reported: requests/s, p50/p95/p99, the ratio, refusals for want of stock; then, checked
// and printed (the run fails otherwise): no lot below zero, the ledger reconciled (the module's own
// query), the expired lot untouched, first expiry first out in every movement, the units given equal
// to what left the lots. Every process it starts is stopped at the end; it stops itself after 15 min.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { toGlobalId } from '../src/graphql/global-id.js';
import { InventoryRepository } from '../src/modules/pharmacy/inventory.repository.js';
import { portAnswers } from '../src/platform/discovery/probes.js';
import { migrate } from '../src/platform/migrations.js';
import { openDatabase } from '../src/platform/postgres.js';
import { removeBenchLeftovers, TokenMint } from './fixtures.js';
import { chooseDispensary, makeSide, type Dispensary, type Side, type StockPlan } from './dispensing/fixtures.js';
import { SqlFloor } from './dispensing/floor.js';
import { atTheCounter, type Answer, type Bounds, type Dispenser, type Outcome } from './dispensing/pharmacists.js';
import { checkSide } from './dispensing/checks.js';
import { BENCH_CLIENT, benchSettings } from './settings.js';
import { fromDist } from './lib/dist.js';
import { LoadClient } from './lib/load.js';
import { startStandin, stopChild } from './lib/processes.js';
import { ServerProcess } from './lib/server-process.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string' },
    units: { type: 'string' },
    'per-prescription': { type: 'string' },
    'max-requests': { type: 'string' },
    seconds: { type: 'string' },
    'warmup-requests': { type: 'string' },
    'mongo-url': { type: 'string' },
    database: { type: 'string' },
  },
});
const settings = benchSettings(values);
const clients = Number(values.clients ?? 20);
const bounds: Bounds = {
  maxRequests: Number(values['max-requests'] ?? 6000),
  seconds: Number(values.seconds ?? 120),
  warmupRequests: Number(values['warmup-requests'] ?? 100),
};
const perPrescription = Number(values['per-prescription'] ?? 30);
const units = Number(values.units ?? 3000);
const plan: StockPlan = {
  units,
  expiredUnits: 300,
  perPrescription,
  // Enough that no pharmacist runs out of prescriptions before the stock runs out, even the fastest.
  prescriptionsPerPharmacist: Math.ceil((units / perPrescription / clients) * 1.5) + 1,
};
/** The API's pool (connectStores' default), which the floor gets too. */
const POOL_SIZE = 10;
const DISPENSE = `mutation Dispense($input: DispenseInput!) {
  dispense(input: $input) { id quantity supplyType fulfillmentStatus lots { batchNumber quantity } }
}`;

const started = Date.now();
const say = (message: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${message}\n`);
// The whole run stops by itself, whatever happens (the children with it: lib/processes.ts).
setTimeout(() => {
  say('dispensing bench: over 15 minutes, stopping');
  process.exit(1);
}, 900_000).unref();

/** The API's answer to a dispense: ok, a refusal for want of stock (with what is available), or the error's code and reason. */
function answerOf(status: number, body: string): Answer {
  if (status !== 200) return { kind: `HTTP ${status}` };
  const parsed = JSON.parse(body) as { errors?: Array<{ extensions?: { code?: string; reason?: string; available?: number } }> };
  const error = parsed.errors?.[0]?.extensions;
  if (!error) return { kind: 'ok' };
  if (error.reason === 'NOT_ENOUGH_STOCK') return { kind: 'NOT_ENOUGH_STOCK', available: error.available ?? 0 };
  return { kind: [error.code ?? 'error', error.reason].filter(Boolean).join(' ') };
}

function apiDispenser(http: LoadClient, dispensary: Dispensary): Dispenser {
  return async (pharmacist, prescription, quantity) => {
    const { status, body } = await http.send({
      client: BENCH_CLIENT,
      token: dispensary.pharmacists[pharmacist].token,
      body: JSON.stringify({
        operationName: 'Dispense',
        query: DISPENSE,
        variables: {
          input: {
            fulfillmentId: toGlobalId('Fulfillment', prescription.fulfillmentId),
            prescriptionItemId: toGlobalId('PrescriptionItem', prescription.itemId),
            quantity,
          },
        },
      }),
    });
    return answerOf(status, body);
  };
}

interface Measured {
  title: string;
  outcome: Outcome;
  /** Per request: SQL statements, MongoDB commands, server CPU (µs); the floor has no server. */
  sql: number;
  mongo: number | null;
  cpuMicros: number | null;
}

const f1 = (value: number | null) => (value === null || !Number.isFinite(value) ? '-' : value.toFixed(1));
const f0 = (value: number | null) => (value === null || !Number.isFinite(value) ? '-' : value.toFixed(0));

function printTable(dispensary: Dispensary, rows: Measured[]): void {
  console.log(
    `\ndispensing at ${dispensary.name}: ${clients} pharmacists, 1 to 3 units a request, a fresh medicine with five lots ` +
      `(${units} units usable, ${plan.expiredUnits} expired) per side, until the stock ran out; figures after the first ${bounds.warmupRequests} requests (warm-up), latency in ms`,
  );
  const columns: Array<[string, number, (row: Measured) => string]> = [
    ['side', 26, (r) => r.title],
    ['requests', 9, (r) => String(r.outcome.requests)],
    ['ok', 6, (r) => String(r.outcome.kinds.ok ?? 0)],
    ['not enough (some left)', 22, (r) => `${r.outcome.kinds.NOT_ENOUGH_STOCK ?? 0} (${r.outcome.refusedWithSomeLeft})`],
    ['other', 6, (r) => String(r.outcome.requests - (r.outcome.kinds.ok ?? 0) - (r.outcome.kinds.NOT_ENOUGH_STOCK ?? 0))],
    ['units', 6, (r) => String(r.outcome.unitsGiven)],
    ['req/s', 7, (r) => f0(r.outcome.rps)],
    ['p50', 7, (r) => f1(r.outcome.p50)],
    ['p95', 7, (r) => f1(r.outcome.p95)],
    ['p99', 7, (r) => f1(r.outcome.p99)],
    ['SQL/req', 8, (r) => f1(r.sql)],
    ['Mongo/req', 10, (r) => f1(r.mongo)],
    ['CPU µs/req', 10, (r) => f0(r.cpuMicros)],
    ['wall s', 7, (r) => f1(r.outcome.wallSeconds)],
  ];
  console.log(columns.map(([name, width]) => name.padEnd(width)).join(' '));
  for (const row of rows) console.log(columns.map(([, width, cell]) => cell(row).padEnd(width)).join(' '));
  const [ours, floor] = rows;
  console.log(
    `API / floor: throughput ${(ours.outcome.rps / floor.outcome.rps).toFixed(2)}x, p50 ${(ours.outcome.p50 / floor.outcome.p50).toFixed(1)}x, ` +
      `p99 ${(ours.outcome.p99 / floor.outcome.p99).toFixed(1)}x`,
  );
  for (const row of rows) {
    const others = Object.entries(row.outcome.kinds).filter(([kind]) => kind !== 'ok' && kind !== 'NOT_ENOUGH_STOCK');
    if (others.length > 0) console.log(`${row.title}: other answers: ${others.map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  }
}

const standin = settings.mongoUrl ? undefined : await startStandin(settings.standinDataDir);
const db = new pg.Client({ connectionString: settings.postgresUrl });
const database = openDatabase({ kind: 'server', url: settings.postgresUrl });
const floor = new SqlFloor(settings.postgresUrl, POOL_SIZE);
let api: ServerProcess | undefined;
const sides: Side[] = [];
let failed = false;
try {
  await fromDist('src/app.js'); // fails early, with the command to run, when dist/ is missing
  await db.connect();
  await migrate({ kind: 'server', url: settings.postgresUrl }); // migrations added since the data was generated
  const tokenSecret = randomBytes(32).toString('base64url');
  const redisUrl = (await portAnswers(6379)) ? 'redis://127.0.0.1:6379' : null;
  say(
    `MongoDB: ${settings.mongoUrl ? 'MONGODB_URL' : `the stand-in (pid ${standin!.child.pid})`}; Redis: ${redisUrl ?? 'none'}; PostgreSQL ${settings.database}`,
  );
  const dispensary = await chooseDispensary(db, new TokenMint(db, tokenSecret), clients);
  say(
    `${dispensary.name}: ${clients} pharmacists; fixtures (two fresh items, ${plan.prescriptionsPerPharmacist} prescriptions a pharmacist each)`,
  );
  for (const index of [0, 1]) sides.push(await makeSide(db, database.prisma, dispensary, index, plan));
  say(`fixtures ready: ${sides.map((side) => `${side.medicine.code} (${side.queues.flat().length} prescriptions)`).join(', ')}`);

  api = await ServerProcess.start(
    'api',
    'api-server',
    {
      postgresUrl: settings.postgresUrl,
      mongoUrl: settings.mongoUrl ?? standin!.uri,
      mongoDatabase: settings.mongoDatabase,
      tokenSecret,
      redisUrl,
      keyPrefix: `bench:${randomBytes(4).toString('hex')}:`,
      cache: true,
    },
    1,
  );
  const http = new LoadClient(api.port, clients);
  say(`API (its own process, port ${api.port}): ${sides[0].medicine.code}`);
  const before = await api.stats();
  const ours = await atTheCounter(sides[0].queues, apiDispenser(http, dispensary), bounds);
  const after = await api.stats();
  http.close();
  const served = Math.max(1, after.requests - before.requests);
  say(`floor (pg, pool of ${POOL_SIZE}): ${sides[1].medicine.code}`);
  const floorOutcome = await atTheCounter(
    sides[1].queues,
    floor.dispenser(
      dispensary.id,
      dispensary.pharmacists.map((p) => p.userId),
    ),
    bounds,
  );
  printTable(dispensary, [
    {
      title: 'API (dispense over HTTP)',
      outcome: ours,
      sql: (after.sql - before.sql) / served,
      mongo: (after.mongo - before.mongo) / served,
      cpuMicros: (after.cpuMicros - before.cpuMicros) / served,
    },
    {
      title: 'floor (one pg transaction)',
      outcome: floorOutcome,
      sql: floor.statements / floorOutcome.requests,
      mongo: null,
      cpuMicros: null,
    },
  ]);

  console.log('\nat the end:');
  const inventory = new InventoryRepository(database.prisma);
  for (const [k, outcome] of [ours, floorOutcome].entries()) {
    const problems = await checkSide(db, dispensary, sides[k], outcome, ['API', 'floor'][k]);
    failed ||= problems;
  }
  const [{ negative }] = (
    await db.query<{ negative: number }>('SELECT count(*)::int AS negative FROM stock_lots WHERE quantity_on_hand < 0')
  ).rows;
  const drift = await inventory.reconcile(dispensary.id);
  const everywhere = await inventory.reconcile();
  console.log(
    `whole database: ${negative} lots below zero; reconciliation (InventoryRepository.reconcile): ${drift.length} lots drift at ${dispensary.name}, ${everywhere.length} anywhere`,
  );
  failed ||= negative > 0 || drift.length > 0 || everywhere.length > 0;
} finally {
  // What a run leaves: its items and lots (the ledger keeps everything) and what was dispensed; the
  // prescriptions it did not finish are declined at the pharmacy and cancelled.
  const open = sides.flatMap((side) => side.queues.flat());
  if (open.length > 0) {
    await db
      .query(
        `UPDATE prescription_fulfillments SET status = 'declined', status_reason = 'benchmark run over', status_changed_at = now()
         WHERE id = ANY($1::uuid[]) AND status NOT IN ('dispensed', 'declined')`,
        [open.map((rx) => rx.fulfillmentId)],
      )
      .catch(() => {});
    await db
      .query(
        `UPDATE prescriptions SET status = 'cancelled', status_reason = 'benchmark run over', status_changed_at = now(), updated_at = now()
         WHERE id = ANY($1::uuid[]) AND status = 'active'`,
        [open.map((rx) => rx.prescriptionId)],
      )
      .catch(() => {});
  }
  await removeBenchLeftovers(db).catch(() => {});
  await api?.stop();
  await Promise.all([floor.close(), database.close(), db.end()].map((closing) => closing.catch(() => {})));
  if (standin) await stopChild(standin.child, 600_000);
  say(`done${failed ? ', WITH FAILED CHECKS' : ''}; every process this run started has stopped`);
}
if (failed) process.exitCode = 1;
