// npm run bench:generate -- [--scale 0.1] [--database clinic_bench] [--mongo-url URL] [--seed 1]
// Fills a PostgreSQL database of its own (dropped and re-created, migrated as the server migrates)
// and a MongoDB database (dropped, then collections, validators and indexes as the server sets
// them up) with generated data at `scale` of the seed documents' year-one volumes, the clinics'
// dispensaries with a year of stock and dispensing among them (the ledger reconciled before the
// generator goes on: drift stops it). Without
// --mongo-url / MONGODB_URL it starts the MongoDB stand-in as its own process, keeping the data in
// .data/bench-mongo, where `npm run bench` finds it again.
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { hashPassword } from '../src/auth/passwords.js';
import { starterCatalogue } from '../src/modules/prescriptions/knowledge/starter-catalogue.js';
import { MedicinesRepository } from '../src/modules/prescriptions/medicines.repository.js';
import { memoryCache } from '../src/platform/cache.js';
import { ReadThrough } from '../src/platform/cache-aside.js';
import { migrate } from '../src/platform/migrations.js';
import { applyCollectionSpecs } from '../src/platform/mongo.js';
import { openDatabase } from '../src/platform/postgres.js';
import { ensureAuditHeads } from './audit/heads.js';
import { InventoryRepository } from '../src/modules/pharmacy/inventory.repository.js';
import { loadDispensaries, type DispensaryCounts } from './data/dispensary-load.js';
import { loadMongo } from './data/mongo-load.js';
import { loadPostgres } from './data/postgres-load.js';
import { buildWorld, volumesAt, YEAR_ONE } from './data/world.js';
import { BENCH_PASSWORD, benchSettings, benchSigningKey, type BenchSettings } from './settings.js';
import { fromDist } from './lib/dist.js';
import { residentMiB, startStandin, stopChild } from './lib/processes.js';

const { values } = parseArgs({
  options: { scale: { type: 'string' }, database: { type: 'string' }, 'mongo-url': { type: 'string' }, seed: { type: 'string' } },
});
const settings: BenchSettings = benchSettings(values);
const seed = Number(values.seed ?? 1);
const scale = settings.scale;
if (!(scale > 0 && scale <= 1)) throw new Error('--scale must be in (0, 1]');

