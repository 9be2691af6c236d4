// node --import tsx bench/audit-page.bench.ts [--patients 1000] [--entries 50] [--clients 1,4] [--seconds 5] [--phases 2] [--mongo-url URL]
// The audit of a page of 100 appointments with their patients (one read audit per patient on the
// page, as the API records it), written by the audit writer before chain heads (taken from git, see
// audit/baseline.ts) and by today's, side by side in one run, against one MongoDB (the stand-in as
// a process of its own unless --mongo-url / MONGODB_URL): MongoDB commands per page (one page at a
// time, and under load), pages/s with each of `--clients` pages in flight, latency, and CPU per
// page of MongoDB (the stand-in's process) and of the writer's own process. Each side has a
// database of its own holding the same chains; today's side first rebuilds its heads (the upgrade
// from a log without them, timed). Phases alternate (before, after, before, after). At the end
// both logs are verified stream by stream and their entries counted. Needs `npm run build` (dist/).
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient, type CommandStartedEvent, type Db } from 'mongodb';
import type { AuditEntry, AuditEvent } from '../src/modules/audit/audit.types.js';
import { PROJECT_ROOT } from '../src/platform/paths.js';
import { baselineWriter, BASELINE_COMMIT, type ChainWriter } from './audit/baseline.js';
import { fromDist } from './lib/dist.js';
import { percentile } from './lib/load.js';
import { cpuMicrosOf, startStandin, stopChild } from './lib/processes.js';
import { Random } from './lib/random.js';

const { values } = parseArgs({
  options: {
    patients: { type: 'string' },
    entries: { type: 'string' },
    clients: { type: 'string' },
    seconds: { type: 'string' },
    phases: { type: 'string' },
    'mongo-url': { type: 'string' },
  },
});
const PATIENTS = Number(values.patients ?? 1000);
const ENTRIES = Number(values.entries ?? 50);
const CLIENTS = (values.clients ?? '1,4').split(',').map(Number);
const SECONDS = Number(values.seconds ?? 5);
const PHASES = Number(values.phases ?? 2);
const PAGE = 100;

const audit = {
  chain: await fromDist<typeof import('../src/modules/audit/audit-chain.js')>('src/modules/audit/audit-chain.js'),
  event: await fromDist<typeof import('../src/modules/audit/audit-event.js')>('src/modules/audit/audit-event.js'),
  writer: await fromDist<typeof import('../src/modules/audit/audit-writer.js')>('src/modules/audit/audit-writer.js'),
  repository: await fromDist<typeof import('../src/modules/audit/audit.repository.js')>('src/modules/audit/audit.repository.js'),
  service: await fromDist<typeof import('../src/modules/audit/audit.service.js')>('src/modules/audit/audit.service.js'),
  collections: await fromDist<typeof import('../src/modules/audit/audit.collections.js')>('src/modules/audit/audit.collections.js'),
  mongo: await fromDist<typeof import('../src/platform/mongo.js')>('src/platform/mongo.js'),
};
type Prepared = ReturnType<typeof audit.event.prepareEvent>;

