// Query semantics beyond plain equality: BSON type ordering, cross-type numeric equality, $type,
// array sort keys, type bracketing, and the less common query operators.
import { describe, it, expect, beforeAll } from 'vitest';
import { Decimal128, Double, Long, ObjectId, type Collection } from 'mongodb';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
import type { Doc } from './helpers.js';

const mongo = useTestMongo();
let mixed: Collection<Doc>;

beforeAll(async () => {
  mixed = mongo.db.collection<Doc>('mixed');
  await mixed.insertMany([
    { _id: 1, v: 'b' },
    { _id: 2, v: 2 },
    { _id: 3, v: null },
    { _id: 4 },
    { _id: 5, v: true },
    { _id: 6, v: { x: 1 } },
    { _id: 7, v: 1.5 },
    { _id: 8, v: new Date(0) },
    { _id: 9, v: 'a' },
    { _id: 10, v: new ObjectId('650000000000000000000000') },
  ]);
});

const idsOf = async (coll: Collection<Doc>, filter: Doc, sort: Doc = { _id: 1 }) =>
  (await coll.find(filter).sort(sort).toArray()).map((d) => d._id);

describe(`BSON ordering and types [${mongoLabel()}]`, () => {
  it('sort follows BSON type order: null/missing < numbers < strings < objects < ObjectId < booleans < dates', async () => {
    expect(await idsOf(mixed, {}, { v: 1, _id: 1 })).toEqual([3, 4, 7, 2, 9, 1, 6, 10, 5, 8]);
    expect(await idsOf(mixed, {}, { v: -1, _id: 1 })).toEqual([8, 5, 10, 6, 1, 9, 2, 7, 3, 4]);
  });

  it('range operators only match values of the same type bracket', async () => {
    expect(await idsOf(mixed, { v: { $gt: 1 } })).toEqual([2, 7]);
    expect(await idsOf(mixed, { v: { $gte: 'a' } })).toEqual([1, 9]);
    expect(await idsOf(mixed, { v: { $lt: new Date(1000) } })).toEqual([8]);
  });

  it('$type matches by BSON type name and by the "number" alias; missing is not null', async () => {
    expect(await idsOf(mixed, { v: { $type: 'string' } })).toEqual([1, 9]);
    expect(await idsOf(mixed, { v: { $type: 'number' } })).toEqual([2, 7]);
    expect(await idsOf(mixed, { v: { $type: 'null' } })).toEqual([3]);
    expect(await idsOf(mixed, { v: { $type: ['bool', 'date'] } })).toEqual([5, 8]);
  });

  it('numbers compare by value across int32, int64, double and decimal128', async () => {
    const nums = mongo.db.collection<Doc>('nums');
    await nums.insertMany([
      { _id: 'int', n: 2 },
      { _id: 'long', n: Long.fromNumber(2) },
      { _id: 'double', n: new Double(2) },
      { _id: 'decimal', n: Decimal128.fromString('2') },
      { _id: 'other', n: 2.5 },
    ]);
    expect((await idsOf(nums, { n: 2 })).sort()).toEqual(['decimal', 'double', 'int', 'long']);
    expect((await idsOf(nums, { n: { $gt: Long.fromNumber(2) } })).sort()).toEqual(['other']);
  });

  it('sorting on an array field uses the smallest element ascending and the largest descending', async () => {
    const arr = mongo.db.collection<Doc>('arrsort');
    await arr.insertMany([
      { _id: 1, a: [5, 1] },
      { _id: 2, a: [3] },
      { _id: 3, a: 2 },
      { _id: 4, a: [10, 0] },
    ]);
    expect(await idsOf(arr, {}, { a: 1 })).toEqual([4, 1, 3, 2]);
    expect(await idsOf(arr, {}, { a: -1 })).toEqual([4, 1, 2, 3]);
  });

  it('date range queries', async () => {
    const events = mongo.db.collection<Doc>('events');
    const base = Date.UTC(2024, 0, 1);
    await events.insertMany([0, 1, 2, 3].map((d) => ({ _id: d, at: new Date(base + d * 86_400_000) })));
    expect(await idsOf(events, { at: { $gte: new Date(base + 86_400_000), $lt: new Date(base + 3 * 86_400_000) } })).toEqual([1, 2]);
  });
});

describe(`more query operators [${mongoLabel()}]`, () => {
  let coll: Collection<Doc>;

  beforeAll(async () => {
    coll = mongo.db.collection<Doc>('ops');
    await coll.insertMany([
      { _id: 1, n: 3, tags: ['red', 'blue', 'green'], scores: [70, 90], qty: 5, price: 2 },
      { _id: 2, n: 4, tags: ['red'], scores: [82], qty: 1, price: 2 },
      { _id: 3, n: 9, tags: ['blue', 'red'], scores: [60, 95], qty: 3, price: 3 },
      { _id: 4, n: 10, qty: 7 },
    ]);
  });

  it('$all requires every listed element', async () => {
    expect(await idsOf(coll, { tags: { $all: ['red', 'blue'] } })).toEqual([1, 3]);
  });

  it('$not negates an operator expression and also matches missing fields', async () => {
    expect(await idsOf(coll, { price: { $not: { $gt: 2 } } })).toEqual([1, 2, 4]);
  });

  it('$nor matches documents failing every clause', async () => {
    expect(await idsOf(coll, { $nor: [{ n: { $lt: 4 } }, { tags: 'blue' }] })).toEqual([2, 4]);
  });

  it('$mod matches by remainder', async () => {
    expect(await idsOf(coll, { n: { $mod: [3, 0] } })).toEqual([1, 3]);
  });

  it('$elemMatch on scalars needs one element in range; plain range conditions may use different elements', async () => {
    expect(await idsOf(coll, { scores: { $elemMatch: { $gte: 80, $lt: 85 } } })).toEqual([2]);
    expect(await idsOf(coll, { scores: { $gte: 80, $lt: 85 } })).toEqual([1, 2, 3]);
  });

  it('$expr compares two fields of the same document', async () => {
    expect(await idsOf(coll, { $expr: { $gt: ['$qty', '$price'] } })).toEqual([1, 4]);
  });

  it('$regex matches string elements of arrays', async () => {
    expect(await idsOf(coll, { tags: { $regex: '^gr' } })).toEqual([1]);
  });

  it('an unknown query operator fails with 2 (BadValue)', async () => {
    await expect(coll.find({ n: { $bogus: 1 } }).toArray()).rejects.toMatchObject({ code: 2 });
    await expect(coll.find({ $bogus: [{ n: 1 }] }).toArray()).rejects.toMatchObject({ code: 2 });
  });
});
