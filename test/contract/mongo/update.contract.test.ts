// Update operators, upserts, multi-updates, array updates, replacement and update errors.
import { describe, it, expect } from 'vitest';
import { ObjectId, Timestamp, type Collection, type Document, type UpdateFilter } from 'mongodb';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
type AnyDoc = Document;
/** Lets tests use plain numbers as _id values with the driver's ObjectId-typed default schema. */
const id = (v: number | string) => v as unknown as ObjectId;
/** The driver's update typings reject array operators on schema-less documents; MongoDB does not. */
const op = (update: Document) => update as UpdateFilter<AnyDoc>;

const mongo = useTestMongo();
let counter = 0;

/** A fresh collection holding `doc` (with _id 1); returns the collection. */
async function withDoc(doc: Document): Promise<Collection<AnyDoc>> {
  const coll = mongo.db.collection<AnyDoc>(`upd_${++counter}`);
  await coll.insertOne({ _id: id(1), ...doc });
  return coll;
}

const current = async (coll: Collection<AnyDoc>) => coll.findOne({ _id: id(1) });

describe(`update operators [${mongoLabel()}]`, () => {
  it('$set sets top-level and dotted fields, creating nested documents', async () => {
    const coll = await withDoc({ a: 1 });
    const res = await coll.updateOne({ _id: id(1) }, { $set: { a: 2, 'b.c.d': 'deep' } });
    expect(res).toMatchObject({ acknowledged: true, matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null });
    expect(await current(coll)).toEqual({ _id: id(1), a: 2, b: { c: { d: 'deep' } } });
  });

  it('$set on an array index replaces that element', async () => {
    const coll = await withDoc({ arr: ['x', 'y', 'z'] });
    await coll.updateOne({ _id: id(1) }, { $set: { 'arr.1': 'Y' } });
    expect((await current(coll))?.arr).toEqual(['x', 'Y', 'z']);
  });

  it('$unset removes top-level and nested fields', async () => {
    const coll = await withDoc({ a: 1, b: 2, n: { keep: 1, drop: 2 } });
    await coll.updateOne({ _id: id(1) }, { $unset: { b: '', 'n.drop': 1 } });
    expect(await current(coll)).toEqual({ _id: id(1), a: 1, n: { keep: 1 } });
  });

  it('$inc adds to numbers and creates missing fields', async () => {
    const coll = await withDoc({ n: 5 });
    await coll.updateOne({ _id: id(1) }, { $inc: { n: -2, fresh: 3, 'nested.x': 1 } });
    expect(await current(coll)).toEqual({ _id: id(1), n: 3, fresh: 3, nested: { x: 1 } });
  });

  it('$inc on a non-numeric field fails with 14 (TypeMismatch)', async () => {
    const coll = await withDoc({ s: 'text' });
    await expect(coll.updateOne({ _id: id(1) }, { $inc: { s: 1 } })).rejects.toMatchObject({ code: 14 });
    expect((await current(coll))?.s).toBe('text');
  });

  it('$push appends, and with $each/$sort/$slice sorts then trims', async () => {
    const coll = await withDoc({ list: [1], scores: [4, 7] });
    await coll.updateOne({ _id: id(1) }, op({ $push: { list: 2 } }));
    await coll.updateOne({ _id: id(1) }, op({ $push: { scores: { $each: [5, 1, 9], $sort: -1, $slice: 3 } } }));
    expect(await current(coll)).toEqual({ _id: id(1), list: [1, 2], scores: [9, 7, 5] });
  });

  it('$push with $each sorts embedded documents by a field and keeps the last N with a negative $slice', async () => {
    const coll = await withDoc({
      quiz: [
        { w: 'a', s: 8 },
        { w: 'b', s: 3 },
      ],
    });
    await coll.updateOne(
      { _id: id(1) },
      op({
        $push: {
          quiz: {
            $each: [
              { w: 'c', s: 10 },
              { w: 'd', s: 1 },
            ],
            $sort: { s: 1 },
            $slice: -2,
          },
        },
      }),
    );
    expect((await current(coll))?.quiz).toEqual([
      { w: 'a', s: 8 },
      { w: 'c', s: 10 },
    ]);
  });

  it('$push creates the array when the field is missing', async () => {
    const coll = await withDoc({});
    await coll.updateOne({ _id: id(1) }, op({ $push: { created: { $each: ['a', 'b'] } } }));
    expect((await current(coll))?.created).toEqual(['a', 'b']);
  });

  it('$addToSet adds only values not already present (also with $each)', async () => {
    const coll = await withDoc({ tags: ['a', 'b'] });
    const same = await coll.updateOne({ _id: id(1) }, { $addToSet: { tags: 'a' } });
    expect(same).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    await coll.updateOne({ _id: id(1) }, { $addToSet: { tags: { $each: ['b', 'c', 'c', 'd'] } } });
    expect((await current(coll))?.tags).toEqual(['a', 'b', 'c', 'd']);
  });

  it('$pull removes matching values, by condition and by embedded document match', async () => {
    const coll = await withDoc({
      nums: [1, 5, 7, 2, 9, 5],
      items: [
        { sku: 'a', q: 1 },
        { sku: 'b', q: 2 },
        { sku: 'a', q: 3 },
      ],
    });
    await coll.updateOne({ _id: id(1) }, op({ $pull: { nums: 5 } }));
    expect((await current(coll))?.nums).toEqual([1, 7, 2, 9]);
    await coll.updateOne({ _id: id(1) }, op({ $pull: { nums: { $gte: 7 }, items: { sku: 'a' } } }));
    expect(await current(coll)).toEqual({ _id: id(1), nums: [1, 2], items: [{ sku: 'b', q: 2 }] });
  });

  it('$pop removes the last (1) or first (-1) element', async () => {
    const coll = await withDoc({ a: [1, 2, 3], b: [1, 2, 3] });
    await coll.updateOne({ _id: id(1) }, op({ $pop: { a: 1, b: -1 } }));
    expect(await current(coll)).toEqual({ _id: id(1), a: [1, 2], b: [2, 3] });
  });

  it('$rename moves a field to a new name (also into a nested path)', async () => {
    const coll = await withDoc({ old: 'v', other: 1 });
    await coll.updateOne({ _id: id(1) }, { $rename: { old: 'renamed', other: 'sub.other' } });
    expect(await current(coll)).toEqual({ _id: id(1), renamed: 'v', sub: { other: 1 } });
  });

  it('$min and $max only change the field when the new value is lower/higher', async () => {
    const coll = await withDoc({ low: 10, high: 10 });
    await coll.updateOne({ _id: id(1) }, { $min: { low: 5 }, $max: { high: 15 } });
    expect(await current(coll)).toEqual({ _id: id(1), low: 5, high: 15 });
    const noop = await coll.updateOne({ _id: id(1) }, { $min: { low: 50 }, $max: { high: 1 } });
    expect(noop).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    expect(await current(coll)).toEqual({ _id: id(1), low: 5, high: 15 });
  });

  it('$mul multiplies, and sets a missing field to 0', async () => {
    const coll = await withDoc({ price: 2.5 });
    await coll.updateOne({ _id: id(1) }, { $mul: { price: 4, missing: 3 } });
    expect(await current(coll)).toEqual({ _id: id(1), price: 10, missing: 0 });
  });

  it('$currentDate sets a Date (true) or a Timestamp ($type: "timestamp")', async () => {
    const coll = await withDoc({});
    const before = Date.now();
    await coll.updateOne({ _id: id(1) }, op({ $currentDate: { touched: true, ts: { $type: 'timestamp' }, asDate: { $type: 'date' } } }));
    const after = Date.now();
    const doc = await current(coll);
    expect(doc?.touched).toBeInstanceOf(Date);
    expect(doc?.asDate).toBeInstanceOf(Date);
    expect(doc?.touched.getTime()).toBeGreaterThanOrEqual(before - 5_000);
    expect(doc?.touched.getTime()).toBeLessThanOrEqual(after + 5_000);
    expect(doc?.ts).toBeInstanceOf(Timestamp);
  });
});

