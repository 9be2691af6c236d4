// Throughput of the MongoDB stand-in through the official driver on loopback, measured side by
// side in one run: inserts/s, indexed point-finds/s, and the same finds on an unindexed field
// (a collection scan), with the documents each kind of find examines. With MONGODB_URL set, the
// same workload also runs against that server, for a ratio to a real MongoDB.
//   npm run bench:mongo [-- --docs 20000 --ops 3000]
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { MongoClient, type Collection } from 'mongodb';

const { values } = parseArgs({ options: { docs: { type: 'string' }, ops: { type: 'string' } } });
const DOCS = Number(values.docs ?? 20_000);
const OPS = Number(values.ops ?? 3_000);
const SCAN_OPS = Math.max(20, Math.round(OPS / 20));
const IN_FLIGHT = 8;

interface Figures {
  pingPerSec: number;
  insertOnePerSec: number;
  insertManyDocsPerSec: number;
  indexedFindPerSec: number;
  indexedFindConcurrentPerSec: number;
  scanFindPerSec: number;
  indexedDocsExamined: number;
  scanDocsExamined: number;
}

async function rate(count: number, work: (i: number) => Promise<unknown>, inFlight = 1): Promise<number> {
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await work(next++);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return Math.round(count / seconds);
}

const email = (i: number) => `patient${i}@example.test`;

async function docsExamined(coll: Collection, filter: object): Promise<number> {
  const plan = (await coll.find(filter).explain('executionStats')) as { executionStats: { totalDocsExamined: number } };
  return plan.executionStats.totalDocsExamined;
}

async function measure(uri: string): Promise<Figures> {
  const client = await MongoClient.connect(uri, { maxPoolSize: IN_FLIGHT });
  const db = client.db(`bench_${process.pid}`);
  try {
    const pingPerSec = await rate(OPS, () => db.command({ ping: 1 }));
    const singles = db.collection('singles');
    const insertOnePerSec = await rate(OPS, (i) => singles.insertOne({ seq: i, email: email(i), clinic: `c${i % 20}` }));

    const people = db.collection('people');
    await people.createIndex({ email: 1 }, { unique: true });
    const batch = 1_000;
    const insertManyDocsPerSec = Math.round(
      (await rate(DOCS / batch, (b) =>
        people.insertMany(
          Array.from({ length: batch }, (_, k) => {
            const i = b * batch + k;
            return {
              email: email(i),
              unindexedEmail: email(i),
              name: `Patient ${i}`,
              clinic: `c${i % 20}`,
              allergies: [{ substance: 'penicillin', severity: 'high' }],
            };
          }),
        ),
      )) * batch,
    );

    const pick = (i: number) => (i * 7919) % DOCS;
    const indexedFindPerSec = await rate(OPS, (i) => people.findOne({ email: email(pick(i)) }));
    const indexedFindConcurrentPerSec = await rate(OPS, (i) => people.findOne({ email: email(pick(i)) }), IN_FLIGHT);
    const scanFindPerSec = await rate(SCAN_OPS, (i) => people.findOne({ unindexedEmail: email(pick(i)) }));
    return {
      pingPerSec,
      insertOnePerSec,
      insertManyDocsPerSec,
      indexedFindPerSec,
      indexedFindConcurrentPerSec,
      scanFindPerSec,
      indexedDocsExamined: await docsExamined(people, { email: email(42) }),
      scanDocsExamined: await docsExamined(people, { unindexedEmail: email(42) }),
    };
  } finally {
    await db.dropDatabase().catch(() => {});
    await client.close();
  }
}

async function startStandinProcess(): Promise<{ uri: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/mongo-standin/src/cli.ts', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /mongodb:\/\/\S+/.exec(out);
      if (match) resolve(match[0]);
    });
    child.once('exit', (code) => reject(new Error(`stand-in exited with ${code}`)));
  });
  return {
    uri,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const standin = await startStandinProcess();
const results: Array<[string, Figures]> = [];
try {
  results.push(['mongo-standin', await measure(standin.uri)]);
} finally {
  await standin.stop();
}
if (process.env.MONGODB_URL) results.push(['MONGODB_URL', await measure(process.env.MONGODB_URL)]);

console.log(
  `\nMongoDB driver on loopback: ${DOCS} documents, ${OPS} point-finds (${SCAN_OPS} for scans), ${IN_FLIGHT} in flight where noted\n`,
);
const rows: Array<[string, keyof Figures]> = [
  ['ping round trip, the floor (ops/s)', 'pingPerSec'],
  ['insertOne, sequential (ops/s)', 'insertOnePerSec'],
  ['insertMany, 1000 per batch (docs/s)', 'insertManyDocsPerSec'],
  ['findOne by unique indexed field (ops/s)', 'indexedFindPerSec'],
  [`findOne by indexed field, ${IN_FLIGHT} in flight (ops/s)`, 'indexedFindConcurrentPerSec'],
  ['findOne by unindexed field = scan (ops/s)', 'scanFindPerSec'],
  ['docs examined, indexed find (explain)', 'indexedDocsExamined'],
  ['docs examined, unindexed find (explain)', 'scanDocsExamined'],
];
console.log(['measure'.padEnd(48), ...results.map(([name]) => name.padStart(16))].join(''));
for (const [label, key] of rows) console.log([label.padEnd(48), ...results.map(([, f]) => String(f[key]).padStart(16))].join(''));
const own = results[0][1];
console.log(`\nratio indexed / unindexed point-find throughput: ${(own.indexedFindPerSec / own.scanFindPerSec).toFixed(1)}x`);
console.log(
  `indexed find / ping round trip: ${(own.indexedFindPerSec / own.pingPerSec).toFixed(2)} (1.00 = the server adds nothing to a round trip)`,
);
console.log(`documents examined per find: indexed ${own.indexedDocsExamined}, unindexed ${own.scanDocsExamined} of ${DOCS}`);
if (results[1]) {
  const real = results[1][1];
  console.log(
    `stand-in / MONGODB_URL: inserts ${(own.insertOnePerSec / real.insertOnePerSec).toFixed(2)}x, indexed finds ${(own.indexedFindPerSec / real.indexedFindPerSec).toFixed(2)}x`,
  );
}