const started = Date.now();
const say = (message: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${message}\n`);

interface Side {
  name: string;
  db: Db;
  writer: ChainWriter & { settled?(): Promise<void> };
  commands: () => number;
  /** Events stored by every write of the run. */
  written: number;
  /** Commands of single pages, one at a time. */
  onePage: number[];
}

/** A side's load phases at one concurrency, summed. */
interface Load {
  pages: number;
  events: number;
  seconds: number;
  latencies: number[];
  commands: number;
  mongoCpuMicros: number;
  ownCpuMicros: number;
}

const patients = Array.from({ length: PATIENTS }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
const receptionist = { userId: 'bench-receptionist', role: 'receptionist' as const };

/** The page's read audits: a patient per appointment, drawn from the clinic's patients; one event per patient. */
function page(random: Random, requestId: string): Map<string, Prepared[]> {
  const onPage = new Set(Array.from({ length: PAGE }, () => random.pick(patients)));
  const now = new Date();
  const events: AuditEvent[] = [...onPage].map((patientId) => ({
    actor: receptionist,
    patientId,
    resource: 'Patient',
    fields: ['firstName', 'lastName'],
    action: 'read',
    result: 'success',
    requestId,
    ip: '127.0.0.1',
    userAgent: 'clinic-graph-bench',
  }));
  return new Map(
    events.map((event) => {
      const prepared = audit.event.prepareEvent(event, now);
      return [prepared.stream, [prepared]];
    }),
  );
}

/** The same chains in every database: `ENTRIES` reads per patient over the past year, as the API wrote them. */
async function seed(dbs: Db[]): Promise<number> {
  const random = new Random(7);
  const yearAgo = Date.now() - 365 * 86_400_000;
  let batch: ReturnType<typeof audit.chain.linkEntries> = [];
  const flush = async () => {
    await Promise.all(
      dbs.map((db) =>
        db.collection<AuditEntry>('audit_logs').insertMany(
          batch.map((entry) => ({ ...entry })),
          { ordered: false },
        ),
      ),
    );
    batch = [];
  };
  for (const patientId of patients) {
    const ats = Array.from({ length: ENTRIES }, () => yearAgo + random.next() * 360 * 86_400_000).sort((a, b) => a - b);
    const contents = ats.map((at, i) =>
      audit.event.prepareEvent(
        {
          actor: { userId: `doctor-${i % 7}`, role: 'doctor' },
          patientId,
          resource: random.pick(['Patient', 'MedicalHistory', 'Encounter']),
          fields: ['firstName', 'lastName'],
          action: 'read',
          result: 'success',
          requestId: `seed-${random.int(0, 1e9)}`,
          ip: '10.0.0.1',
          userAgent: 'seed',
        },
        new Date(at),
      ),
    );
    batch.push(...audit.chain.linkEntries(patientId, null, contents));
    if (batch.length >= 5_000) await flush();
  }
  if (batch.length > 0) await flush();
  return PATIENTS * ENTRIES;
}

/** Writes one page's audit; resolves with how many of its events were not stored (0 expected). */
async function write(side: Side, byStream: Map<string, Prepared[]>): Promise<number> {
  const outcomes = await side.writer.writeStreams(byStream);
  side.written += outcomes.reduce((sum, outcome) => sum + outcome.receipts.length, 0);
  return outcomes.reduce((sum, outcome) => sum + outcome.unwritten.length, 0);
}

async function commandsOfOnePage(side: Side, random: Random): Promise<number> {
  const before = side.commands();
  await write(side, page(random, `one-${randomBytes(4).toString('hex')}`));
  await side.writer.settled?.();
  return side.commands() - before;
}

/** `clients` pages in flight for `SECONDS`, each client sending its next page as soon as the last one is stored. */
async function load(side: Side, into: Load, clients: number, random: Random, standinPid: number | undefined): Promise<void> {
  const commandsBefore = side.commands();
  const mongoBefore = standinPid ? await cpuMicrosOf(standinPid) : null;
  const ownBefore = process.cpuUsage();
  const startedAt = performance.now();
  const deadline = startedAt + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const byStream = page(random, `load-${randomBytes(6).toString('hex')}`);
        const sent = performance.now();
        const unwritten = await write(side, byStream);
        into.latencies.push(performance.now() - sent);
        if (unwritten > 0) throw new Error(`${side.name}: ${unwritten} events of a page's audit were not written`);
        into.pages += 1;
        into.events += byStream.size;
      }
    }),
  );
  await side.writer.settled?.();
  into.seconds += (performance.now() - startedAt) / 1000;
  const own = process.cpuUsage(ownBefore);
  into.ownCpuMicros += own.user + own.system;
  into.commands += side.commands() - commandsBefore;
  const mongoAfter = standinPid ? await cpuMicrosOf(standinPid) : null;
  if (mongoBefore !== null && mongoAfter !== null) into.mongoCpuMicros += mongoAfter - mongoBefore;
}

