// Index management and unique-index enforcement (E11000 duplicate key errors).
import { describe, it, expect } from 'vitest';
import type { Collection } from 'mongodb';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
import { failure, type Doc } from './helpers.js';

const mongo = useTestMongo();
let counter = 0;

const fresh = (): Collection<Doc> => mongo.db.collection<Doc>(`idx_${++counter}`);

async function uniqueEmails(): Promise<Collection<Doc>> {
  const coll = fresh();
  await coll.createIndex({ email: 1 }, { unique: true });
  await coll.insertMany([
    { _id: 1, email: 'a@x.test', name: 'A' },
    { _id: 2, email: 'b@x.test', name: 'B' },
  ]);
  return coll;
}

describe(`index management [${mongoLabel()}]`, () => {
  it('createIndex returns the generated name (field_direction) and listIndexes shows it with _id_', async () => {
    const coll = fresh();
    await coll.insertOne({ email: 'x' });
    await expect(coll.createIndex({ email: 1 })).resolves.toBe('email_1');
    await expect(coll.createIndex({ a: 1, b: -1 })).resolves.toBe('a_1_b_-1');
    const indexes = await coll.listIndexes().toArray();
    expect(indexes.map((i) => i.name).sort()).toEqual(['_id_', 'a_1_b_-1', 'email_1']);
    expect(indexes.find((i) => i.name === '_id_')?.key).toEqual({ _id: 1 });
    expect(indexes.find((i) => i.name === 'a_1_b_-1')?.key).toEqual({ a: 1, b: -1 });
  });

  it('listIndexes reports unique, sparse and custom names', async () => {
    const coll = fresh();
    await coll.createIndex({ code: 1 }, { unique: true, sparse: true, name: 'by_code' });
    const idx = (await coll.listIndexes().toArray()).find((i) => i.name === 'by_code');
    expect(idx).toMatchObject({ key: { code: 1 }, unique: true, sparse: true });
  });

  it('createIndex on a missing collection creates the collection', async () => {
    const coll = fresh();
    await coll.createIndex({ k: 1 });
    const names = (await mongo.db.listCollections({ name: coll.collectionName }).toArray()).map((c) => c.name);
    expect(names).toEqual([coll.collectionName]);
  });

  it('creating an identical index again is a no-op', async () => {
    const coll = fresh();
    await coll.createIndex({ k: 1 });
    await expect(coll.createIndex({ k: 1 })).resolves.toBe('k_1');
    await expect(coll.listIndexes().toArray()).resolves.toHaveLength(2);
  });

  it('same key under a different name fails with 85 (IndexOptionsConflict)', async () => {
    const coll = fresh();
    await coll.createIndex({ email: 1 });
    await expect(coll.createIndex({ email: 1 }, { name: 'other_name' })).rejects.toMatchObject({ code: 85 });
  });

  it('same name with a different key fails with 86 (IndexKeySpecsConflict)', async () => {
    const coll = fresh();
    await coll.createIndex({ email: 1 });
    await expect(coll.createIndex({ phone: 1 }, { name: 'email_1' })).rejects.toMatchObject({ code: 86 });
  });

  it('dropIndex removes one index by name', async () => {
    const coll = fresh();
    await coll.createIndex({ a: 1 });
    await coll.createIndex({ b: 1 });
    await coll.dropIndex('a_1');
    const names = (await coll.listIndexes().toArray()).map((i) => i.name).sort();
    expect(names).toEqual(['_id_', 'b_1']);
  });

  it('dropIndexes removes every index except _id_', async () => {
    const coll = fresh();
    await coll.createIndex({ a: 1 });
    await coll.createIndex({ b: 1 }, { unique: true });
    await expect(coll.dropIndexes()).resolves.toBe(true);
    const names = (await coll.listIndexes().toArray()).map((i) => i.name);
    expect(names).toEqual(['_id_']);
  });

  it('dropping a non-existent index fails with 27 (IndexNotFound)', async () => {
    const coll = fresh();
    await coll.insertOne({ a: 1 });
    await expect(coll.dropIndex('nope_1')).rejects.toMatchObject({ code: 27 });
  });

  it('dropping the _id_ index is refused with 72 (InvalidOptions)', async () => {
    const coll = fresh();
    await coll.insertOne({ a: 1 });
    await expect(coll.dropIndex('_id_')).rejects.toMatchObject({ code: 72 });
    const names = (await coll.listIndexes().toArray()).map((i) => i.name);
    expect(names).toContain('_id_');
  });

  it('a dropped unique index no longer rejects duplicates', async () => {
    const coll = await uniqueEmails();
    await coll.dropIndex('email_1');
    await expect(coll.insertOne({ email: 'a@x.test' })).resolves.toMatchObject({ acknowledged: true });
  });
});

