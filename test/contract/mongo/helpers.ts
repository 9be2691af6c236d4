// Small helpers shared by the MongoDB contract tests. Not a test file itself.
import { expect, type TestContext } from 'vitest';
import { Long, MongoServerError, type ObjectId, type ClientSession, type Db, type Document, type MongoClient } from 'mongodb';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `intervalMs` until it returns true or `timeoutMs` passes; returns the last result. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

/** Settles `promise` within `ms`: the value, the thrown error, or the string 'timeout'. */
export async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<{ value?: T; error?: unknown; timedOut?: true }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ timedOut: true }>((resolve) => {
    timer = setTimeout(() => resolve({ timedOut: true }), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A cursor id from a raw command reply, as the int64 MongoDB expects back in getMore/killCursors. */
export function asCursorId(id: unknown): Long {
  if (Long.isLong(id)) return id;
  if (typeof id === 'bigint') return Long.fromBigInt(id);
  if (typeof id === 'number') return Long.fromNumber(id);
  throw new Error(`not a cursor id: ${String(id)}`);
}

/**
 * Runs a raw find/aggregate command and drains its cursor with getMore, all in one explicit session
 * (MongoDB only lets a cursor be continued from the session that created it).
 */
export async function drainRawCursor(
  db: Db,
  session: ClientSession,
  command: Document,
  getMoreBatchSize?: number,
): Promise<{ docs: Document[]; firstBatchSize: number; getMores: number; batchSizes: number[] }> {
  const first = await db.command(command, { session, promoteLongs: false });
  const collection = String(first.cursor.ns).slice(db.databaseName.length + 1);
  const docs: Document[] = [...first.cursor.firstBatch];
  const batchSizes: number[] = [first.cursor.firstBatch.length];
  let id = asCursorId(first.cursor.id);
  let getMores = 0;
  while (!id.isZero()) {
    const more = await db.command(
      { getMore: id, collection, ...(getMoreBatchSize ? { batchSize: getMoreBatchSize } : {}) },
      { session, promoteLongs: false },
    );
    getMores += 1;
    docs.push(...more.cursor.nextBatch);
    batchSizes.push(more.cursor.nextBatch.length);
    id = asCursorId(more.cursor.id);
    if (getMores > 10_000) throw new Error('cursor never finished');
  }
  return { docs, firstBatchSize: first.cursor.firstBatch.length, getMores, batchSizes };
}

/** True when some node of an explain plan tree has `stage === name`. */
export function planHasStage(plan: unknown, name: string): boolean {
  if (Array.isArray(plan)) return plan.some((p) => planHasStage(p, name));
  if (plan === null || typeof plan !== 'object') return false;
  const node = plan as Record<string, unknown>;
  if (node.stage === name) return true;
  return Object.values(node).some((v) => planHasStage(v, name));
}

/** Sorted copy, for comparing sets of values whose order MongoDB does not promise (numbers by value). */
export const sorted = <T>(values: T[]): T[] =>
  [...values].sort((a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  });

/** The server's error from a promise that must be refused. */
export async function failure(promise: Promise<unknown>): Promise<MongoServerError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MongoServerError);
  return err as MongoServerError;
}

/**
 * Skips the running test on a replica-set member: it pins what only a standalone server does, and
 * the suite also runs against the one-node replica set of docker-compose.yml.
 */
export async function skipUnlessStandalone(client: MongoClient, skip: TestContext['skip']): Promise<void> {
  const { setName } = await client.db('admin').command({ hello: 1 });
  if (setName !== undefined) skip(`pins standalone behaviour; this server is a member of replica set '${String(setName)}'`);
}

/** A schema-less document whose _id may be of any BSON type (the tests use numbers and strings too). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Doc = { _id?: ObjectId | string | number; [key: string]: any };
