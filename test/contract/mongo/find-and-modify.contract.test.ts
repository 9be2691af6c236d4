// findOneAndUpdate / findOneAndDelete / findOneAndReplace (the findAndModify command).
import { describe, it, expect } from 'vitest';
import { ObjectId, type Collection } from 'mongodb';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
import type { Doc } from './helpers.js';

const mongo = useTestMongo();
let counter = 0;

async function seeded(): Promise<Collection<Doc>> {
  const coll = mongo.db.collection<Doc>(`fam_${++counter}`);
  await coll.insertMany([
    { _id: 1, kind: 'job', prio: 2, state: 'new' },
    { _id: 2, kind: 'job', prio: 9, state: 'new' },
    { _id: 3, kind: 'job', prio: 5, state: 'new' },
    { _id: 4, kind: 'other', prio: 1, state: 'new' },
  ]);
  return coll;
}

describe(`findOneAndUpdate [${mongoLabel()}]`, () => {
  it('returns the document before the update by default', async () => {
    const coll = await seeded();
    const before = await coll.findOneAndUpdate({ _id: 1 }, { $set: { state: 'taken' } });
    expect(before).toEqual({ _id: 1, kind: 'job', prio: 2, state: 'new' });
    await expect(coll.findOne({ _id: 1 })).resolves.toMatchObject({ state: 'taken' });
  });

  it('returnDocument "after" returns the updated document', async () => {
    const coll = await seeded();
    const after = await coll.findOneAndUpdate({ _id: 3 }, { $inc: { prio: 1 } }, { returnDocument: 'after' });
    expect(after).toEqual({ _id: 3, kind: 'job', prio: 6, state: 'new' });
  });

  it('sort decides which of several matching documents is modified', async () => {
    const coll = await seeded();
    const top = await coll.findOneAndUpdate(
      { kind: 'job', state: 'new' },
      { $set: { state: 'taken' } },
      { sort: { prio: -1 }, returnDocument: 'after' },
    );
    expect(top).toMatchObject({ _id: 2, state: 'taken' });
    const next = await coll.findOneAndUpdate({ kind: 'job', state: 'new' }, { $set: { state: 'taken' } }, { sort: { prio: 1 } });
    expect(next).toMatchObject({ _id: 1, state: 'new' });
    await expect(coll.countDocuments({ state: 'taken' })).resolves.toBe(2);
  });

  it('projection shapes the returned document', async () => {
    const coll = await seeded();
    const doc = await coll.findOneAndUpdate(
      { _id: 4 },
      { $set: { prio: 0 } },
      { projection: { prio: 1, _id: 0 }, returnDocument: 'after' },
    );
    expect(doc).toEqual({ prio: 0 });
  });

  it('returns null when nothing matches and upsert is off', async () => {
    const coll = await seeded();
    await expect(coll.findOneAndUpdate({ _id: 99 }, { $set: { x: 1 } })).resolves.toBeNull();
    await expect(coll.countDocuments()).resolves.toBe(4);
  });

  it('upsert with returnDocument "after" returns the inserted document', async () => {
    const coll = await seeded();
    const doc = await coll.findOneAndUpdate(
      { kind: 'new-kind' },
      { $set: { prio: 7 }, $setOnInsert: { state: 'fresh' } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(doc?._id).toBeInstanceOf(ObjectId);
    expect(doc).toMatchObject({ kind: 'new-kind', prio: 7, state: 'fresh' });
    await expect(coll.countDocuments()).resolves.toBe(5);
  });

  it('upsert with returnDocument "before" inserts and returns null', async () => {
    const coll = await seeded();
    const doc = await coll.findOneAndUpdate({ _id: 50 }, { $set: { v: 1 } }, { upsert: true });
    expect(doc).toBeNull();
    await expect(coll.findOne({ _id: 50 })).resolves.toEqual({ _id: 50, v: 1 });
  });

  it('includeResultMetadata exposes lastErrorObject (updatedExisting / upserted)', async () => {
    const coll = await seeded();
    const existing = await coll.findOneAndUpdate({ _id: 1 }, { $set: { m: 1 } }, { includeResultMetadata: true });
    expect(existing.ok).toBe(1);
    expect(existing.lastErrorObject).toMatchObject({ n: 1, updatedExisting: true });
    const inserted = await coll.findOneAndUpdate({ _id: 77 }, { $set: { m: 1 } }, { upsert: true, includeResultMetadata: true });
    expect(inserted.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false, upserted: 77 });
    expect(inserted.value).toBeNull();
  });

  it('supports a pipeline update', async () => {
    const coll = await seeded();
    const doc = await coll.findOneAndUpdate({ _id: 2 }, [{ $set: { prio2: { $multiply: ['$prio', 2] } } }], { returnDocument: 'after' });
    expect(doc).toMatchObject({ _id: 2, prio: 9, prio2: 18 });
  });
});

describe(`findOneAndDelete and findOneAndReplace [${mongoLabel()}]`, () => {
  it('findOneAndDelete removes and returns the document chosen by sort', async () => {
    const coll = await seeded();
    const gone = await coll.findOneAndDelete({ kind: 'job' }, { sort: { prio: 1 } });
    expect(gone).toEqual({ _id: 1, kind: 'job', prio: 2, state: 'new' });
    await expect(coll.findOne({ _id: 1 })).resolves.toBeNull();
    await expect(coll.countDocuments()).resolves.toBe(3);
  });

  it('findOneAndDelete returns null when nothing matches', async () => {
    const coll = await seeded();
    await expect(coll.findOneAndDelete({ kind: 'none' })).resolves.toBeNull();
    await expect(coll.countDocuments()).resolves.toBe(4);
  });

  it('findOneAndReplace replaces the document and returns the old one by default', async () => {
    const coll = await seeded();
    const old = await coll.findOneAndReplace({ _id: 3 }, { replaced: true });
    expect(old).toEqual({ _id: 3, kind: 'job', prio: 5, state: 'new' });
    await expect(coll.findOne({ _id: 3 })).resolves.toEqual({ _id: 3, replaced: true });
  });

  it('findOneAndReplace with returnDocument "after" and sort', async () => {
    const coll = await seeded();
    const doc = await coll.findOneAndReplace({ kind: 'job' }, { kind: 'done' }, { sort: { prio: -1 }, returnDocument: 'after' });
    expect(doc).toEqual({ _id: 2, kind: 'done' });
  });

  it('findOneAndReplace with upsert inserts the replacement', async () => {
    const coll = await seeded();
    const doc = await coll.findOneAndReplace({ _id: 42 }, { made: 'new' }, { upsert: true, returnDocument: 'after' });
    expect(doc).toEqual({ _id: 42, made: 'new' });
  });
});
