// Aggregation pipeline stages and accumulators, batches via getMore, and unknown-stage errors.
import { describe, it, expect, beforeAll } from 'vitest';
import type { Collection, Document } from 'mongodb';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
import { drainRawCursor, sorted, type Doc } from './helpers.js';

const mongo = useTestMongo();
let orders: Collection<Doc>;
let customers: Collection<Doc>;

beforeAll(async () => {
  orders = mongo.db.collection<Doc>('orders');
  customers = mongo.db.collection<Doc>('customers');
  await orders.insertMany([
    { _id: 1, customer: 'c1', item: 'apple', qty: 5, price: 2, tags: ['fruit', 'red'] },
    { _id: 2, customer: 'c1', item: 'pear', qty: 2, price: 3, tags: ['fruit'] },
    { _id: 3, customer: 'c2', item: 'apple', qty: 1, price: 2, tags: [] },
    { _id: 4, customer: 'c3', item: 'bread', qty: 3, price: 4 },
    { _id: 5, customer: 'c2', item: 'milk', qty: 4, price: 1, tags: null },
  ]);
  await customers.insertMany([
    { _id: 'c1', name: 'Ann', favourites: ['apple', 'milk'] },
    { _id: 'c2', name: 'Bo', favourites: ['kiwi'] },
    { _id: 'c9', name: 'Nobody', favourites: ['bread'] },
  ]);
});