describe(`upsert and multi-document updates [${mongoLabel()}]`, () => {
  it('upsert inserts a document built from the filter equality fields and the update', async () => {
    const coll = mongo.db.collection<AnyDoc>('ups_fields');
    const res = await coll.updateOne(
      { sku: 'abc', 'dims.w': 3, qty: { $gt: 5 } },
      { $set: { price: 10 }, $setOnInsert: { created: true } },
      { upsert: true },
    );
    expect(res).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1 });
    expect(res.upsertedId).toBeInstanceOf(ObjectId);
    const doc = await coll.findOne({ _id: res.upsertedId! });
    expect(doc).toEqual({ _id: res.upsertedId, sku: 'abc', dims: { w: 3 }, price: 10, created: true });
  });

  it('upsert uses an _id from the filter', async () => {
    const coll = mongo.db.collection<AnyDoc>('ups_id');
    const res = await coll.updateOne({ _id: 'given' as unknown as ObjectId }, { $set: { v: 1 } }, { upsert: true });
    expect(res.upsertedId).toBe('given');
    await expect(coll.findOne({})).resolves.toEqual({ _id: 'given', v: 1 });
  });

  it('$setOnInsert applies only when the upsert inserts', async () => {
    const coll = mongo.db.collection<AnyDoc>('ups_soi');
    const update = { $inc: { n: 1 }, $setOnInsert: { createdBy: 'first' } };
    const first = await coll.updateOne({ key: 'k' }, update, { upsert: true });
    expect(first.upsertedCount).toBe(1);
    await coll.updateOne({ key: 'k' }, { $set: { createdBy: 'changed' } });
    const second = await coll.updateOne({ key: 'k' }, update, { upsert: true });
    expect(second).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null });
    const docs = await coll.find({}, { projection: { _id: id(0) } }).toArray();
    expect(docs).toEqual([{ key: 'k', n: 2, createdBy: 'changed' }]);
  });

  it('upsert copies equality fields from inside $and', async () => {
    const coll = mongo.db.collection<AnyDoc>('ups_and');
    const res = await coll.updateOne({ $and: [{ a: 1 }, { b: 'two' }, { c: { $gt: 0 } }] }, { $set: { d: true } }, { upsert: true });
    expect(res.upsertedCount).toBe(1);
    await expect(coll.findOne({}, { projection: { _id: 0 } })).resolves.toEqual({ a: 1, b: 'two', d: true });
  });

  it('updateMany with upsert inserts a single document when nothing matches', async () => {
    const coll = mongo.db.collection<AnyDoc>('ups_many');
    const res = await coll.updateMany({ group: 'g' }, { $set: { on: true } }, { upsert: true });
    expect(res).toMatchObject({ matchedCount: 0, upsertedCount: 1 });
    await expect(coll.countDocuments({ group: 'g', on: true })).resolves.toBe(1);
  });

  it('updateMany counts matched and modified; re-setting the same values modifies 0', async () => {
    const coll = mongo.db.collection<AnyDoc>('upd_many');
    await coll.insertMany([{ s: 'a' }, { s: 'a' }, { s: 'a' }, { s: 'b' }]);
    const first = await coll.updateMany({ s: 'a' }, { $set: { flag: true } });
    expect(first).toMatchObject({ matchedCount: 3, modifiedCount: 3, upsertedCount: 0 });
    const again = await coll.updateMany({ s: 'a' }, { $set: { flag: true } });
    expect(again).toMatchObject({ matchedCount: 3, modifiedCount: 0 });
    await expect(coll.countDocuments({ flag: true })).resolves.toBe(3);
  });

  it('updateOne with no match and no upsert matches 0 and changes nothing', async () => {
    const coll = await withDoc({ v: 1 });
    const res = await coll.updateOne({ _id: id(2) }, { $set: { v: 2 } });
    expect(res).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 0, upsertedId: null });
    await expect(coll.countDocuments()).resolves.toBe(1);
  });

  it('updateOne updates only the first match', async () => {
    const coll = mongo.db.collection<AnyDoc>('upd_one_of_many');
    await coll.insertMany([{ g: 1 }, { g: 1 }]);
    const res = await coll.updateOne({ g: 1 }, { $set: { hit: true } });
    expect(res).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    await expect(coll.countDocuments({ hit: true })).resolves.toBe(1);
  });
});

