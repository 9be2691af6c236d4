// The only code that touches `audit_logs`. Appending reads the tail of each stream, then inserts
// the linked entries (of one stream, or of all a request touched) in one ordered insertMany; the
// unique {stream, seq} index turns a race between appenders into a duplicate-key error for the
// loser, who re-reads and retries.
import { MongoBulkWriteError, MongoServerError, type AggregationCursor, type Collection, type Db, type FindCursor, type Filter } from 'mongodb';
import type { ChainTail } from './audit-chain.js';
import { AUDIT_LOGS, AT_TTL_INDEX, STREAM_SEQ_INDEX } from './audit.collections.js';
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

export class AuditRepository {
  private readonly logs: Collection<AuditEntry>;

  constructor(private readonly db: Db) {
    this.logs = db.collection<AuditEntry>(AUDIT_LOGS);
  }

  async tail(stream: string): Promise<ChainTail | null> {
    const last = await this.logs.findOne({ stream }, { sort: { seq: -1 }, projection: { seq: 1, hash: 1, at: 1 } });
    return last ? { seq: last.seq, hash: last.hash, at: last.at } : null;
  }

  /**
   * The tails of several streams (a stream with no entries is absent): one indexed read each, in
   * parallel. (One `$group` over the {stream, seq} index would be a single round trip on MongoDB,
   * but the stand-in runs it over every entry of those streams: many times slower here.)
   */
  async tailsOf(streams: readonly string[]): Promise<Map<string, ChainTail>> {
    const tails = await Promise.all(streams.map(async (stream) => [stream, await this.tail(stream)] as const));
    return new Map(tails.filter((entry): entry is readonly [string, ChainTail] => entry[1] !== null));
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

  /** Which of these ids are stored in the stream (after a write whose outcome is unknown). */
  async existingIds(stream: string, ids: readonly string[]): Promise<Map<string, { seq: number; hash: string }>> {
    const found = await this.logs.find({ stream, _id: { $in: [...ids] } }, { projection: { _id: 1, seq: 1, hash: 1 } }).toArray();
    return new Map(found.map((entry) => [entry._id, { seq: entry.seq, hash: entry.hash }]));
  }

  /** A stream's entries in ascending seq order, fetched in batches. */
  streamEntries(stream: string, batchSize = 500): FindCursor<AuditEntry> {
    return this.logs.find({ stream }, { sort: { seq: 1 }, batchSize });
  }

  /** Every stream name, ascending; the server spills to disk rather than hold them in memory. */
  streams(batchSize = 1000): AggregationCursor<{ _id: string }> {
    return this.logs.aggregate<{ _id: string }>(
      [{ $sort: { stream: 1 } }, { $group: { _id: '$stream' } }, { $sort: { _id: 1 } }],
      { allowDiskUse: true, batchSize },
    );
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
