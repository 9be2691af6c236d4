// Insert, find (filters, sort, skip, limit, projection), delete, counts and distinct.
import { describe, it, expect, beforeAll } from 'vitest';
import { MongoBulkWriteError, ObjectId, type Collection, type Document } from 'mongodb';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
import { sorted, type Doc } from './helpers.js';

const mongo = useTestMongo();
let people: Collection<Doc>;

const PEOPLE: Document[] = [
  {
    _id: 1,
    name: 'alice',
    age: 30,
    tags: ['red', 'blue'],
    address: { city: 'Oslo', zip: '0150' },
    items: [
      { sku: 'a', qty: 1 },
      { sku: 'b', qty: 10 },
    ],
  },
  { _id: 2, name: 'bob', age: 25, tags: ['green'], address: { city: 'Bergen' }, items: [{ sku: 'a', qty: 10 }] },
  { _id: 3, name: 'Alfred', age: 41, tags: [], address: { city: 'Oslo' }, items: [], nick: null },
  { _id: 4, name: 'carol', age: 35, address: { city: 'Trondheim' }, items: [{ sku: 'b', qty: 2 }] },
];

beforeAll(async () => {
  people = mongo.db.collection<Doc>('people');
  await people.insertMany(PEOPLE);
});

const ids = async (filter: Document, sort: Document = { _id: 1 }) => (await people.find(filter).sort(sort).toArray()).map((d) => d._id);

describe(`insert [${mongoLabel()}]`, () => {
  it('insertOne without _id stores a generated ObjectId _id', async () => {
    const coll = mongo.db.collection<Doc>('ins_one');
    const res = await coll.insertOne({ x: 1 });
    expect(res.acknowledged).toBe(true);
    expect(res.insertedId).toBeInstanceOf(ObjectId);
    const stored = await coll.findOne({ x: 1 });
    expect(stored?._id).toBeInstanceOf(ObjectId);
    expect((stored?._id as ObjectId).equals(res.insertedId as ObjectId)).toBe(true);
  });

  it('the server generates an ObjectId _id for a raw insert command without _id', async () => {
    const coll = mongo.db.collection<Doc>('ins_raw');
    const reply = await mongo.db.command({ insert: 'ins_raw', documents: [{ raw: true }, { raw: true }] });
    expect(reply).toMatchObject({ ok: 1, n: 2 });
    const docs = await coll.find({ raw: true }).toArray();
    expect(docs).toHaveLength(2);
    for (const d of docs) expect(d._id).toBeInstanceOf(ObjectId);
    expect((docs[0]._id as ObjectId).equals(docs[1]._id as ObjectId)).toBe(false);
  });

  it('insert moves _id to be the first field of the stored document', async () => {
    const coll = mongo.db.collection<Doc>('ins_order');
    await coll.insertOne({ b: 1, a: 2, _id: 'k' });
    const stored = await coll.findOne({ _id: 'k' });
    expect(Object.keys(stored ?? {})).toEqual(['_id', 'b', 'a']);
  });

  it('insertMany reports insertedCount and insertedIds by position', async () => {
    const coll = mongo.db.collection<Doc>('ins_many');
    const res = await coll.insertMany([{ n: 1 }, { n: 2 }, { _id: 'mine', n: 3 }]);
    expect(res.insertedCount).toBe(3);
    expect(res.insertedIds[0]).toBeInstanceOf(ObjectId);
    expect(res.insertedIds[2]).toBe('mine');
    await expect(coll.countDocuments()).resolves.toBe(3);
  });

  it('ordered insertMany stops at a duplicate _id: 11000 with the failing index', async () => {
    const coll = mongo.db.collection<Doc>('ins_ordered');
    const err = await coll.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 1 }, { _id: 3 }], { ordered: true }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    const bulk = err as MongoBulkWriteError;
    expect(bulk.code).toBe(11000);
    expect(bulk.insertedCount).toBe(2);
    const writeErrors = ([] as MongoBulkWriteError['writeErrors'][]).concat(bulk.writeErrors).flat();
    expect(writeErrors.map((w) => ({ index: w.index, code: w.code }))).toEqual([{ index: 2, code: 11000 }]);
    expect(sorted((await coll.find().toArray()).map((d) => d._id))).toEqual([1, 2]);
  });

  it('unordered insertMany continues past duplicates and reports every failing index', async () => {
    const coll = mongo.db.collection<Doc>('ins_unordered');
    const err = await coll.insertMany([{ _id: 1 }, { _id: 1 }, { _id: 2 }, { _id: 2 }, { _id: 3 }], { ordered: false }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    const bulk = err as MongoBulkWriteError;
    expect(bulk.code).toBe(11000);
    expect(bulk.insertedCount).toBe(3);
    const writeErrors = ([] as MongoBulkWriteError['writeErrors'][]).concat(bulk.writeErrors).flat();
    expect(writeErrors.map((w) => ({ index: w.index, code: w.code }))).toEqual([
      { index: 1, code: 11000 },
      { index: 3, code: 11000 },
    ]);
    expect(sorted((await coll.find().toArray()).map((d) => d._id))).toEqual([1, 2, 3]);
  });

  it('insertOne with a duplicate _id fails with 11000', async () => {
    const coll = mongo.db.collection<Doc>('ins_dup');
    await coll.insertOne({ _id: 'same' });
    await expect(coll.insertOne({ _id: 'same' })).rejects.toMatchObject({ code: 11000 });
  });
});