describe(`array updates [${mongoLabel()}]`, () => {
  it('arrayFilters $[elem] updates every element matching the filter', async () => {
    const coll = await withDoc({ grades: [95, 82, 91, 70] });
    await coll.updateOne({ _id: id(1) }, { $set: { 'grades.$[g]': 100 } }, { arrayFilters: [{ g: { $gte: 90 } }] });
    expect((await current(coll))?.grades).toEqual([100, 82, 100, 70]);
  });

  it('arrayFilters on fields of embedded documents', async () => {
    const coll = await withDoc({
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 2 },
        { sku: 'a', qty: 3 },
      ],
    });
    await coll.updateOne({ _id: id(1) }, { $inc: { 'items.$[it].qty': 10 } }, { arrayFilters: [{ 'it.sku': 'a' }] });
    expect((await current(coll))?.items).toEqual([
      { sku: 'a', qty: 11 },
      { sku: 'b', qty: 2 },
      { sku: 'a', qty: 13 },
    ]);
  });

  it('all-positional $[] updates every element', async () => {
    const coll = await withDoc({ nums: [1, 2, 3] });
    await coll.updateOne({ _id: id(1) }, { $inc: { 'nums.$[]': 10 } });
    expect((await current(coll))?.nums).toEqual([11, 12, 13]);
  });

  it('positional $ updates the first element matched by the filter', async () => {
    const coll = await withDoc({
      grades: [80, 82, 82],
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 2 },
      ],
    });
    await coll.updateOne({ _id: id(1), grades: 82 }, { $set: { 'grades.$': 83 } });
    await coll.updateOne({ _id: id(1), 'items.sku': 'b' }, { $set: { 'items.$.qty': 99 } });
    const doc = await current(coll);
    expect(doc?.grades).toEqual([80, 83, 82]);
    expect(doc?.items).toEqual([
      { sku: 'a', qty: 1 },
      { sku: 'b', qty: 99 },
    ]);
  });
});

