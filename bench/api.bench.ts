// npm run bench -- [--modes 1,2] [--clients 16] [--peak-seconds 3] [--open-seconds 4] [--no-freeze]
// The API next to a hand-written floor, side by side in one run on 127.0.0.1, over the data of
// `npm run bench:generate`: for each operation, peak throughput (closed loop) and p50/p95/p99 at
// half of that peak (open loop), the ratios ours / floor, SQL statements and MongoDB commands per
// request, and CPU time per request; first with one process each, then with node:cluster across
// `--modes` workers. Then the booking rush's outcome (successes, CONFLICTs, overlaps left in the
// database: must be 0) and Redis frozen mid-run. Every process it starts is stopped at the end.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { BOOKING_DAYS_AHEAD, loadFixtures, removeBenchLeftovers, TokenMint } from './fixtures.js';
import { compareAnswers, measure, roundTrips, type MeasureOptions } from './measure.js';
import { bookingRush, clinicPage, operations, persistedChart, type Operation } from './operations.js';
import { ensureAuditHeads } from './audit/heads.js';
import { redisFreeze } from './redis-freeze.js';
import { printOutcomes, printTable, type Row } from './report.js';
import { benchSettings } from './settings.js';
import { fromDist } from './lib/dist.js';
import { startStandin, stopChild } from './lib/processes.js';
import { ServerProcess } from './lib/server-process.js';
import { portAnswers } from '../src/platform/discovery/probes.js';
import { migrate } from '../src/platform/migrations.js';