async function monitoredDb(uri: string, name: string): Promise<{ client: MongoClient; db: Db; commands: () => number }> {
  const client = await MongoClient.connect(uri, { monitorCommands: true });
  let commands = 0;
  client.on('commandStarted', (_event: CommandStartedEvent) => void (commands += 1));
  return { client, db: client.db(name), commands: () => commands };
}

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

function printTable(clients: number, sides: Side[], loads: Load[], measuredMongoCpu: boolean): void {
  const span = (counts: number[]) => {
    const sorted = [...counts].sort((a, b) => a - b);
    return sorted[0] === sorted.at(-1) ? `${sorted[0]}` : `${percentile(sorted, 50)} (${sorted[0]}-${sorted.at(-1)})`;
  };
  const rows = sides.map((side, i) => {
    const done = loads[i];
    const sorted = [...done.latencies].sort((a, b) => a - b);
    return {
      writer: side.name,
      onePage: span(side.onePage),
      underLoad: fixed(done.commands / done.pages, 1),
      pagesPerSecond: done.pages / done.seconds,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      mongoCpu: measuredMongoCpu ? done.mongoCpuMicros / done.pages : NaN,
      ownCpu: done.ownCpuMicros / done.pages,
      patientsPerPage: done.events / done.pages,
    };
  });
  const columns: Array<[string, number, (row: (typeof rows)[number]) => string]> = [
    ['writer', 40, (r) => r.writer],
    ['Mongo cmds/page', 16, (r) => r.onePage],
    ['under load', 11, (r) => r.underLoad],
    ['pages/s', 8, (r) => fixed(r.pagesPerSecond, 1)],
    ['p50 ms', 7, (r) => fixed(r.p50, 1)],
    ['p99 ms', 7, (r) => fixed(r.p99, 1)],
    ['Mongo CPU µs/page', 18, (r) => fixed(r.mongoCpu)],
    ['own CPU µs/page', 16, (r) => fixed(r.ownCpu)],
  ];
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(columns[i][1]))
      .join(' ')
      .trimEnd();
  const [before, after] = rows;
  console.log(`\n${clients} page${clients === 1 ? '' : 's'} in flight (${fixed(after.patientsPerPage, 1)} patients a page on average)`);
  console.log(line(columns.map(([title]) => title)));
  for (const row of rows) console.log(line(columns.map(([, , cell]) => cell(row))));
  console.log(
    line([
      'after / before',
      '',
      '',
      `${fixed(after.pagesPerSecond / before.pagesPerSecond, 2)}x`,
      '',
      '',
      `${fixed(after.mongoCpu / before.mongoCpu, 2)}x`,
      `${fixed(after.ownCpu / before.ownCpu, 2)}x`,
    ]),
  );
}

const standin =
  (values['mongo-url'] ?? process.env.MONGODB_URL)
    ? undefined
    : await startStandin(path.join(PROJECT_ROOT, '.data', 'bench-audit-mongo'), { fresh: true });