describe(`replacement and update errors [${mongoLabel()}]`, () => {
  it('replaceOne replaces the whole document but keeps _id', async () => {
    const coll = await withDoc({ a: 1, b: 2 });
    const res = await coll.replaceOne({ _id: id(1) }, { c: 3 });
    expect(res).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await current(coll)).toEqual({ _id: id(1), c: 3 });
  });

  it('replaceOne with upsert inserts the replacement under the filter _id', async () => {
    const coll = mongo.db.collection<AnyDoc>('repl_upsert');
    const res = await coll.replaceOne({ _id: 'r1' as unknown as ObjectId }, { v: 1 }, { upsert: true });
    expect(res).toMatchObject({ upsertedCount: 1, upsertedId: 'r1' });
    await expect(coll.findOne({})).resolves.toEqual({ _id: 'r1', v: 1 });
  });

  it('$set on _id fails with 66 (ImmutableField)', async () => {
    const coll = await withDoc({ v: 1 });
    await expect(coll.updateOne({ _id: id(1) }, { $set: { _id: id(2) } })).rejects.toMatchObject({ code: 66 });
    expect(await current(coll)).toEqual({ _id: id(1), v: 1 });
  });

  it('replaceOne with a different _id fails with 66 (ImmutableField)', async () => {
    const coll = await withDoc({ v: 1 });
    await expect(coll.replaceOne({ _id: id(1) }, { _id: id(2), v: 2 })).rejects.toMatchObject({ code: 66 });
    expect(await current(coll)).toEqual({ _id: id(1), v: 1 });
  });

  it('two operators on the same path fail with 40 (ConflictingUpdateOperators)', async () => {
    const coll = await withDoc({ a: 1 });
    await expect(coll.updateOne({ _id: id(1) }, { $set: { a: 5 }, $inc: { a: 1 } })).rejects.toMatchObject({ code: 40 });
    expect(await current(coll)).toEqual({ _id: id(1), a: 1 });
  });

  it('operators on a path and its parent fail with 40 (ConflictingUpdateOperators)', async () => {
    const coll = await withDoc({ a: { b: 1 } });
    await expect(coll.updateOne({ _id: id(1) }, { $set: { 'a.b': 2 }, $unset: { a: '' } })).rejects.toMatchObject({ code: 40 });
  });

  it('$unset of a missing field matches but modifies nothing', async () => {
    const coll = await withDoc({ a: 1 });
    await expect(coll.updateOne({ _id: id(1) }, { $unset: { nope: '' } })).resolves.toMatchObject({ matchedCount: 1, modifiedCount: 0 });
  });

  it('$set and $setOnInsert on the same path fail with 40 (ConflictingUpdateOperators)', async () => {
    const coll = mongo.db.collection<AnyDoc>('soi_conflict');
    await expect(coll.updateOne({ k: 1 }, { $set: { v: 1 }, $setOnInsert: { v: 2 } }, { upsert: true })).rejects.toMatchObject({
      code: 40,
    });
  });

  it('an unknown update operator fails with 9 (FailedToParse)', async () => {
    const coll = await withDoc({ a: 1 });
    await expect(coll.updateOne({ _id: id(1) }, op({ $bogus: { a: 2 } }))).rejects.toMatchObject({ code: 9 });
    expect(await current(coll)).toEqual({ _id: id(1), a: 1 });
  });

  it('a pipeline update (array of $set stages) computes from the current document', async () => {
    const coll = await withDoc({ a: 2, b: 3 });
    const res = await coll.updateOne({ _id: id(1) }, [
      { $set: { total: { $add: ['$a', '$b'] } } },
      { $set: { doubled: { $multiply: ['$total', 2] }, label: { $concat: ['sum-', { $toString: '$total' }] } } },
    ]);
    expect(res).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await current(coll)).toEqual({ _id: id(1), a: 2, b: 3, total: 5, doubled: 10, label: 'sum-5' });
  });

  it('updateMany with a pipeline update applies per document', async () => {
    const coll = mongo.db.collection<AnyDoc>('pipe_many');
    await coll.insertMany([
      { _id: id(1), p: 2, q: 3 },
      { _id: id(2), p: 5, q: 5 },
    ]);
    await coll.updateMany({}, [{ $set: { area: { $multiply: ['$p', '$q'] } } }]);
    const docs = await coll.find().sort({ _id: 1 }).toArray();
    expect(docs.map((d) => d.area)).toEqual([6, 25]);
  });
});
