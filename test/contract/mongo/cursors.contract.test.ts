// Cursors: large results in batches (find/getMore), killCursors, CursorNotFound, and independent cursors.
import { describe, it, expect, beforeAll } from 'vitest';
import { Long, type Collection } from 'mongodb';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
import { asCursorId, drainRawCursor, type Doc } from './helpers.js';

const TOTAL = 5000;
const mongo = useTestMongo();
let big: Collection<Doc>;

beforeAll(async () => {
  big = mongo.db.collection<Doc>('big');
  // Insert in a scrambled order so that sorted reads prove the sort, not insertion order.
  const docs = Array.from({ length: TOTAL }, (_, k) => {
    const i = (k * 7919) % TOTAL;
    return { _id: i, i, group: i % 10, pad: 'x'.repeat(64) };
  });
  await big.insertMany(docs);
});

describe(`cursors and batches [${mongoLabel()}]`, () => {
  it(`find with batchSize iterates all ${TOTAL} documents in sort order`, async () => {
    let count = 0;
    let expected = 0;
    let inOrder = true;
    for await (const doc of big.find({}).sort({ i: 1 }).batchSize(250)) {
      if (doc.i !== expected) inOrder = false;
      expected += 1;
      count += 1;
    }
    expect(count).toBe(TOTAL);
    expect(inOrder).toBe(true);
  });

  it('find with a descending sort, a filter and a small batchSize returns every match in order', async () => {
    const docs = await big.find({ group: 3 }).sort({ i: -1 }).batchSize(17).toArray();
    expect(docs).toHaveLength(TOTAL / 10);
    expect(docs[0].i).toBe(TOTAL - 7);
    for (let k = 1; k < docs.length; k++) expect(docs[k].i).toBe(docs[k - 1].i - 10);
  });

  it('find with limit larger than batchSize returns exactly limit documents', async () => {
    const docs = await big.find({}).sort({ i: 1 }).limit(1234).batchSize(100).toArray();
    expect(docs).toHaveLength(1234);
    expect(docs[1233].i).toBe(1233);
  });

  it('raw find returns batchSize documents and an open int64 cursor id; getMore drains the rest', async () => {
    const session = mongo.client.startSession();
    try {
      const first = await mongo.db.command({ find: 'big', filter: {}, sort: { i: 1 }, batchSize: 300 }, { session, promoteLongs: false });
      expect(first.cursor.ns).toBe(`${mongo.db.databaseName}.big`);
      expect(first.cursor.firstBatch).toHaveLength(300);
      expect(Long.isLong(first.cursor.id)).toBe(true);
      expect(first.cursor.id.isZero()).toBe(false);

      const more = await mongo.db.command(
        { getMore: first.cursor.id, collection: 'big', batchSize: 1000 },
        { session, promoteLongs: false },
      );
      expect(more.cursor.nextBatch).toHaveLength(1000);
      expect(more.cursor.nextBatch[0].i).toBe(300);
      expect(asCursorId(more.cursor.id).equals(first.cursor.id)).toBe(true);
      await mongo.db.command({ killCursors: 'big', cursors: [first.cursor.id] }, { session });
    } finally {
      await session.endSession();
    }
  });

  it('raw find and getMore with explicit batch sizes deliver every document exactly once', async () => {
    const session = mongo.client.startSession();
    try {
      const run = await drainRawCursor(mongo.db, session, { find: 'big', sort: { i: 1 }, batchSize: 400 }, 700);
      expect(run.firstBatchSize).toBe(400);
      expect(run.getMores).toBeGreaterThanOrEqual(Math.ceil((TOTAL - 400) / 700));
      expect(run.docs).toHaveLength(TOTAL);
      expect(run.docs.every((d, k) => d.i === k)).toBe(true);
      for (const size of run.batchSizes.slice(1, -1)) expect(size).toBe(700);
    } finally {
      await session.endSession();
    }
  });

  it('a raw find without batchSize returns a first batch of 101 documents', async () => {
    const session = mongo.client.startSession();
    try {
      const run = await drainRawCursor(mongo.db, session, { find: 'big', sort: { i: 1 } });
      expect(run.firstBatchSize).toBe(101);
      expect(run.docs).toHaveLength(TOTAL);
    } finally {
      await session.endSession();
    }
  });

  it('a result that fits in the first batch comes back with cursor id 0', async () => {
    const reply = await mongo.db.command({ find: 'big', filter: { i: { $lt: 5 } }, batchSize: 10 }, { promoteLongs: false });
    expect(reply.cursor.firstBatch).toHaveLength(5);
    expect(asCursorId(reply.cursor.id).isZero()).toBe(true);
  });

  it('cursor.close() kills the server cursor: getMore on its id then fails with 43 (CursorNotFound)', async () => {
    const session = mongo.client.startSession();
    try {
      const cursor = big.find({}, { session }).sort({ i: 1 }).batchSize(10);
      const firstDoc = await cursor.next();
      expect(firstDoc?.i).toBe(0);
      const id = cursor.id;
      expect(id).toBeDefined();
      expect(id!.isZero()).toBe(false);
      await cursor.close();
      await expect(mongo.db.command({ getMore: id, collection: 'big' }, { session })).rejects.toMatchObject({ code: 43 });
    } finally {
      await session.endSession();
    }
  });

  it('killCursors reports the killed id, and getMore on it afterwards fails with 43', async () => {
    const session = mongo.client.startSession();
    try {
      const first = await mongo.db.command({ find: 'big', batchSize: 5 }, { session, promoteLongs: false });
      const id = asCursorId(first.cursor.id);
      const killed = await mongo.db.command({ killCursors: 'big', cursors: [id] }, { session, promoteLongs: false });
      expect(killed.cursorsKilled.map((c: unknown) => asCursorId(c).toString())).toEqual([id.toString()]);
      expect(killed.cursorsNotFound).toEqual([]);
      await expect(mongo.db.command({ getMore: id, collection: 'big' }, { session })).rejects.toMatchObject({ code: 43 });
    } finally {
      await session.endSession();
    }
  });

  it('killCursors on an unknown id lists it in cursorsNotFound', async () => {
    const unknown = Long.fromString('1234567890123');
    const reply = await mongo.db.command({ killCursors: 'big', cursors: [unknown] }, { promoteLongs: false });
    expect(reply.cursorsNotFound.map((c: unknown) => asCursorId(c).toString())).toEqual([unknown.toString()]);
    expect(reply.cursorsKilled).toEqual([]);
  });

  it('getMore on a cursor id that never existed fails with 43 (CursorNotFound)', async () => {
    await expect(mongo.db.command({ getMore: Long.fromString('987654321987'), collection: 'big' })).rejects.toMatchObject({ code: 43 });
  });

  it('cursors of two different clients iterated interleaved do not interfere', async () => {
    const other = await mongo.newClient();
    const a = big.find({}).sort({ i: 1 }).batchSize(7);
    const b = other
      .db(mongo.db.databaseName)
      .collection<Doc>('big')
      .find({ group: { $lt: 5 } })
      .sort({ i: -1 })
      .batchSize(5);
    const seenA: number[] = [];
    const seenB: number[] = [];
    for (let step = 0; step < 300; step++) {
      const [da, db] = await Promise.all([a.next(), b.next()]);
      seenA.push(da!.i);
      seenB.push(db!.i);
    }
    await Promise.all([a.close(), b.close()]);
    expect(seenA).toEqual(Array.from({ length: 300 }, (_, k) => k));
    // group < 5 means i % 10 < 5, walked downwards from 4994.
    const expectedB: number[] = [];
    for (let i = TOTAL - 1; expectedB.length < 300; i--) if (i % 10 < 5) expectedB.push(i);
    expect(seenB).toEqual(expectedB);
  });

  it('two cursors on the same client over the same collection advance independently', async () => {
    const a = big.find({ group: 1 }).sort({ i: 1 }).batchSize(3);
    const b = big.find({ group: 2 }).sort({ i: 1 }).batchSize(4);
    const seen: Array<[number, number]> = [];
    for (let step = 0; step < 50; step++) {
      const da = await a.next();
      const db = await b.next();
      seen.push([da!.i, db!.i]);
    }
    await Promise.all([a.close(), b.close()]);
    expect(seen).toEqual(Array.from({ length: 50 }, (_, k) => [k * 10 + 1, k * 10 + 2]));
  });
});