async function recreatePostgres(): Promise<void> {
  const admin = new pg.Client({ connectionString: settings.postgresAdminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${settings.database}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${settings.database}"`);
  } finally {
    await admin.end();
  }
  await migrate({ kind: 'server', url: settings.postgresUrl });
}

/** Every lot's balance against the sum of its movements, with the module's own query: any drift stops the generator. */
async function reconcileLedger(): Promise<number> {
  const database = openDatabase({ kind: 'server', url: settings.postgresUrl });
  try {
    const drift = await new InventoryRepository(database.prisma).reconcile();
    if (drift.length > 0)
      throw new Error(`the stock ledger does not reconcile: ${drift.length} lots drift, e.g. ${JSON.stringify(drift.slice(0, 3))}`);
    const [{ negative }] = await database.prisma.$queryRaw<Array<{ negative: number }>>`
      SELECT count(*)::int AS negative FROM stock_lots WHERE quantity_on_hand < 0`;
    if (negative > 0) throw new Error(`${negative} lots are below zero`);
    return await database.prisma.stockLot.count();
  } finally {
    await database.close();
  }
}

/** The starter medicine catalogue, loaded as the API loads it at start (which then finds its version there and leaves it). */
async function loadCatalogue(): Promise<number> {
  const database = openDatabase({ kind: 'server', url: settings.postgresUrl });
  try {
    await new MedicinesRepository(database.prisma, new ReadThrough(memoryCache())).load(starterCatalogue());
    return await database.prisma.medicine.count();
  } finally {
    await database.close();
  }
}

const started = Date.now();
const volumes = volumesAt(scale);
process.stderr.write(`scale ${scale}: ${JSON.stringify(volumes)}\n`);
const world = buildWorld(seed, volumes);
const linked = world.prescriptions.prescriptions.filter((rx) => rx.appointment !== null).length;
process.stderr.write(
  `world built in memory: ${world.appointments.length} appointments, ${world.prescriptions.prescriptions.length} prescriptions (${((Date.now() - started) / 1000).toFixed(1)}s)\n`,
);

await recreatePostgres();
const medicines = await loadCatalogue();
const client = new pg.Client({ connectionString: settings.postgresUrl });
await client.connect();
const passwordHash = await hashPassword(BENCH_PASSWORD);
let prescribing: Awaited<ReturnType<typeof loadPostgres>>;
let dispensaries: DispensaryCounts;
let dispensarySeconds: string;
try {
  const writing = Date.now();
  prescribing = await loadPostgres(client, world, passwordHash, seed, benchSigningKey());
  const stocking = Date.now();
  dispensaries = await loadDispensaries(client, world, passwordHash, seed);
  const reconciled = await reconcileLedger();
  dispensarySeconds = ((Date.now() - stocking) / 1000).toFixed(1);
  await client.query('ANALYZE');
  process.stderr.write(
    `PostgreSQL written in ${((Date.now() - writing) / 1000).toFixed(1)}s (dispensaries ${dispensarySeconds}s; ledger reconciled: ${reconciled} lots, no drift, none below zero)\n`,
  );
} finally {
  await client.end();
}

const standin = settings.mongoUrl ? undefined : await startStandin(settings.standinDataDir, { fresh: true });
const mongo = await MongoClient.connect(settings.mongoUrl ?? standin!.uri);
try {
  const db = mongo.db(settings.mongoDatabase);
  await db.dropDatabase();
  const { collectionSpecsFor } = await fromDist<typeof import('../src/modules/collections.js')>('src/modules/collections.js');
  await applyCollectionSpecs(db, collectionSpecsFor());
  const counts = await loadMongo(db, world, volumes.auditEntries, seed);
  process.stderr.write(`audit chain heads: ${await ensureAuditHeads(db)} streams\n`);
  const memory = standin ? await residentMiB(standin.child.pid!) : null;
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  process.stderr.write(`\ndone in ${seconds}s: ${JSON.stringify({ ...volumes, appointments: world.appointments.length, ...counts })}\n`);
  process.stderr.write(
    `consultations: one encounter per completed appointment (${counts.encounters}; the seed's ${YEAR_ONE.consultations * scale} would need that many completed appointments)\n`,
  );
  process.stderr.write(
    `prescriptions: ${prescribing.prescriptions} (${linked} written at a completed visit, the rest outside one), ${prescribing.signed} signed, ` +
      `${prescribing.items} items, ${prescribing.findings} safety findings; catalogue of ${medicines} medicines (${starterCatalogue().version})\n`,
  );
  const d = dispensaries;
  process.stderr.write(
    `dispensaries: ${d.dispensaries} (one per clinic, by the clinics' trigger), ${d.pharmacists} pharmacists; ${d.items} inventory items, ` +
      `${d.lots} lots (${d.expiredLots} expired, ${d.heldLots} on hold), ${d.receipts + d.dispenseMovements} movements ` +
      `(${d.receipts} receipts, ${d.dispenseMovements} dispense); ${d.dispenses} dispenses of ${d.fulfillments} prescriptions ` +
      `(${d.acknowledgments} overrides acknowledged, ${d.chargeItems} charge items); of ${d.completed} completed prescriptions, ` +
      `${d.withRefills} with refills and ${d.elsewhere} others were dispensed elsewhere; in ${dispensarySeconds}s\n`,
  );
  if (memory !== null) process.stderr.write(`MongoDB stand-in resident memory: ${memory} MiB\n`);
} finally {
  await mongo.close();
  if (standin) await stopChild(standin.child, 600_000);
}