const uri = values['mongo-url'] ?? process.env.MONGODB_URL ?? standin!.uri;
const names = ['before', 'after'].map((side) => `audit_page_${side}_${randomBytes(3).toString('hex')}`);
const clients: MongoClient[] = [];
try {
  say(
    `MongoDB: ${standin ? `the stand-in (pid ${standin.child.pid})` : 'MONGODB_URL'}; ${PATIENTS} patients, ${ENTRIES} entries each; ${CLIENTS.join(', ')} pages in flight, ${PHASES} × ${SECONDS} s per writer each`,
  );
  const [before, after] = await Promise.all(names.map((name) => monitoredDb(uri, name)));
  clients.push(before.client, after.client);
  const specs = [audit.collections.auditLogsSpec(), audit.collections.auditHeadsSpec];
  await Promise.all([before.db, after.db].map((db) => audit.mongo.applyCollectionSpecs(db, specs)));
  const seeded = await seed([before.db, after.db]);
  say(`seeded ${seeded} entries in each database`);
  const upgradeStarted = performance.now();
  const rebuilt = await new audit.service.AuditLog(after.db).rebuildHeads();
  const upgradeSeconds = (performance.now() - upgradeStarted) / 1000;
  say(`upgrade: ${rebuilt} heads rebuilt from the log in ${upgradeSeconds.toFixed(1)} s`);

  const baseline = await baselineWriter();
  const sides: Side[] = [
    {
      name: `before: a tail read per stream (${BASELINE_COMMIT})`,
      db: before.db,
      writer: baseline(before.db),
      commands: before.commands,
      written: 0,
      onePage: [],
    },
    {
      name: 'after: chain heads',
      db: after.db,
      writer: new audit.writer.AuditWriter(new audit.repository.AuditRepository(after.db)),
      commands: after.commands,
      written: 0,
      onePage: [],
    },
  ];
  const random = new Random(11);
  for (const side of sides) {
    for (let i = 0; i < 3; i++) await write(side, page(random, 'warm-up')); // connections, JIT
    await side.writer.settled?.();
    for (let i = 0; i < 9; i++) side.onePage.push(await commandsOfOnePage(side, random));
  }
  const tables: Array<[number, Load[]]> = [];
  for (const inFlight of CLIENTS) {
    const loads = sides.map((): Load => ({
      pages: 0,
      events: 0,
      seconds: 0,
      latencies: [],
      commands: 0,
      mongoCpuMicros: 0,
      ownCpuMicros: 0,
    }));
    for (let phase = 1; phase <= PHASES; phase++) {
      for (const [i, side] of sides.entries()) {
        say(`${inFlight} in flight, phase ${phase}/${PHASES}: ${side.name}`);
        await load(side, loads[i], inFlight, random, standin?.child.pid);
      }
    }
    tables.push([inFlight, loads]);
  }

  say('verifying every chain of both databases');
  const verified = await Promise.all(
    sides.map(async (side) => ({
      ...(await new audit.service.AuditLog(side.db).verifyAll()),
      stored: await side.db.collection('audit_logs').countDocuments({}),
    })),
  );
  const heads = await after.db.collection('audit_heads').countDocuments({});

  console.log(
    `\naudit of a page of ${PAGE} appointments with their patients: ${PATIENTS} patients with ${ENTRIES} entries each to begin with; Mongo cmds/page: single pages one at a time, median (range); under load: all commands / pages`,
  );
  for (const [inFlight, loads] of tables) printTable(inFlight, sides, loads, standin !== undefined);
  console.log(
    `\nupgrade of today's side: ${rebuilt} heads rebuilt from ${seeded} entries in ${upgradeSeconds.toFixed(1)} s (rebuildHeads)`,
  );
  for (const [i, side] of sides.entries()) {
    const { ok, streams, checked, failures, stored } = verified[i];
    const exact = stored === seeded + side.written && checked === stored;
    console.log(
      `${side.name}: chains ${ok ? 'verify' : `BROKEN (${JSON.stringify(failures.slice(0, 3))})`}; ${streams} streams, ${checked} entries checked; ${stored} stored = ${seeded} seeded + ${side.written} written by the run${exact ? '' : ' (MISMATCH)'}`,
    );
    if (!ok || !exact) process.exitCode = 1;
  }
  console.log(`chain heads after the run: ${heads} (one per stream)`);
} finally {
  if (!standin)
    await Promise.all(
      clients.map((client, i) =>
        client
          .db(names[i])
          .dropDatabase()
          .catch(() => undefined),
      ),
    );
  await Promise.all(clients.map((client) => client.close()));
  if (standin) await stopChild(standin.child, 60_000);
  say('done; every process this run started has stopped');
}