describe(`large documents and messages [${mongoLabel()}]`, () => {
  it('a 10 MB document round-trips intact', async () => {
    const coll = mongo.db.collection<Doc>('large_one');
    const blob = 'abcdefghij'.repeat(1024 * 1024);
    await coll.insertOne({ _id: 'big', blob });
    const back = await coll.findOne({ _id: 'big' });
    expect(back?.blob.length).toBe(blob.length);
    expect(back?.blob === blob).toBe(true);
  });

  it('insertMany larger than one 48 MB message (split by the driver) stores every document', async () => {
    const coll = mongo.db.collection<Doc>('large_many');
    const blob = 'x'.repeat(9 * 1024 * 1024);
    const res = await coll.insertMany(Array.from({ length: 7 }, (_, i) => ({ _id: i, blob })));
    expect(res.insertedCount).toBe(7);
    await expect(coll.countDocuments()).resolves.toBe(7);
    const sizes = await coll.aggregate([{ $project: { len: { $strLenBytes: '$blob' } } }, { $sort: { _id: 1 } }]).toArray();
    expect(sizes.map((d) => d.len)).toEqual(Array(7).fill(blob.length));
  });
});

describe(`find filters [${mongoLabel()}]`, () => {
  it('dotted path matches a nested field', async () => {
    expect(await ids({ 'address.city': 'Oslo' })).toEqual([1, 3]);
  });

  it('an embedded document filter matches the whole document exactly', async () => {
    expect(await ids({ address: { city: 'Oslo' } })).toEqual([3]);
  });

  it('a scalar filter on an array field matches any element', async () => {
    expect(await ids({ tags: 'red' })).toEqual([1]);
  });

  it('an array filter on an array field matches the whole array exactly', async () => {
    expect(await ids({ tags: ['green'] })).toEqual([2]);
    expect(await ids({ tags: ['blue', 'red'] })).toEqual([]);
  });

  it('dotted path into an array of documents matches any element', async () => {
    expect(await ids({ 'items.sku': 'b' })).toEqual([1, 4]);
  });

  it('$gt/$lte range and $ne (which also matches missing fields)', async () => {
    expect(await ids({ age: { $gt: 26, $lte: 35 } })).toEqual([1, 4]);
    expect(await ids({ tags: { $ne: 'red' } })).toEqual([2, 3, 4]);
  });

  it('$in and $nin', async () => {
    expect(await ids({ age: { $in: [25, 35, 99] } })).toEqual([2, 4]);
    expect(await ids({ tags: { $in: ['blue', 'green'] } })).toEqual([1, 2]);
    expect(await ids({ age: { $nin: [25, 35] } })).toEqual([1, 3]);
  });

  it('$or and $and', async () => {
    expect(await ids({ $or: [{ age: { $lt: 26 } }, { name: 'carol' }] })).toEqual([2, 4]);
    expect(await ids({ $and: [{ 'address.city': 'Oslo' }, { age: { $gt: 35 } }] })).toEqual([3]);
  });

  it('$regex as a literal and with $options; case sensitive by default', async () => {
    expect(await ids({ name: /^al/i })).toEqual([1, 3]);
    expect(await ids({ name: { $regex: '^al' } })).toEqual([1]);
    expect(await ids({ name: { $regex: '^AL', $options: 'i' } })).toEqual([1, 3]);
  });

  it('$exists: false matches missing fields; $exists: true matches an explicit null', async () => {
    expect(await ids({ tags: { $exists: false } })).toEqual([4]);
    expect(await ids({ nick: { $exists: true } })).toEqual([3]);
  });

  it('equality with null matches both null and missing fields', async () => {
    expect(await ids({ nick: null })).toEqual([1, 2, 3, 4]);
    expect(await ids({ 'address.zip': null })).toEqual([2, 3, 4]);
  });

  it('$elemMatch requires one element to satisfy all conditions, unlike separate dotted conditions', async () => {
    expect(await ids({ items: { $elemMatch: { sku: 'a', qty: { $gte: 5 } } } })).toEqual([2]);
    expect(await ids({ 'items.sku': 'a', 'items.qty': { $gte: 5 } })).toEqual([1, 2]);
  });

  it('$size matches array length', async () => {
    expect(await ids({ tags: { $size: 0 } })).toEqual([3]);
    expect(await ids({ tags: { $size: 2 } })).toEqual([1]);
  });

  it('findOne returns null when nothing matches', async () => {
    await expect(people.findOne({ name: 'nobody' })).resolves.toBeNull();
  });
});