describe(`aggregate stages [${mongoLabel()}]`, () => {
  it('$match filters like find', async () => {
    const docs = await orders.aggregate([{ $match: { qty: { $gte: 3 } } }, { $sort: { _id: 1 } }]).toArray();
    expect(docs.map((d) => d._id)).toEqual([1, 4, 5]);
  });

  it('$group with $sum (field, expression, constant), $avg and $first', async () => {
    const docs = await orders
      .aggregate([
        { $sort: { _id: 1 } },
        {
          $group: {
            _id: '$customer',
            qty: { $sum: '$qty' },
            revenue: { $sum: { $multiply: ['$qty', '$price'] } },
            orders: { $sum: 1 },
            avgQty: { $avg: '$qty' },
            firstItem: { $first: '$item' },
          },
        },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(docs).toEqual([
      { _id: 'c1', qty: 7, revenue: 16, orders: 2, avgQty: 3.5, firstItem: 'apple' },
      { _id: 'c2', qty: 5, revenue: 6, orders: 2, avgQty: 2.5, firstItem: 'apple' },
      { _id: 'c3', qty: 3, revenue: 12, orders: 1, avgQty: 3, firstItem: 'bread' },
    ]);
  });

  it('$group $push keeps input order; $addToSet keeps unique values', async () => {
    const docs = await orders
      .aggregate([
        { $sort: { _id: -1 } },
        { $group: { _id: '$customer', items: { $push: '$item' }, prices: { $addToSet: '$price' } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(docs.map((d) => d.items)).toEqual([['pear', 'apple'], ['milk', 'apple'], ['bread']]);
    expect(docs.map((d) => sorted(d.prices))).toEqual([[2, 3], [1, 2], [4]]);
  });

  it('$group with _id null totals the whole input', async () => {
    const docs = await orders.aggregate([{ $group: { _id: null, total: { $sum: '$qty' }, n: { $sum: 1 } } }]).toArray();
    expect(docs).toEqual([{ _id: null, total: 15, n: 5 }]);
  });

  it('$group on a compound key', async () => {
    const docs = await orders
      .aggregate([{ $group: { _id: { c: '$customer', p: '$price' }, n: { $sum: 1 } } }, { $sort: { '_id.c': 1, '_id.p': 1 } }])
      .toArray();
    expect(docs.map((d) => [d._id.c, d._id.p, d.n])).toEqual([
      ['c1', 2, 1],
      ['c1', 3, 1],
      ['c2', 1, 1],
      ['c2', 2, 1],
      ['c3', 4, 1],
    ]);
  });

  it('$sort, $skip and $limit', async () => {
    const docs = await orders.aggregate([{ $sort: { qty: -1 } }, { $skip: 1 }, { $limit: 2 }]).toArray();
    expect(docs.map((d) => d._id)).toEqual([5, 4]);
  });

  it('$project includes, excludes and computes fields', async () => {
    const included = await orders
      .aggregate([{ $match: { _id: 1 } }, { $project: { _id: 0, item: 1, total: { $multiply: ['$qty', '$price'] } } }])
      .toArray();
    expect(included).toEqual([{ item: 'apple', total: 10 }]);
    const excluded = await orders.aggregate([{ $match: { _id: 4 } }, { $project: { tags: 0, price: 0, qty: 0 } }]).toArray();
    expect(excluded).toEqual([{ _id: 4, customer: 'c3', item: 'bread' }]);
  });

  it('$project that both includes and excludes fields fails with 31254', async () => {
    await expect(orders.aggregate([{ $project: { item: 1, qty: 0 } }]).toArray()).rejects.toMatchObject({ code: 31254 });
  });

  it('$addFields adds computed fields and keeps the rest', async () => {
    const docs = await orders.aggregate([{ $match: { _id: 2 } }, { $addFields: { total: { $multiply: ['$qty', '$price'] } } }]).toArray();
    expect(docs).toEqual([{ _id: 2, customer: 'c1', item: 'pear', qty: 2, price: 3, tags: ['fruit'], total: 6 }]);
  });

  it('$unwind emits one document per array element and drops empty, null and missing', async () => {
    const docs = await orders.aggregate([{ $unwind: '$tags' }, { $sort: { _id: 1, tags: 1 } }, { $project: { tags: 1 } }]).toArray();
    expect(docs).toEqual([
      { _id: 1, tags: 'fruit' },
      { _id: 1, tags: 'red' },
      { _id: 2, tags: 'fruit' },
    ]);
  });

  it('$unwind with preserveNullAndEmptyArrays keeps empty/null/missing (empty array becomes missing)', async () => {
    const docs = await orders
      .aggregate([
        { $unwind: { path: '$tags', preserveNullAndEmptyArrays: true, includeArrayIndex: 'idx' } },
        { $sort: { _id: 1, idx: 1 } },
        { $project: { tags: 1, idx: 1 } },
      ])
      .toArray();
    expect(docs).toEqual([
      { _id: 1, tags: 'fruit', idx: 0 },
      { _id: 1, tags: 'red', idx: 1 },
      { _id: 2, tags: 'fruit', idx: 0 },
      { _id: 3, idx: null },
      { _id: 4, idx: null },
      { _id: 5, tags: null, idx: null },
    ]);
  });

  it('$lookup with localField/foreignField joins matching documents (empty array when none)', async () => {
    const docs = await orders
      .aggregate([
        { $lookup: { from: 'customers', localField: 'customer', foreignField: '_id', as: 'cust' } },
        { $sort: { _id: 1 } },
        { $project: { names: '$cust.name' } },
      ])
      .toArray();
    expect(docs).toEqual([
      { _id: 1, names: ['Ann'] },
      { _id: 2, names: ['Ann'] },
      { _id: 3, names: ['Bo'] },
      { _id: 4, names: [] },
      { _id: 5, names: ['Bo'] },
    ]);
  });

  it('$lookup with an array localField matches any element', async () => {
    const docs = await customers
      .aggregate([{ $lookup: { from: 'orders', localField: 'favourites', foreignField: 'item', as: 'favOrders' } }, { $sort: { _id: 1 } }])
      .toArray();
    expect(docs.map((d) => [d._id, sorted(d.favOrders.map((o: Document) => o._id))])).toEqual([
      ['c1', [1, 3, 5]],
      ['c2', []],
      ['c9', [4]],
    ]);
  });

  it('$lookup pipeline form with let variables', async () => {
    const docs = await customers
      .aggregate([
        {
          $lookup: {
            from: 'orders',
            let: { cid: '$_id' },
            pipeline: [{ $match: { $expr: { $eq: ['$customer', '$$cid'] } } }, { $sort: { _id: 1 } }, { $project: { _id: 0, item: 1 } }],
            as: 'orders',
          },
        },
        { $sort: { _id: 1 } },
        { $project: { orders: 1 } },
      ])
      .toArray();
    expect(docs).toEqual([
      { _id: 'c1', orders: [{ item: 'apple' }, { item: 'pear' }] },
      { _id: 'c2', orders: [{ item: 'apple' }, { item: 'milk' }] },
      { _id: 'c9', orders: [] },
    ]);
  });

  it('changing joined documents after $lookup changes neither the foreign collection nor the other joins', async () => {
    const db = mongo.newDb();
    await db.collection<Doc>('people').insertMany([
      { _id: 1, city: 'osl' },
      { _id: 2, city: 'osl' },
    ]);
    await db.collection<Doc>('cities').insertOne({ _id: 'osl', name: 'Oslo' });
    const docs = await db
      .collection<Doc>('people')
      .aggregate([
        { $lookup: { from: 'cities', localField: 'city', foreignField: '_id', as: 'c' } },
        { $unwind: '$c' },
        { $set: { 'c.seen': true, 'c.by': '$_id' } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(docs.map((d) => d.c)).toEqual([
      { _id: 'osl', name: 'Oslo', seen: true, by: 1 },
      { _id: 'osl', name: 'Oslo', seen: true, by: 2 },
    ]);
    await expect(db.collection<Doc>('cities').find().toArray()).resolves.toEqual([{ _id: 'osl', name: 'Oslo' }]);
  });

  it('changing documents that $unionWith brought in leaves their collection unchanged', async () => {
    const db = mongo.newDb();
    await db.collection<Doc>('cities').insertOne({ _id: 'osl', name: 'Oslo', geo: { country: 'NO' } });
    const docs = await db
      .collection<Doc>('empty')
      .aggregate([{ $unionWith: 'cities' }, { $set: { 'geo.seen': true } }])
      .toArray();
    expect(docs).toEqual([{ _id: 'osl', name: 'Oslo', geo: { country: 'NO', seen: true } }]);
    await expect(db.collection<Doc>('cities').find().toArray()).resolves.toEqual([{ _id: 'osl', name: 'Oslo', geo: { country: 'NO' } }]);
  });

  it('$facet runs several sub-pipelines over the same input into one document', async () => {
    const docs = await orders
      .aggregate([
        {
          $facet: {
            byCustomer: [{ $group: { _id: '$customer', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
            expensive: [{ $match: { price: { $gte: 3 } } }, { $count: 'n' }],
            top: [{ $sort: { qty: -1 } }, { $limit: 1 }, { $project: { _id: 1 } }],
          },
        },
      ])
      .toArray();
    expect(docs).toEqual([
      {
        byCustomer: [
          { _id: 'c1', n: 2 },
          { _id: 'c2', n: 2 },
          { _id: 'c3', n: 1 },
        ],
        expensive: [{ n: 2 }],
        top: [{ _id: 1 }],
      },
    ]);
  });

  it('$count returns one document with the count, and nothing for empty input', async () => {
    await expect(orders.aggregate([{ $match: { price: 2 } }, { $count: 'apples' }]).toArray()).resolves.toEqual([{ apples: 2 }]);
    await expect(orders.aggregate([{ $match: { price: 999 } }, { $count: 'n' }]).toArray()).resolves.toEqual([]);
  });

  it('$match with $expr compares fields of the same document', async () => {
    const docs = await orders.aggregate([{ $match: { $expr: { $gt: ['$qty', '$price'] } } }, { $sort: { _id: 1 } }]).toArray();
    expect(docs.map((d) => d._id)).toEqual([1, 5]);
  });

  it('$group with $min, $max and $last', async () => {
    const docs = await orders
      .aggregate([
        { $sort: { _id: 1 } },
        { $group: { _id: '$customer', minQty: { $min: '$qty' }, maxQty: { $max: '$qty' }, lastItem: { $last: '$item' } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(docs).toEqual([
      { _id: 'c1', minQty: 2, maxQty: 5, lastItem: 'pear' },
      { _id: 'c2', minQty: 1, maxQty: 4, lastItem: 'milk' },
      { _id: 'c3', minQty: 3, maxQty: 3, lastItem: 'bread' },
    ]);
  });

  it('common expressions: $cond, $ifNull, $size, $arrayElemAt, $filter, $map, $in, $toUpper, $concat', async () => {
    const [doc] = await orders
      .aggregate([
        { $match: { _id: 1 } },
        {
          $project: {
            _id: 0,
            big: { $cond: [{ $gte: ['$qty', 5] }, 'yes', 'no'] },
            nick: { $ifNull: ['$nickname', 'none'] },
            nTags: { $size: '$tags' },
            firstTag: { $arrayElemAt: ['$tags', 0] },
            rTags: { $filter: { input: '$tags', as: 't', cond: { $eq: [{ $substrCP: ['$$t', 0, 1] }, 'r'] } } },
            upper: { $map: { input: '$tags', as: 't', in: { $toUpper: '$$t' } } },
            isFruit: { $in: ['fruit', '$tags'] },
            label: { $concat: ['$customer', ':', '$item'] },
          },
        },
      ])
      .toArray();
    expect(doc).toEqual({
      big: 'yes',
      nick: 'none',
      nTags: 2,
      firstTag: 'fruit',
      rTags: ['red'],
      upper: ['FRUIT', 'RED'],
      isFruit: true,
      label: 'c1:apple',
    });
  });

  it('$replaceRoot promotes an embedded document', async () => {
    const docs = await orders
      .aggregate([{ $match: { _id: 2 } }, { $replaceRoot: { newRoot: { who: '$customer', what: '$item' } } }])
      .toArray();
    expect(docs).toEqual([{ who: 'c1', what: 'pear' }]);
  });

  it('an unknown expression operator fails with 168 (InvalidPipelineOperator)', async () => {
    await expect(orders.aggregate([{ $project: { x: { $bogusExpr: 1 } } }]).toArray()).rejects.toMatchObject({ code: 168 });
  });

  it('an unknown stage fails with 40324', async () => {
    await expect(orders.aggregate([{ $bogus: {} }]).toArray()).rejects.toMatchObject({ code: 40324 });
  });
});

describe(`aggregate cursors [${mongoLabel()}]`, () => {
  const N = 3000;

  it(`an aggregate over ${N} documents with batchSize 100 returns all of them via getMore`, async () => {
    const coll = mongo.db.collection<Doc>('agg_big');
    await coll.insertMany(Array.from({ length: N }, (_, i) => ({ _id: i, v: i % 7 })));
    const docs = await coll.aggregate([{ $match: { v: { $gte: 0 } } }, { $sort: { _id: -1 } }], { batchSize: 100 }).toArray();
    expect(docs).toHaveLength(N);
    expect(docs.every((d, k) => d._id === N - 1 - k)).toBe(true);

    const session = mongo.client.startSession();
    try {
      const run = await drainRawCursor(
        mongo.db,
        session,
        { aggregate: 'agg_big', pipeline: [{ $sort: { _id: 1 } }], cursor: { batchSize: 100 } },
        500,
      );
      expect(run.firstBatchSize).toBe(100);
      expect(run.getMores).toBeGreaterThanOrEqual(Math.ceil((N - 100) / 500));
      expect(run.docs.map((d) => d._id)).toEqual(Array.from({ length: N }, (_, i) => i));
    } finally {
      await session.endSession();
    }
  });

  it('aggregate with cursor batchSize 0 returns an empty first batch and an open cursor', async () => {
    const session = mongo.client.startSession();
    try {
      const run = await drainRawCursor(mongo.db, session, { aggregate: 'orders', pipeline: [], cursor: { batchSize: 0 } });
      expect(run.firstBatchSize).toBe(0);
      expect(run.getMores).toBeGreaterThanOrEqual(1);
      expect(run.docs).toHaveLength(5);
    } finally {
      await session.endSession();
    }
  });
});
