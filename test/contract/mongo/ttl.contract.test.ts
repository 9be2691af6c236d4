// TTL indexes: the TTL monitor deletes documents whose date field is older than expireAfterSeconds.
import { describe, it, expect } from 'vitest';
import type { Collection } from 'mongodb';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
import { waitFor, type Doc } from './helpers.js';

const mongo = useTestMongo();

// Real MongoDB's TTL monitor wakes every 60 s; the stand-in's runs much more often.
const TTL_WAIT_MS = mongoLabel().includes('mongo-standin') ? 10_000 : 75_000;
const TTL_TEST_TIMEOUT_MS = TTL_WAIT_MS + 20_000;
const HOUR = 3600_000;

const idsOf = async (coll: Collection<Doc>) => (await coll.find({}, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id)).sort();

describe(`TTL indexes [${mongoLabel()}]`, () => {
  it('createIndex with expireAfterSeconds is listed with that option', async () => {
    const coll = mongo.db.collection<Doc>('ttl_listed');
    await coll.createIndex({ createdAt: 1 }, { expireAfterSeconds: 3600 });
    const idx = (await coll.listIndexes().toArray()).find((i) => i.name === 'createdAt_1');
    expect(idx).toMatchObject({ key: { createdAt: 1 }, expireAfterSeconds: 3600 });
  });

  it('collMod changes expireAfterSeconds and reports the old and new values', async () => {
    const coll = mongo.db.collection<Doc>('ttl_collmod');
    await coll.createIndex({ at: 1 }, { expireAfterSeconds: 600 });
    const reply = await mongo.db.command({ collMod: 'ttl_collmod', index: { keyPattern: { at: 1 }, expireAfterSeconds: 120 } });
    expect(reply).toMatchObject({ ok: 1, expireAfterSeconds_old: 600, expireAfterSeconds_new: 120 });
    const idx = (await coll.listIndexes().toArray()).find((i) => i.name === 'at_1');
    expect(idx?.expireAfterSeconds).toBe(120);
  });

  it('collMod can address the TTL index by name', async () => {
    const coll = mongo.db.collection<Doc>('ttl_collmod_name');
    await coll.createIndex({ at: 1 }, { expireAfterSeconds: 600, name: 'expiry' });
    await mongo.db.command({ collMod: 'ttl_collmod_name', index: { name: 'expiry', expireAfterSeconds: 30 } });
    const idx = (await coll.listIndexes().toArray()).find((i) => i.name === 'expiry');
    expect(idx?.expireAfterSeconds).toBe(30);
  });

  it.concurrent(
    'the TTL monitor deletes expired documents and keeps unexpired, non-date and missing-field ones',
    async () => {
      const coll = mongo.db.collection<Doc>('ttl_expire');
      await coll.createIndex({ createdAt: 1 }, { expireAfterSeconds: 3600 });
      await coll.insertMany([
        { _id: 'expired', createdAt: new Date(Date.now() - 2 * HOUR) },
        { _id: 'expired-array', createdAt: [new Date(Date.now() - 3 * HOUR), new Date()] },
        { _id: 'fresh', createdAt: new Date() },
        { _id: 'not-a-date', createdAt: 'yesterday' },
        { _id: 'no-field' },
      ]);
      const gone = await waitFor(
        async () => (await coll.countDocuments({ _id: { $in: ['expired', 'expired-array'] } })) === 0,
        TTL_WAIT_MS,
      );
      expect(gone).toBe(true);
      expect(await idsOf(coll)).toEqual(['fresh', 'no-field', 'not-a-date']);
    },
    TTL_TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'after collMod shortens expireAfterSeconds the monitor deletes documents by the new value',
    async () => {
      const coll = mongo.db.collection<Doc>('ttl_shortened');
      await coll.createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
      await coll.insertMany([
        { _id: 'half-hour-old', at: new Date(Date.now() - HOUR / 2) },
        { _id: 'fresh', at: new Date() },
      ]);
      await mongo.db.command({ collMod: 'ttl_shortened', index: { keyPattern: { at: 1 }, expireAfterSeconds: 600 } });
      const gone = await waitFor(async () => (await coll.countDocuments({ _id: 'half-hour-old' })) === 0, TTL_WAIT_MS);
      expect(gone).toBe(true);
      expect(await idsOf(coll)).toEqual(['fresh']);
    },
    TTL_TEST_TIMEOUT_MS,
  );
});
