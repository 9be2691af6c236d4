// Handshake and administrative commands: what a driver sees when it connects and manages namespaces.
import { describe, it, expect, inject } from 'vitest';
import { MongoClient, ServerApiVersion, type CreateCollectionOptions } from 'mongodb';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
import { failure, skipUnlessStandalone, type Doc } from './helpers.js';

const mongo = useTestMongo();

describe(`handshake [${mongoLabel()}]`, () => {
  it('the driver connects (OP_QUERY/OP_MSG handshake) and a round trip over OP_MSG works', async () => {
    const coll = mongo.db.collection<Doc>('roundtrip');
    const { insertedId } = await coll.insertOne({ hello: 'world' });
    await expect(coll.findOne({ _id: insertedId })).resolves.toEqual({ _id: insertedId, hello: 'world' });
  });

  it('a client declaring a Stable API version (OP_MSG hello handshake, apiVersion on every command) works', async () => {
    const client = new MongoClient(inject('mongoUri'), { serverApi: { version: ServerApiVersion.v1 }, serverSelectionTimeoutMS: 5000 });
    try {
      await client.connect();
      const coll = client.db(mongo.db.databaseName).collection('stable_api');
      await coll.insertOne({ via: 'apiVersion 1' });
      await expect(coll.findOne({}, { projection: { _id: 0 } })).resolves.toEqual({ via: 'apiVersion 1' });
      await expect(client.db('admin').command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    } finally {
      await client.close();
    }
  });

  it('hello reports a writable primary with wire version >= 8 and a session timeout', async () => {
    const reply = await mongo.client.db('admin').command({ hello: 1 });
    expect(reply.ok).toBe(1);
    expect(reply.isWritablePrimary).toBe(true);
    expect(typeof reply.maxWireVersion).toBe('number');
    expect(reply.maxWireVersion).toBeGreaterThanOrEqual(8);
    expect(typeof reply.minWireVersion).toBe('number');
    expect(reply.minWireVersion).toBeLessThanOrEqual(reply.maxWireVersion);
    expect(typeof reply.logicalSessionTimeoutMinutes).toBe('number');
    expect(reply.logicalSessionTimeoutMinutes).toBeGreaterThan(0);
  });

  it('hello reports the standard size limits and the server time', async () => {
    const reply = await mongo.client.db('admin').command({ hello: 1 });
    expect(reply.maxBsonObjectSize).toBe(16 * 1024 * 1024);
    expect(reply.maxMessageSizeBytes).toBe(48_000_000);
    expect(reply.maxWriteBatchSize).toBe(100_000);
    expect(reply.localTime).toBeInstanceOf(Date);
    expect(Math.abs(reply.localTime.getTime() - Date.now())).toBeLessThan(60_000);
    expect(reply.readOnly).toBe(false);
  });

  it('hello on a standalone names no replica set and no mongos', async ({ skip }) => {
    await skipUnlessStandalone(mongo.client, skip);
    const reply = await mongo.client.db('admin').command({ hello: 1 });
    expect(reply.setName).toBeUndefined();
    expect(reply.msg).toBeUndefined();
  });

  it('hello is answered on any database, not only admin', async () => {
    const reply = await mongo.db.command({ hello: 1 });
    expect(reply.ok).toBe(1);
    expect(reply.isWritablePrimary).toBe(true);
  });

  it('legacy isMaster answers ismaster: true', async () => {
    const reply = await mongo.client.db('admin').command({ isMaster: 1 });
    expect(reply.ok).toBe(1);
    expect(reply.ismaster).toBe(true);
    expect(reply.maxWireVersion).toBeGreaterThanOrEqual(8);
  });

  it('legacy lower-case ismaster answers ismaster: true', async () => {
    const reply = await mongo.client.db('admin').command({ ismaster: 1 });
    expect(reply.ok).toBe(1);
    expect(reply.ismaster).toBe(true);
  });

  it('ping answers ok: 1', async () => {
    await expect(mongo.client.db('admin').command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    await expect(mongo.db.admin().ping()).resolves.toMatchObject({ ok: 1 });
  });

  it('buildInfo reports a version string and a matching versionArray', async () => {
    const info = await mongo.client.db('admin').command({ buildInfo: 1 });
    expect(info.ok).toBe(1);
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Array.isArray(info.versionArray)).toBe(true);
    expect(info.versionArray).toHaveLength(4);
    for (const part of info.versionArray) expect(Number.isInteger(part)).toBe(true);
    const [major, minor, patch] = info.version.split(/[.-]/).map(Number);
    expect(info.versionArray.slice(0, 3)).toEqual([major, minor, patch]);
  });
});

describe(`namespaces and sessions [${mongoLabel()}]`, () => {
  it('listCollections lists created collections by name with type "collection"', async () => {
    const db = mongo.newDb();
    await db.createCollection('alpha');
    await db.collection<Doc>('beta').insertOne({ x: 1 });
    const all = await db.listCollections().toArray();
    expect(all.map((c) => c.name).sort()).toEqual(['alpha', 'beta']);
    for (const c of all) expect(c.type).toBe('collection');
  });

  it('listCollections filters by name', async () => {
    const db = mongo.newDb();
    await db.createCollection('keep');
    await db.createCollection('other');
    const found = await db.listCollections({ name: 'keep' }).toArray();
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ name: 'keep', type: 'collection' });
    await expect(db.listCollections({ name: 'absent' }).toArray()).resolves.toEqual([]);
  });

  it('listCollections with nameOnly returns names', async () => {
    const db = mongo.newDb();
    await db.createCollection('only');
    const found = await db.listCollections({}, { nameOnly: true }).toArray();
    expect(found.map((c) => c.name)).toEqual(['only']);
  });

  it('createCollection on an existing name with different options fails with 48 (NamespaceExists)', async () => {
    const db = mongo.newDb();
    await db.createCollection('twice');
    await expect(db.createCollection('twice', { capped: true, size: 4096 })).rejects.toMatchObject({ code: 48 });
    await expect(db.createCollection('twice', { validator: { a: { $exists: true } } })).rejects.toMatchObject({ code: 48 });
  });

  it('createCollection on an existing name with identical options succeeds, in whatever order they are stored', async () => {
    const db = mongo.newDb();
    const validator = { a: { $exists: true } };
    await db.createCollection('again', { validator, validationLevel: 'moderate' });
    await expect(db.command({ create: 'again', validator, validationLevel: 'moderate' })).resolves.toMatchObject({ ok: 1 });
    // collMod adds the validator after the level; asking for them the other way round is still identical.
    await db.createCollection('modified', { validationLevel: 'moderate' });
    await db.command({ collMod: 'modified', validator });
    await expect(db.command({ create: 'modified', validator, validationLevel: 'moderate' })).resolves.toMatchObject({ ok: 1 });
  });

  it('createCollection with an invalid option fails alike whether or not the name exists', async () => {
    const db = mongo.newDb();
    await db.createCollection('present');
    const invalid = { validationLevel: 'sometimes' } as unknown as CreateCollectionOptions;
    const onNew = await failure(db.createCollection('absent', invalid));
    const onExisting = await failure(db.createCollection('present', invalid));
    expect(onNew.code).not.toBe(48);
    expect(onExisting.code).toBe(onNew.code);
  });

  it('drop removes the collection and its documents', async () => {
    const db = mongo.newDb();
    const coll = db.collection<Doc>('doomed');
    await coll.insertMany([{ a: 1 }, { a: 2 }]);
    await expect(coll.drop()).resolves.toBe(true);
    const names = (await db.listCollections().toArray()).map((c) => c.name);
    expect(names).not.toContain('doomed');
    await expect(coll.countDocuments()).resolves.toBe(0);
  });

  it('dropping a non-existent collection succeeds, so the driver reports true', async () => {
    // MongoDB 7.0 made this drop a no-op that answers ok: 1 (SERVER-43894); the driver says false only
    // for the NamespaceNotFound (26) that older servers gave.
    const db = mongo.newDb();
    await expect(db.collection<Doc>('never_created').drop()).resolves.toBe(true);
  });

  it('listDatabases includes a database after its first write', async () => {
    const db = mongo.newDb();
    await db.collection<Doc>('c').insertOne({ x: 1 });
    const { databases } = await mongo.client.db('admin').admin().listDatabases();
    expect(databases.map((d) => d.name)).toContain(db.databaseName);
  });

  it('dropDatabase removes the database and its collections', async () => {
    const db = mongo.newDb();
    await db.collection<Doc>('c1').insertOne({ x: 1 });
    await db.collection<Doc>('c2').insertOne({ x: 2 });
    await expect(db.dropDatabase()).resolves.toBe(true);
    const { databases } = await mongo.client.db('admin').admin().listDatabases();
    expect(databases.map((d) => d.name)).not.toContain(db.databaseName);
    await expect(db.listCollections().toArray()).resolves.toEqual([]);
  });

  it('an explicit session runs a find and endSession ends it', async () => {
    const coll = mongo.db.collection<Doc>('sessions');
    await coll.insertMany([{ s: 1 }, { s: 2 }]);
    const session = mongo.client.startSession();
    try {
      const docs = await coll.find({}, { session }).sort({ s: 1 }).toArray();
      expect(docs.map((d) => d.s)).toEqual([1, 2]);
    } finally {
      await session.endSession();
    }
    expect(session.hasEnded).toBe(true);
  });

  it('endSessions accepts session ids', async () => {
    const session = mongo.client.startSession();
    await mongo.db.collection<Doc>('sessions2').findOne({}, { session });
    const id = session.id;
    expect(id).toBeDefined();
    await expect(mongo.client.db('admin').command({ endSessions: [id] })).resolves.toMatchObject({ ok: 1 });
    await session.endSession();
  });
});
