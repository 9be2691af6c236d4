// Open cursors: a result set served in batches (by count and by MongoDB's 16 MiB batch limit),
// addressed by an unguessable id that any connection may continue, until exhausted or idle.
import { randomBytes } from 'node:crypto';
import { calculateObjectSize, Long } from 'bson';
import type { Doc } from './bson-values.js';
import { ErrorCodes, MongoCommandError } from './errors.js';

const MAX_BATCH_BYTES = 16 * 1024 * 1024;
export const DEFAULT_FIRST_BATCH = 101;

interface OpenCursor {
  id: Long;
  namespace: string;
  docs: Doc[];
  position: number;
  lastUsed: number;
}

export interface Batch {
  /** Zero when the result set is exhausted (the cursor is closed). */
  id: Long;
  namespace: string;
  docs: Doc[];
}

function takeBatch(cursor: Pick<OpenCursor, 'docs' | 'position'>, limit: number): Doc[] {
  const batch: Doc[] = [];
  let bytes = 0;
  while (cursor.position < cursor.docs.length && batch.length < limit) {
    const doc = cursor.docs[cursor.position];
    bytes += calculateObjectSize(doc, { ignoreUndefined: true });
    if (batch.length > 0 && bytes > MAX_BATCH_BYTES) break;
    batch.push(doc);
    cursor.position += 1;
  }
  return batch;
}

export class CursorRegistry {
  private readonly open = new Map<string, OpenCursor>();

  constructor(private readonly idleTimeoutMs = 10 * 60 * 1000) {}

  get size(): number {
    return this.open.size;
  }

  /** The first batch of `docs`; the rest stays behind a cursor id unless `singleBatch`. */
  start(namespace: string, docs: Doc[], batchSize: number | undefined, singleBatch = false): Batch {
    const state = { docs, position: 0 };
    const limit = batchSize === undefined ? DEFAULT_FIRST_BATCH : batchSize === 0 ? 0 : batchSize;
    const first = takeBatch(state, limit);
    if (singleBatch || state.position >= docs.length) return { id: Long.ZERO, namespace, docs: first };
    const id = this.newId();
    this.open.set(id.toString(), { id, namespace, docs, position: state.position, lastUsed: Date.now() });
    return { id, namespace, docs: first };
  }

  more(id: Long, namespace: string, batchSize: number | undefined): Batch {
    const cursor = this.open.get(id.toString());
    if (!cursor) throw new MongoCommandError(ErrorCodes.CursorNotFound, `cursor id ${id.toString()} not found`);
    if (cursor.namespace !== namespace) {
      throw new MongoCommandError(
        ErrorCodes.Unauthorized,
        `Requested getMore on namespace '${namespace}', but cursor belongs to a different namespace ${cursor.namespace}`,
      );
    }
    cursor.lastUsed = Date.now();
    const docs = takeBatch(cursor, batchSize && batchSize > 0 ? batchSize : Number.MAX_SAFE_INTEGER);
    if (cursor.position >= cursor.docs.length) {
      this.open.delete(id.toString());
      return { id: Long.ZERO, namespace, docs };
    }
    return { id: cursor.id, namespace, docs };
  }

  /** Closes the given cursors; answers which were found. */
  kill(ids: Long[]): { killed: Long[]; notFound: Long[] } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (this.open.delete(id.toString()) ? killed : notFound).push(id);
    return { killed, notFound };
  }

  closeIdle(now = Date.now()): void {
    for (const [key, cursor] of this.open) if (now - cursor.lastUsed > this.idleTimeoutMs) this.open.delete(key);
  }

  clear(): void {
    this.open.clear();
  }

  private newId(): Long {
    for (;;) {
      const bytes = randomBytes(8);
      bytes[7] &= 0x7f; // positive, as MongoDB's cursor ids are
      const id = Long.fromBytesLE([...bytes]);
      if (!id.isZero() && !this.open.has(id.toString())) return id;
    }
  }
}