describe(`unique indexes [${mongoLabel()}]`, () => {
  it('duplicate _id on insert returns 11000 with keyPattern {_id: 1}', async () => {
    const coll = fresh();
    await coll.insertOne({ _id: 7 });
    const err = await failure(coll.insertOne({ _id: 7 }));
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ _id: 1 });
    expect(err.keyValue).toEqual({ _id: 7 });
  });

  it('unique violation on insert returns 11000 with keyPattern and keyValue', async () => {
    const coll = await uniqueEmails();
    const err = await failure(coll.insertOne({ email: 'a@x.test', name: 'dup' }));
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(err.keyValue).toEqual({ email: 'a@x.test' });
    expect(err.message).toMatch(/E11000 duplicate key error/);
    await expect(coll.countDocuments({ email: 'a@x.test' })).resolves.toBe(1);
  });

  it('unique violation on updateOne ($set to a taken value) returns 11000 and leaves the doc unchanged', async () => {
    const coll = await uniqueEmails();
    const err = await failure(coll.updateOne({ _id: 2 }, { $set: { email: 'a@x.test' } }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ email: 'a@x.test' });
    await expect(coll.findOne({ _id: 2 })).resolves.toMatchObject({ email: 'b@x.test' });
  });

  it('unique violation on upsert returns 11000', async () => {
    const coll = await uniqueEmails();
    const err = await failure(coll.updateOne({ name: 'Z' }, { $set: { email: 'b@x.test' } }, { upsert: true }));
    expect(err.code).toBe(11000);
    await expect(coll.countDocuments()).resolves.toBe(2);
  });

  it('unique violation on updateMany returns 11000', async () => {
    const coll = await uniqueEmails();
    await expect(coll.updateMany({}, { $set: { email: 'same@x.test' } })).rejects.toMatchObject({ code: 11000 });
    await expect(coll.countDocuments({ email: 'same@x.test' })).resolves.toBeLessThanOrEqual(1);
  });

  it('unique violation on findOneAndUpdate returns 11000 with keyPattern and keyValue', async () => {
    const coll = await uniqueEmails();
    const err = await failure(coll.findOneAndUpdate({ _id: 1 }, { $set: { email: 'b@x.test' } }));
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(err.keyValue).toEqual({ email: 'b@x.test' });
    await expect(coll.findOne({ _id: 1 })).resolves.toMatchObject({ email: 'a@x.test' });
  });

  it('unique violation on replaceOne returns 11000', async () => {
    const coll = await uniqueEmails();
    await expect(coll.replaceOne({ _id: 1 }, { email: 'b@x.test' })).rejects.toMatchObject({ code: 11000 });
  });

  it('updating a document to keep its own unique value is not a violation', async () => {
    const coll = await uniqueEmails();
    await expect(coll.updateOne({ _id: 1 }, { $set: { email: 'a@x.test', name: 'A2' } })).resolves.toMatchObject({ matchedCount: 1 });
  });

  it('a freed unique value can be reused after delete', async () => {
    const coll = await uniqueEmails();
    await coll.deleteOne({ _id: 1 });
    await expect(coll.insertOne({ email: 'a@x.test' })).resolves.toMatchObject({ acknowledged: true });
  });

  it('compound unique index rejects only a duplicate pair', async () => {
    const coll = fresh();
    await coll.createIndex({ a: 1, b: 1 }, { unique: true });
    await coll.insertOne({ a: 1, b: 1 });
    await expect(coll.insertOne({ a: 1, b: 2 })).resolves.toMatchObject({ acknowledged: true });
    await expect(coll.insertOne({ a: 2, b: 1 })).resolves.toMatchObject({ acknowledged: true });
    const err = await failure(coll.insertOne({ a: 1, b: 1 }));
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ a: 1, b: 1 });
    expect(err.keyValue).toEqual({ a: 1, b: 1 });
  });

  it('creating a unique index over existing duplicates fails with 11000 and no index is left', async () => {
    const coll = fresh();
    await coll.insertMany([{ e: 'x' }, { e: 'x' }, { e: 'y' }]);
    await expect(coll.createIndex({ e: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    const names = (await coll.listIndexes().toArray()).map((i) => i.name);
    expect(names).toEqual(['_id_']);
  });

  it('two documents missing a unique field collide on null', async () => {
    const coll = fresh();
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.insertOne({ name: 'no email 1' });
    const err = await failure(coll.insertOne({ name: 'no email 2' }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ email: null });
  });

  it('sparse unique index lets many documents miss the field but still rejects duplicates', async () => {
    const coll = fresh();
    await coll.createIndex({ email: 1 }, { unique: true, sparse: true });
    await coll.insertMany([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await coll.insertOne({ email: 'e@x.test' });
    await expect(coll.insertOne({ email: 'e@x.test' })).rejects.toMatchObject({ code: 11000 });
    await expect(coll.countDocuments()).resolves.toBe(4);
  });

  it('partialFilterExpression unique index only constrains documents matching the filter', async () => {
    const coll = fresh();
    await coll.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await coll.insertMany([
      { email: 'p@x.test', active: false },
      { email: 'p@x.test', active: false },
      { email: 'p@x.test', active: true },
    ]);
    await expect(coll.insertOne({ email: 'p@x.test', active: true })).rejects.toMatchObject({ code: 11000 });
    await expect(coll.updateOne({ active: false }, { $set: { active: true } })).rejects.toMatchObject({ code: 11000 });
    await expect(coll.countDocuments({ email: 'p@x.test' })).resolves.toBe(3);
  });

  it('multikey unique index compares array elements across documents', async () => {
    const coll = fresh();
    await coll.createIndex({ tags: 1 }, { unique: true });
    await coll.insertOne({ tags: ['a', 'b'] });
    await expect(coll.insertOne({ tags: ['b', 'c'] })).rejects.toMatchObject({ code: 11000 });
    await expect(coll.insertOne({ tags: 'a' })).rejects.toMatchObject({ code: 11000 });
    await expect(coll.insertOne({ tags: ['c', 'd'] })).resolves.toMatchObject({ acknowledged: true });
  });

  it('multikey unique index allows repeated values inside one document', async () => {
    const coll = fresh();
    await coll.createIndex({ tags: 1 }, { unique: true });
    await expect(coll.insertOne({ tags: ['x', 'x'] })).resolves.toMatchObject({ acknowledged: true });
  });

  it('unique index on a nested field', async () => {
    const coll = fresh();
    await coll.createIndex({ 'profile.handle': 1 }, { unique: true });
    await coll.insertOne({ profile: { handle: 'h' } });
    const err = await failure(coll.insertOne({ profile: { handle: 'h', other: 1 } }));
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ 'profile.handle': 1 });
    expect(err.keyValue).toEqual({ 'profile.handle': 'h' });
  });
});
