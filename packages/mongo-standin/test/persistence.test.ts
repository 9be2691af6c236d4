// --data-dir: documents, indexes and validators survive a clean restart and a crash.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MongoClient, type Collection } from 'mongodb';
import { startMongoStandin, type RunningStandin } from '../src/server.js';

const dirs: string[] = [];
const running: RunningStandin[] = [];

afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir: string) {
  const server = await startMongoStandin({ dataDir, log: () => {} });
  running.push(server);
  const client = await MongoClient.connect(server.uri);
  return { server, client, coll: client.db('clinic').collection('patients') };
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mongo-standin-'));
  dirs.push(dir);
  return dir;
}

async function writeSomeData(coll: Collection) {
  await coll.db.createCollection(coll.collectionName, {
    validator: { $jsonSchema: { bsonType: 'object', required: ['mrn'], properties: { mrn: { bsonType: 'string' } } } },
  });
  await coll.createIndex({ mrn: 1 }, { unique: true });
  await coll.insertMany([
    { mrn: 'A1', name: 'Ada' },
    { mrn: 'B2', name: 'Bea' },
    { mrn: 'C3', name: 'Cy' },
  ]);
  await coll.updateOne({ mrn: 'B2' }, { $set: { name: 'Beatrice' } });
  await coll.deleteOne({ mrn: 'C3' });
}

async function expectDataBack(coll: Collection) {
  const docs = await coll
    .find({}, { projection: { _id: 0 } })
    .sort({ mrn: 1 })
    .toArray();
  expect(docs).toEqual([
    { mrn: 'A1', name: 'Ada' },
    { mrn: 'B2', name: 'Beatrice' },
  ]);
  await expect(coll.insertOne({ mrn: 'A1' })).rejects.toMatchObject({ code: 11000 });
  await expect(coll.insertOne({ name: 'no mrn' })).rejects.toMatchObject({ code: 121 });
}

describe('persistence to a folder', () => {
  it('keeps documents, unique indexes and validators across a clean restart', async () => {
    const dir = tempDir();
    const first = await start(dir);
    await writeSomeData(first.coll);
    await first.client.close();
    await first.server.close();

    const second = await start(dir);
    await expectDataBack(second.coll);
    await second.client.close();
  });

  it('recovers every acknowledged write from the journal when the process never shut down', async () => {
    const dir = tempDir();
    const crashed = await start(dir);
    await writeSomeData(crashed.coll);
    // The first server is never closed (as after a crash); a second one reads the same folder.
    const recovered = await start(dir);
    await expectDataBack(recovered.coll);
    await crashed.client.close();
    await recovered.client.close();
  });

  it('ignores a record cut short at the end of the journal', async () => {
    const dir = tempDir();
    const first = await start(dir);
    await first.coll.insertOne({ mrn: 'kept' });
    fs.appendFileSync(path.join(dir, 'journal.bson'), Buffer.from([0x40, 0, 0, 0, 3, 'o'.charCodeAt(0)]));
    const second = await start(dir);
    expect(await second.coll.countDocuments({ mrn: 'kept' })).toBe(1);
    await first.client.close();
    await second.client.close();
  });
});
