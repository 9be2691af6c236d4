// Schema validation with $jsonSchema validators: rejection codes, collMod, warn mode, bypass.
import { describe, it, expect } from 'vitest';
import type { CollectionInfo, Document } from 'mongodb';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
import { failure, type Doc } from './helpers.js';

const mongo = useTestMongo();
let counter = 0;

const SCHEMA: Document = {
  $jsonSchema: {
    bsonType: 'object',
    required: ['name', 'status'],
    properties: {
      name: { bsonType: 'string' },
      status: { enum: ['active', 'inactive'] },
      age: { bsonType: 'number', minimum: 0 },
      addresses: {
        bsonType: 'array',
        items: {
          bsonType: 'object',
          required: ['city'],
          properties: { city: { bsonType: 'string' }, zip: { bsonType: 'string' } },
        },
      },
    },
  },
};

const VALID = { name: 'Ann', status: 'active', age: 30, addresses: [{ city: 'Oslo', zip: '0150' }, { city: 'Bergen' }] };

async function validated(options: Document = {}) {
  const name = `val_${++counter}`;
  await mongo.db.createCollection(name, { validator: SCHEMA, ...options });
  return mongo.db.collection<Doc>(name);
}

describe(`document validation [${mongoLabel()}]`, () => {
  it('a valid document passes the $jsonSchema validator', async () => {
    const coll = await validated();
    await expect(coll.insertOne({ ...VALID })).resolves.toMatchObject({ acknowledged: true });
    await expect(coll.insertOne({ name: 'Bo', status: 'inactive' })).resolves.toMatchObject({ acknowledged: true });
    await expect(coll.countDocuments()).resolves.toBe(2);
  });

  it('a missing required field fails with 121 (DocumentValidationFailure) and errInfo', async () => {
    const coll = await validated();
    const err = await failure(coll.insertOne({ _id: 'bad', name: 'NoStatus' }));
    expect(err.code).toBe(121);
    expect(err.errInfo).toBeTypeOf('object');
    expect(err.errInfo?.failingDocumentId).toBe('bad');
    await expect(coll.countDocuments()).resolves.toBe(0);
  });

  it('a wrong bsonType fails with 121', async () => {
    const coll = await validated();
    await expect(coll.insertOne({ ...VALID, name: 42 })).rejects.toMatchObject({ code: 121 });
    await expect(coll.insertOne({ ...VALID, age: 'thirty' })).rejects.toMatchObject({ code: 121 });
  });

  it('a value outside the enum fails with 121', async () => {
    const coll = await validated();
    await expect(coll.insertOne({ ...VALID, status: 'deleted' })).rejects.toMatchObject({ code: 121 });
  });

  it('minimum is enforced (121)', async () => {
    const coll = await validated();
    await expect(coll.insertOne({ ...VALID, age: -1 })).rejects.toMatchObject({ code: 121 });
  });

  it('nested arrays of objects are validated element by element (121)', async () => {
    const coll = await validated();
    await expect(coll.insertOne({ ...VALID, addresses: [{ city: 'Oslo' }, { zip: '1234' }] })).rejects.toMatchObject({ code: 121 });
    await expect(coll.insertOne({ ...VALID, addresses: [{ city: 7 }] })).rejects.toMatchObject({ code: 121 });
    await expect(coll.insertOne({ ...VALID, addresses: 'Oslo' })).rejects.toMatchObject({ code: 121 });
    await expect(coll.insertOne({ ...VALID, addresses: [] })).resolves.toMatchObject({ acknowledged: true });
  });

  it('insertMany of an invalid document reports 121 in writeErrors', async () => {
    const coll = await validated();
    await expect(coll.insertMany([{ ...VALID }, { name: 'x' }], { ordered: true })).rejects.toMatchObject({ code: 121 });
    await expect(coll.countDocuments()).resolves.toBe(1);
  });

  it('an update that makes a document invalid fails with 121 and changes nothing', async () => {
    const coll = await validated();
    await coll.insertOne({ _id: 1, ...VALID });
    await expect(coll.updateOne({ _id: 1 }, { $set: { status: 'bogus' } })).rejects.toMatchObject({ code: 121 });
    await expect(coll.updateOne({ _id: 1 }, { $unset: { name: '' } })).rejects.toMatchObject({ code: 121 });
    await expect(coll.replaceOne({ _id: 1 }, { name: 'only' })).rejects.toMatchObject({ code: 121 });
    await expect(coll.findOne({ _id: 1 })).resolves.toEqual({ _id: 1, ...VALID });
  });

  it('a valid update passes', async () => {
    const coll = await validated();
    await coll.insertOne({ _id: 1, ...VALID });
    await expect(coll.updateOne({ _id: 1 }, { $set: { status: 'inactive' } })).resolves.toMatchObject({ modifiedCount: 1 });
  });

  it('findOneAndUpdate producing an invalid document fails with 121', async () => {
    const coll = await validated();
    await coll.insertOne({ _id: 1, ...VALID });
    await expect(coll.findOneAndUpdate({ _id: 1 }, { $set: { age: -5 } })).rejects.toMatchObject({ code: 121 });
  });

  it('collMod replaces the validator; a previously rejected document is then accepted', async () => {
    const coll = await validated();
    const doc = { name: 'Later', status: 'archived' };
    await expect(coll.insertOne({ ...doc })).rejects.toMatchObject({ code: 121 });
    const relaxed = { $jsonSchema: { bsonType: 'object', required: ['name'] } };
    await expect(mongo.db.command({ collMod: coll.collectionName, validator: relaxed })).resolves.toMatchObject({ ok: 1 });
    await expect(coll.insertOne({ ...doc })).resolves.toMatchObject({ acknowledged: true });
    await expect(coll.insertOne({ status: 'active' })).rejects.toMatchObject({ code: 121 });
  });

  it('validationAction "warn" accepts invalid documents', async () => {
    const coll = await validated({ validationAction: 'warn' });
    await expect(coll.insertOne({ name: 5 })).resolves.toMatchObject({ acknowledged: true });
    await expect(coll.countDocuments()).resolves.toBe(1);
  });

  it('collMod can switch validationAction to "warn"', async () => {
    const coll = await validated();
    await expect(coll.insertOne({ bad: true })).rejects.toMatchObject({ code: 121 });
    await mongo.db.command({ collMod: coll.collectionName, validationAction: 'warn' });
    await expect(coll.insertOne({ bad: true })).resolves.toMatchObject({ acknowledged: true });
  });

  it('bypassDocumentValidation: true accepts an invalid insert and update', async () => {
    const coll = await validated();
    await expect(coll.insertOne({ _id: 1, bad: true }, { bypassDocumentValidation: true })).resolves.toMatchObject({ acknowledged: true });
    await coll.insertOne({ _id: 2, ...VALID });
    await expect(coll.updateOne({ _id: 2 }, { $set: { status: 'bogus' } }, { bypassDocumentValidation: true })).resolves.toMatchObject({
      modifiedCount: 1,
    });
    await expect(coll.countDocuments()).resolves.toBe(2);
  });

  it('listCollections shows the validator in options', async () => {
    const coll = await validated();
    const [info] = (await mongo.db.listCollections({ name: coll.collectionName }).toArray()) as CollectionInfo[];
    expect(info?.options?.validator).toEqual(SCHEMA);
  });

  it('a query-operator validator (no $jsonSchema) is enforced too', async () => {
    const name = `val_${++counter}`;
    await mongo.db.createCollection(name, { validator: { qty: { $gte: 0 }, sku: { $type: 'string' } } });
    const coll = mongo.db.collection<Doc>(name);
    await expect(coll.insertOne({ qty: 3, sku: 'a' })).resolves.toMatchObject({ acknowledged: true });
    await expect(coll.insertOne({ qty: -3, sku: 'a' })).rejects.toMatchObject({ code: 121 });
    await expect(coll.insertOne({ qty: 3 })).rejects.toMatchObject({ code: 121 });
  });
});
