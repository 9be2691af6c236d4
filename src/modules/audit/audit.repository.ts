// The only code that touches `audit_logs` and `audit_heads`. A request's entries cost three
// commands however many streams they belong to: the heads of those streams in one find, the
// entries in one ordered insertMany (the unique {stream, seq} index turning a race between
// appenders into a duplicate key for the loser), and the heads moved on in one unordered bulk
// write. The log itself is read only where a head is missing or known to lag (see audit-writer.ts).
import {
  MongoBulkWriteError,
  MongoServerError,
  type AggregationCursor,
  type AnyBulkWriteOperation,
  type Collection,
  type Db,
  type FindCursor,
  type Filter,
} from 'mongodb';
import type { ChainTail } from './audit-chain.js';
import { AUDIT_HEADS, AUDIT_LOGS, AT_TTL_INDEX, STREAM_SEQ_INDEX } from './audit.collections.js';
import type { AuditEntry } from './audit.types.js';

const DUPLICATE_KEY = 11000;

/** How an insertMany ended. `inserted` counts the leading entries that are stored for sure. */
export type InsertOutcome =
  | { kind: 'done' }
  /** Another appender took a seq: entries from `inserted` on were not written. */
  | { kind: 'seq-taken'; inserted: number; error: unknown }
  /** An entry's id exists already (written by an earlier attempt that seemed to fail). */
  | { kind: 'id-exists'; inserted: number; error: unknown }
  /** Anything else; `inserted` is null when it cannot be known (the reply was lost). */
  | { kind: 'failed'; inserted: number | null; error: unknown };

function firstWriteError(error: MongoBulkWriteError): { index: number; code: number; errmsg?: string } | undefined {
  const errors = Array.isArray(error.writeErrors) ? error.writeErrors : error.writeErrors ? [error.writeErrors] : [];
  const first = errors[0];
  return first ? { index: first.index, code: first.code, errmsg: first.errmsg } : undefined;
}

/** A stream's head as stored: the stream is its `_id`. */
interface HeadDocument extends ChainTail {
  _id: string;
}

/** A tail with the stream it belongs to. */
export interface StreamTail extends ChainTail {
  stream: string;
}

const toTail = (found: { seq: number; hash: string; at: Date }): ChainTail => ({ seq: found.seq, hash: found.hash, at: found.at });

/** The newest entry of each stream, grouped on the {stream, seq} index. */
const NEWEST_PER_STREAM = [
  { $sort: { stream: 1, seq: -1 } },
  { $group: { _id: '$stream', seq: { $first: '$seq' }, hash: { $first: '$hash' }, at: { $first: '$at' } } },
];

export class AuditRepository {
  private readonly logs: Collection<AuditEntry>;
  private readonly heads: Collection<HeadDocument>;

  constructor(private readonly db: Db) {
    this.logs = db.collection<AuditEntry>(AUDIT_LOGS);
    this.heads = db.collection<HeadDocument>(AUDIT_HEADS);
  }

  /** The stored heads of these streams, in one read (a stream without one is absent). */
  async headsOf(streams: readonly string[]): Promise<Map<string, ChainTail>> {
    const found = await this.heads.find({ _id: { $in: [...streams] } }).toArray();
    return new Map(found.map((head) => [head._id, toTail(head)]));
  }

  /**
   * The newest entry of each of these streams, read from the log itself in one command (a stream
   * without entries is absent): for heads that are missing (a new stream, or one written before
   * heads existed) or known to lag behind.
   */
  async logTailsOf(streams: readonly string[]): Promise<Map<string, ChainTail>> {
    const found = await this.logs.aggregate<HeadDocument>([{ $match: { stream: { $in: [...streams] } } }, ...NEWEST_PER_STREAM]).toArray();
    return new Map(found.map((tail) => [tail._id, toTail(tail)]));
  }

  /** The newest entry of every stream, in stream order: what `audit_heads` is rebuilt from. */
  allLogTails(batchSize = 1000): AggregationCursor<HeadDocument> {
    return this.logs.aggregate<HeadDocument>(NEWEST_PER_STREAM, { allowDiskUse: true, batchSize });
  }