describe(`find sort, skip, limit, projection [${mongoLabel()}]`, () => {
  it('sort descending on a field', async () => {
    expect(await ids({}, { age: -1 })).toEqual([3, 4, 1, 2]);
  });

  it('sort on a nested field then a second key', async () => {
    expect(await ids({}, { 'address.city': 1, age: -1 })).toEqual([2, 3, 1, 4]);
  });

  it('skip and limit apply after sort', async () => {
    const docs = await people.find({}).sort({ age: 1 }).skip(1).limit(2).toArray();
    expect(docs.map((d) => d._id)).toEqual([1, 4]);
  });

  it('projection inclusion keeps _id and the named fields only', async () => {
    const doc = await people.findOne({ _id: 1 }, { projection: { name: 1, age: 1 } });
    expect(doc).toEqual({ _id: 1, name: 'alice', age: 30 });
  });

  it('projection inclusion with _id: 0 drops _id', async () => {
    const doc = await people.findOne({ _id: 2 }, { projection: { _id: 0, name: 1 } });
    expect(doc).toEqual({ name: 'bob' });
  });

  it('projection exclusion drops only the named fields', async () => {
    const doc = await people.findOne({ _id: 4 }, { projection: { items: 0, address: 0 } });
    expect(doc).toEqual({ _id: 4, name: 'carol', age: 35 });
  });

  it('projection of a dotted path keeps the nested shape', async () => {
    const doc = await people.findOne({ _id: 1 }, { projection: { 'address.city': 1, _id: 0 } });
    expect(doc).toEqual({ address: { city: 'Oslo' } });
  });

  it('mixing inclusion and exclusion in one projection fails with 31254', async () => {
    await expect(people.findOne({ _id: 1 }, { projection: { name: 1, age: 0 } })).rejects.toMatchObject({ code: 31254 });
  });
});

describe(`delete [${mongoLabel()}]`, () => {
  it('deleteOne deletes one document even when several match', async () => {
    const coll = mongo.db.collection<Doc>('del_one');
    await coll.insertMany([{ k: 'x' }, { k: 'x' }, { k: 'y' }]);
    await expect(coll.deleteOne({ k: 'x' })).resolves.toMatchObject({ acknowledged: true, deletedCount: 1 });
    await expect(coll.countDocuments({ k: 'x' })).resolves.toBe(1);
  });

  it('deleteMany reports how many were deleted; no match deletes 0', async () => {
    const coll = mongo.db.collection<Doc>('del_many');
    await coll.insertMany([{ k: 1 }, { k: 2 }, { k: 3 }, { k: 4 }]);
    await expect(coll.deleteMany({ k: { $gte: 3 } })).resolves.toMatchObject({ deletedCount: 2 });
    await expect(coll.deleteMany({ k: 99 })).resolves.toMatchObject({ deletedCount: 0 });
    await expect(coll.deleteMany({})).resolves.toMatchObject({ deletedCount: 2 });
    await expect(coll.countDocuments()).resolves.toBe(0);
  });
});

