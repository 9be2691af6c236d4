// Concurrent clients: unique-key races, concurrent inserts and atomic single-document updates.
import { describe, it, expect, beforeAll } from 'vitest';
import type { MongoClient } from 'mongodb';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
import type { Doc } from './helpers.js';

const mongo = useTestMongo();
let clientA: MongoClient;
let clientB: MongoClient;

beforeAll(async () => {
  clientA = await mongo.newClient();
  clientB = await mongo.newClient();
});

const collFor = (client: MongoClient, name: string) => client.db(mongo.db.databaseName).collection<Doc>(name);

describe(`concurrency between clients [${mongoLabel()}]`, () => {
  it('two clients racing to insert the same unique key: exactly one wins per key, the other gets 11000', async () => {
    const KEYS = 50;
    await mongo.db.collection<Doc>('race').createIndex({ key: 1 }, { unique: true });
    const a = collFor(clientA, 'race');
    const b = collFor(clientB, 'race');
    const pairs = await Promise.all(
      Array.from({ length: KEYS }, (_, k) =>
        Promise.allSettled([a.insertOne({ key: `k${k}`, by: 'A' }), b.insertOne({ key: `k${k}`, by: 'B' })]),
      ),
    );
    for (const pair of pairs) {
      const wins = pair.filter((r) => r.status === 'fulfilled');
      const losses = pair.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(wins).toHaveLength(1);
      expect(losses).toHaveLength(1);
      expect(losses[0].reason).toMatchObject({ code: 11000 });
    }
    await expect(mongo.db.collection<Doc>('race').countDocuments()).resolves.toBe(KEYS);
    await expect(mongo.db.collection<Doc>('race').distinct('key')).resolves.toHaveLength(KEYS);
  });

  it('two clients racing the same _id: exactly one insert succeeds', async () => {
    const a = collFor(clientA, 'race_id');
    const b = collFor(clientB, 'race_id');
    const pairs = await Promise.all(
      Array.from({ length: 30 }, (_, k) => Promise.allSettled([a.insertOne({ _id: k as never }), b.insertOne({ _id: k as never })])),
    );
    for (const pair of pairs) {
      expect(pair.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const loss = pair.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(loss?.reason).toMatchObject({ code: 11000 });
    }
    await expect(mongo.db.collection<Doc>('race_id').countDocuments()).resolves.toBe(30);
  });

  it('two clients racing upserts on the same unique key end with one document per key', async () => {
    await mongo.db.collection<Doc>('race_upsert').createIndex({ key: 1 }, { unique: true });
    const a = collFor(clientA, 'race_upsert');
    const b = collFor(clientB, 'race_upsert');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, k) =>
        Promise.allSettled([
          a.updateOne({ key: k }, { $inc: { hits: 1 } }, { upsert: true }),
          b.updateOne({ key: k }, { $inc: { hits: 1 } }, { upsert: true }),
        ]),
      ),
    );
    // MongoDB may report a duplicate-key on a racing upsert (11000) or retry it; either way no duplicates.
    for (const pair of results) {
      for (const r of pair) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 11000 });
    }
    await expect(mongo.db.collection<Doc>('race_upsert').countDocuments()).resolves.toBe(20);
  });

  it('concurrent inserts from two clients are all stored', async () => {
    const a = collFor(clientA, 'parallel');
    const b = collFor(clientB, 'parallel');
    await Promise.all([
      ...Array.from({ length: 200 }, (_, i) => a.insertOne({ from: 'A', i })),
      ...Array.from({ length: 200 }, (_, i) => b.insertOne({ from: 'B', i })),
    ]);
    await expect(mongo.db.collection<Doc>('parallel').countDocuments({ from: 'A' })).resolves.toBe(200);
    await expect(mongo.db.collection<Doc>('parallel').countDocuments({ from: 'B' })).resolves.toBe(200);
  });

  it('concurrent $inc on one document from two clients loses no increments', async () => {
    await mongo.db.collection<Doc>('counter').insertOne({ _id: 'c' as never, n: 0 });
    const a = collFor(clientA, 'counter');
    const b = collFor(clientB, 'counter');
    await Promise.all([
      ...Array.from({ length: 150 }, () => a.updateOne({ _id: 'c' as never }, { $inc: { n: 1 } })),
      ...Array.from({ length: 150 }, () => b.updateOne({ _id: 'c' as never }, { $inc: { n: 2 } })),
    ]);
    await expect(mongo.db.collection<Doc>('counter').findOne({ _id: 'c' as never })).resolves.toMatchObject({ n: 450 });
  });

  it('concurrent findOneAndUpdate claims from two clients never hand out the same document twice', async () => {
    const queue = mongo.db.collection<Doc>('queue');
    await queue.insertMany(Array.from({ length: 40 }, (_, i) => ({ _id: i as never, state: 'ready' })));
    const claim = (client: MongoClient, who: string) =>
      collFor(client, 'queue').findOneAndUpdate({ state: 'ready' }, { $set: { state: 'claimed', who } }, { sort: { _id: 1 } });
    const claims = await Promise.all([
      ...Array.from({ length: 25 }, () => claim(clientA, 'A')),
      ...Array.from({ length: 25 }, () => claim(clientB, 'B')),
    ]);
    const claimedIds = claims.filter((d) => d !== null).map((d) => d!._id);
    expect(claimedIds).toHaveLength(40);
    expect(new Set(claimedIds).size).toBe(40);
    expect(claims.filter((d) => d === null)).toHaveLength(10);
    await expect(queue.countDocuments({ state: 'claimed' })).resolves.toBe(40);
  });
});
