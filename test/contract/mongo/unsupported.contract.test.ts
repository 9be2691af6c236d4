// What a standalone MongoDB refuses: transactions, change streams, unknown commands.
import { describe, it, expect } from 'vitest';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
import { settleWithin, skipUnlessStandalone, type Doc } from './helpers.js';

const mongo = useTestMongo();

/**
 * The server's own error. For a write, the Node driver replaces MongoDB's code-20 "Transaction numbers are
 * only allowed..." reply with a "does not support retryable writes" error that keeps the original as
 * `originalError`; the server behaviour pinned here is that original reply.
 */
function serverCause(error: unknown): { code?: number; message?: string } | undefined {
  const e = error as { code?: number; message?: string; originalError?: { code?: number; message?: string } } | undefined;
  return e?.code === undefined && e?.originalError ? e.originalError : e;
}

describe(`refused on a standalone server [${mongoLabel()}]`, () => {
  it('a write inside a transaction fails with 20 (IllegalOperation) and nothing is written', async ({ skip }) => {
    await skipUnlessStandalone(mongo.client, skip);
    const coll = mongo.db.collection<Doc>('txn');
    await coll.insertOne({ _id: 'before' });
    const session = mongo.client.startSession();
    try {
      session.startTransaction();
      const outcome = await settleWithin(coll.insertOne({ _id: 'in-txn' }, { session }), 10_000);
      expect(outcome.timedOut).toBeUndefined();
      const server = serverCause(outcome.error);
      expect(server).toMatchObject({ code: 20 });
      expect(String(server?.message)).toMatch(/Transaction numbers are only allowed on a replica set member or mongos/);
      await session.abortTransaction().catch(() => {});
    } finally {
      await session.endSession();
    }
    await expect(coll.findOne({ _id: 'in-txn' })).resolves.toBeNull();
    await expect(coll.countDocuments()).resolves.toBe(1);
  });

  it('a read inside a transaction fails with 20 (IllegalOperation)', async ({ skip }) => {
    await skipUnlessStandalone(mongo.client, skip);
    const coll = mongo.db.collection<Doc>('txn_read');
    await coll.insertOne({ x: 1 });
    const session = mongo.client.startSession();
    try {
      session.startTransaction();
      const outcome = await settleWithin(coll.findOne({}, { session }), 10_000);
      expect(serverCause(outcome.error)).toMatchObject({ code: 20 });
      await session.abortTransaction().catch(() => {});
    } finally {
      await session.endSession();
    }
  });

  const changeStreams = [
    ['collection', () => mongo.db.collection<Doc>('watched').watch()],
    ['database', () => mongo.db.watch()],
  ] as const;
  for (const [scope, open] of changeStreams) {
    it(`a ${scope} change stream fails with 40573 instead of hanging`, async ({ skip }) => {
      await skipUnlessStandalone(mongo.client, skip);
      await mongo.db.collection<Doc>('watched').insertOne({ x: 1 });
      const stream = open();
      try {
        const outcome = await settleWithin(stream.tryNext(), 10_000);
        expect(outcome.timedOut).toBeUndefined();
        expect(outcome.error).toMatchObject({ code: 40573 });
      } finally {
        await stream.close().catch(() => {});
      }
    });
  }

  it('an unknown command fails with 59 (CommandNotFound)', async () => {
    await expect(mongo.db.command({ noSuchCommand: 1 })).rejects.toMatchObject({
      code: 59,
      codeName: 'CommandNotFound',
      message: expect.stringMatching(/no such command/),
    });
  });

  it('the connection stays usable after refused commands', async () => {
    await mongo.db.command({ noSuchCommand: 1 }).catch(() => {});
    await expect(mongo.db.command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
  });
});