describe(`counts and distinct [${mongoLabel()}]`, () => {
  it('countDocuments counts matches, honouring skip and limit', async () => {
    await expect(people.countDocuments()).resolves.toBe(4);
    await expect(people.countDocuments({ 'address.city': 'Oslo' })).resolves.toBe(2);
    await expect(people.countDocuments({}, { skip: 1, limit: 2 })).resolves.toBe(2);
    await expect(people.countDocuments({}, { skip: 3 })).resolves.toBe(1);
  });

  it('estimatedDocumentCount counts the whole collection (0 for a missing one)', async () => {
    await expect(people.estimatedDocumentCount()).resolves.toBe(4);
    await expect(mongo.db.collection<Doc>('no_such_coll').estimatedDocumentCount()).resolves.toBe(0);
  });

  it('distinct returns each value once', async () => {
    expect(sorted(await people.distinct('address.city'))).toEqual(['Bergen', 'Oslo', 'Trondheim']);
  });

  it('distinct unwinds array fields into their elements', async () => {
    expect(sorted(await people.distinct('tags'))).toEqual(['blue', 'green', 'red']);
    expect(sorted(await people.distinct('items.sku'))).toEqual(['a', 'b']);
  });

  it('distinct applies a filter', async () => {
    expect(sorted(await people.distinct('address.city', { age: { $gt: 26 } }))).toEqual(['Oslo', 'Trondheim']);
  });
});

describe(`bulkWrite [${mongoLabel()}]`, () => {
  it('an ordered bulkWrite of mixed operations reports every count and upserted id', async () => {
    const coll = mongo.db.collection<Doc>('bulk_mixed');
    await coll.insertMany([
      { _id: 1, n: 1 },
      { _id: 2, n: 2 },
      { _id: 3, n: 3 },
    ]);
    const result = await coll.bulkWrite([
      { insertOne: { document: { _id: 4, n: 4 } } },
      { updateOne: { filter: { _id: 1 }, update: { $inc: { n: 10 } } } },
      { updateMany: { filter: { n: { $gte: 2 } }, update: { $set: { seen: true } } } },
      { updateOne: { filter: { _id: 9 }, update: { $set: { n: 9 } }, upsert: true } },
      { replaceOne: { filter: { _id: 2 }, replacement: { n: 20 } } },
      { deleteOne: { filter: { _id: 3 } } },
      { deleteMany: { filter: { n: { $gt: 100 } } } },
    ]);
    expect(result.insertedCount).toBe(1);
    expect(result.matchedCount).toBe(1 + 4 + 1);
    expect(result.modifiedCount).toBe(1 + 4 + 1);
    expect(result.upsertedCount).toBe(1);
    expect(result.upsertedIds).toEqual({ 3: 9 });
    expect(result.deletedCount).toBe(1);
    expect(await coll.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 1, n: 11, seen: true },
      { _id: 2, n: 20 },
      { _id: 4, n: 4, seen: true },
      { _id: 9, n: 9 },
    ]);
  });

  it('an unordered bulkWrite goes past a duplicate key and reports it with its operation index', async () => {
    const coll = mongo.db.collection<Doc>('bulk_unordered');
    await coll.insertOne({ _id: 'taken' });
    const error = await coll
      .bulkWrite(
        [
          { insertOne: { document: { _id: 'a' } } },
          { insertOne: { document: { _id: 'taken' } } },
          { insertOne: { document: { _id: 'b' } } },
        ],
        { ordered: false },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoBulkWriteError);
    const bulkError = error as MongoBulkWriteError;
    expect(bulkError.code).toBe(11000);
    expect(bulkError.writeErrors).toMatchObject([{ index: 1, code: 11000 }]);
    expect(bulkError.result.insertedCount).toBe(2);
    expect(sorted((await coll.find().toArray()).map((d) => d._id))).toEqual(['a', 'b', 'taken']);
  });
});