const { values } = parseArgs({
  options: {
    modes: { type: 'string' },
    clients: { type: 'string' },
    'peak-seconds': { type: 'string' },
    'open-seconds': { type: 'string' },
    'no-freeze': { type: 'boolean' },
    'mongo-url': { type: 'string' },
    database: { type: 'string' },
  },
});
const settings = benchSettings(values);
const modes = (values.modes ?? '1,2').split(',').map(Number);
const options: MeasureOptions = {
  clients: Number(values.clients ?? 16),
  warmupSeconds: 1,
  peakSeconds: Number(values['peak-seconds'] ?? 3),
  openSeconds: Number(values['open-seconds'] ?? 4),
};
const started = Date.now();
const say = (message: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${message}\n`);

await fromDist('src/app.js'); // fails early, with the command to run, when dist/ is missing
const standin = settings.mongoUrl ? undefined : await startStandin(settings.standinDataDir);
if (standin) options.standinPid = standin.child.pid;
const db = new pg.Client({ connectionString: settings.postgresUrl });
await db.connect();
const tokenSecret = randomBytes(32).toString('base64url');
const sharedRedis = (await portAnswers(6379)) ? 'redis://127.0.0.1:6379' : null;
const apiSettings = {
  postgresUrl: settings.postgresUrl,
  mongoUrl: settings.mongoUrl ?? standin!.uri,
  mongoDatabase: settings.mongoDatabase,
  tokenSecret,
  redisUrl: sharedRedis,
  keyPrefix: `bench:${randomBytes(4).toString('hex')}:`,
  cache: true,
};
const rows: Row[] = [];
let bookingDay = 0;

try {
  say(
    `MongoDB: ${settings.mongoUrl ? 'MONGODB_URL' : `the stand-in (pid ${standin!.child.pid})`}; Redis: ${sharedRedis ?? 'none (in-process cache)'}; PostgreSQL database ${settings.database}`,
  );
  await migrate({ kind: 'server', url: settings.postgresUrl }); // migrations added since the data was generated
  const heads = await withMongo(apiSettings.mongoUrl, (client) => ensureAuditHeads(client.db(settings.mongoDatabase)));
  if (heads > 0) say(`audit chain heads rebuilt for ${heads} streams (data generated before they existed)`);
  await removeBenchLeftovers(db);
  const fixtures = await loadFixtures(db, new TokenMint(db, tokenSecret));
  const ops = operations(fixtures);
  const persisted = persistedChart();
  say(
    `fixtures: ${fixtures.doctorDays.length} doctor days, ${fixtures.charts.length} charts, ${fixtures.clinicPages.length} clinic fortnights, ${fixtures.prescriptions.length} doctor-patient pairs for prescriptions; persisted query: ${typeof persisted === 'string' ? persisted : 'PatientChart in the manifest'}`,
  );

  for (const workers of modes) {
    const mode = workers === 1 ? 'one process each' : `node:cluster, ${workers} workers each`;
    say(`${mode}: starting the API (cache on), the API (cache holding nothing) and the floor`);
    const [api, uncached, floor] = await Promise.all([
      ServerProcess.start('api', 'api-server', apiSettings, workers),
      ServerProcess.start('api (no cache)', 'api-server', { ...apiSettings, cache: false }, workers),
      ServerProcess.start('floor', 'floor-server', apiSettings, workers),
    ]);
    try {
      const floorTimings = new Map<string, Awaited<ReturnType<typeof measure>>>();
      const checked = new Map<string, string>();
      const measureOp = async (op: Operation, server: ServerProcess, title = op.title) => {
        if (workers === 1 && !checked.has(op.floor)) {
          const pairs = Array.from({ length: 10 }, () => {
            const request = op.next();
            return [request, request] as [typeof request, typeof request];
          });
          checked.set(op.floor, (await compareAnswers(api, floor, pairs)) ?? 'same');
          if (checked.get(op.floor) !== 'same') say(`ANSWERS DIFFER for ${op.title}: ${checked.get(op.floor)}`);
        }
        const trips = workers === 1 ? { ours: await roundTrips(server, op.next), floor: await roundTrips(floor, op.next) } : undefined;
        say(`${mode}: ${title}`);
        const ours = await measure(server, () => op.next, options);
        if (!floorTimings.has(op.floor)) floorTimings.set(op.floor, await measure(floor, () => op.next, options));
        rows.push({
          mode,
          title,
          ours,
          floor: floorTimings.get(op.floor),
          trips,
          answers: checked.get(op.floor) === 'same' ? 'same' : workers === 1 ? 'DIFFER' : '',
        });
      };
      for (const op of ops) await measureOp(op, api);
      const chart = ops.find((op) => op.key === 'chart')!;
      await measureOp(chart, uncached, 'patient chart, cache holding nothing');

      // The booking rush: every phase on a weekday of its own, so that each starts with free slots.
      const rush = () => bookingRush(fixtures, bookingDay++);
      if (workers === 1) {
        const day = bookingRush(fixtures, bookingDay++);
        const twin = bookingRush(fixtures, bookingDay++);
        const pairs = Array.from({ length: 4 }, () => {
          const a = day();
          return [a, { ...a, body: a.body }] as [typeof a, typeof a];
        });
        // Same slot, one day apart: first a success on each, then CONFLICT on each (ids and times masked).
        const onTwin = pairs.map(([a]) => ({
          ...a,
          body: a.body.replace(/"startsAt":"([^"]+)"/, (_, at: string) => `"startsAt":"${shiftToTwin(at, twin)}"`),
        }));
        const difference = await compareAnswers(
          api,
          floor,
          pairs.map(([a], i) => [a, onTwin[i]]),
          true,
        );
        checked.set('book', difference ?? 'same');
        if (difference) say(`ANSWERS DIFFER for booking: ${difference}`);
      }
      const bookTrips = workers === 1 ? { ours: await roundTrips(api, rush()), floor: await roundTrips(floor, rush()) } : undefined;
      say(`${mode}: booking under contention`);
      const oursBook = await measure(api, rush, options);
      const floorBook = await measure(floor, rush, options);
      rows.push({
        mode,
        title: `booking rush (${fixtures.booking.doctors.length} doctors, 6 slots each)`,
        ours: oursBook,
        floor: floorBook,
        trips: bookTrips,
        answers: workers === 1 ? (checked.get('book') === 'same' ? 'same' : 'DIFFER') : '',
      });
      if (workers === 1) {
        const ten = clinicPage(fixtures, 10);
        const none = { peakRps: NaN, rate: NaN, p50: NaN, p95: NaN, p99: NaN, cpuMicros: NaN, mongoCpuMicros: null, kinds: {} };
        rows.push({
          mode: 'round trips only',
          title: 'page of 10 (the same query, first: 10)',
          ours: none,
          trips: { ours: await roundTrips(api, ten), floor: await roundTrips(floor, ten) },
          answers: '',
        });
      }
    } finally {
      await Promise.all([api.stop(), uncached.stop(), floor.stop()]);
    }
  }

  const overlaps = (
    await db.query(`SELECT
    (SELECT count(*) FROM appointments WHERE starts_at >= now() + interval '${BOOKING_DAYS_AHEAD - 5} days') AS booked,
    (SELECT count(*) FROM appointments a JOIN appointments b ON a.doctor_id = b.doctor_id AND a.id < b.id AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
      WHERE a.status NOT IN ('cancelled', 'no_show') AND b.status NOT IN ('cancelled', 'no_show')) AS doctor_overlaps,
    (SELECT count(*) FROM appointments a JOIN appointments b ON a.patient_id = b.patient_id AND a.id < b.id AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
      WHERE a.status NOT IN ('cancelled', 'no_show') AND b.status NOT IN ('cancelled', 'no_show')) AS patient_overlaps`)
  ).rows[0];

  printTable(rows.filter((row) => row.mode !== 'round trips only'));
  printTable(rows.filter((row) => row.mode === 'round trips only'));
  printOutcomes(rows.filter((row) => row.mode !== 'round trips only'));
  console.log(
    `\nbooking rush: ${overlaps.booked} appointments booked in all phases; overlapping active appointments in the whole database: doctor ${overlaps.doctor_overlaps}, patient ${overlaps.patient_overlaps}`,
  );
  console.log(`persisted query by id: ${typeof persisted === 'string' ? persisted : 'measured above (floor: the chart floor)'}`);

  if (!values['no-freeze']) {
    // A round-robin mix of the directory (clinics) and the operations that read through the cache,
    // at a third of what the mix sustains (n / sum of 1 / each one's single-process peak).
    const mix = ops.filter((op) => ['doctor-day', 'chart', 'persisted'].includes(op.key));
    const peaks = mix.map((op) => rows.find((row) => row.title === op.title)?.ours.peakRps ?? 50);
    const rate = Math.max(10, Math.round((mix.length + 1) / (1 / 1000 + peaks.reduce((sum, peak) => sum + 1 / peak, 0)) / 3));
    say('Redis frozen mid-run');
    await redisFreeze(
      apiSettings,
      mix.map((op) => op.next),
      { rate, before: 5, frozen: 6, after: 6 },
    );
  }
} finally {
  await removeBenchLeftovers(db).catch(() => {});
  await db.end();
  if (standin) await stopChild(standin.child, 600_000);
  say('done; every process this run started has stopped');
}

async function withMongo<T>(uri: string, work: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = await MongoClient.connect(uri);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

/** The same local time of day on the twin rush's day. */
function shiftToTwin(at: string, twin: () => { body: string }): string {
  const sample = /"startsAt":"([^"]+)"/.exec(twin().body)![1];
  return `${sample.slice(0, 10)}${at.slice(10)}`;
}