  /**
   * Moves each stream's head on to `tail` in one unordered bulk write, never back: the update only
   * matches a head with a lower seq, and creates a missing one. A duplicate key on `_id` means the
   * head is already there or further on (another writer got there first): not an error.
   */
  async advanceHeads(tails: readonly StreamTail[]): Promise<void> {
    if (tails.length === 0) return;
    const updates: Array<AnyBulkWriteOperation<HeadDocument>> = tails.map(({ stream, seq, hash, at }) => ({
      updateOne: { filter: { _id: stream, seq: { $lt: seq } }, update: { $set: { seq, hash, at } }, upsert: true },
    }));
    try {
      await this.heads.bulkWrite(updates, { ordered: false });
    } catch (error) {
      const errors = error instanceof MongoBulkWriteError ? [error.writeErrors].flat() : [];
      if (errors.length === 0 || errors.some((writeError) => writeError.code !== DUPLICATE_KEY)) throw error;
    }
  }

  /** Inserts entries (consecutive within each stream), in order, stopping at the first refusal. */
  async insertChain(entries: AuditEntry[]): Promise<InsertOutcome> {
    try {
      await this.logs.insertMany(entries, { ordered: true });
      return { kind: 'done' };
    } catch (error) {
      if (error instanceof MongoBulkWriteError) {
        const first = firstWriteError(error);
        if (first) {
          if (first.code === DUPLICATE_KEY) {
            // The message names the index (MongoDB and the stand-in alike); when it does not, the
            // caller checks which ids exist, which is right in either case, only slower.
            const onSeq = first.errmsg?.includes(`index: ${STREAM_SEQ_INDEX} `) ?? false;
            return { kind: onSeq ? 'seq-taken' : 'id-exists', inserted: first.index, error };
          }
          return { kind: 'failed', inserted: first.index, error };
        }
        return { kind: 'failed', inserted: null, error }; // e.g. a write concern error
      }
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return { kind: 'id-exists', inserted: 0, error };
      return { kind: 'failed', inserted: null, error };
    }
  }

  /** Which of these ids are stored in these streams (after a write whose outcome is unknown), in one read. */
  async existingIds(streams: readonly string[], ids: readonly string[]): Promise<Map<string, StreamTail>> {
    const found = await this.logs
      .find({ stream: { $in: [...streams] }, _id: { $in: [...ids] } }, { projection: { _id: 1, stream: 1, seq: 1, hash: 1, at: 1 } })
      .toArray();
    return new Map(found.map((entry) => [entry._id, { stream: entry.stream, ...toTail(entry) }]));
  }

  /** A stream's entries in ascending seq order, fetched in batches. */
  streamEntries(stream: string, batchSize = 500): FindCursor<AuditEntry> {
    return this.logs.find({ stream }, { sort: { seq: 1 }, batchSize });
  }

  /** Every stream name, ascending; the server spills to disk rather than hold them in memory. */
  streams(batchSize = 1000): AggregationCursor<{ _id: string }> {
    return this.logs.aggregate<{ _id: string }>([{ $sort: { stream: 1 } }, { $group: { _id: '$stream' } }, { $sort: { _id: 1 } }], {
      allowDiskUse: true,
      batchSize,
    });
  }

  /** Newest first, keyset on seq: entries of `stream` below `beforeSeq` that match `filter`. */
  pageNewestFirst(stream: string, filter: Filter<AuditEntry>, beforeSeq: number | null, limit: number): Promise<AuditEntry[]> {
    const seq = beforeSeq === null ? {} : { seq: { $lt: beforeSeq } };
    return this.logs.find({ ...filter, stream, ...seq } as Filter<AuditEntry>, { sort: { seq: -1 }, limit }).toArray();
  }

  count(stream: string, filter: Filter<AuditEntry>): Promise<number> {
    return this.logs.countDocuments({ ...filter, stream } as Filter<AuditEntry>);
  }

  /** Changes the TTL of an existing collection (createIndexes refuses a changed expireAfterSeconds). */
  async setRetention(expireAfterSeconds: number): Promise<void> {
    await this.db.command({ collMod: AUDIT_LOGS, index: { name: AT_TTL_INDEX, expireAfterSeconds } });
  }
}
