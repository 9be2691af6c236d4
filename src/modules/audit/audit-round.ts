// One round of appending: the events of one or more requests, for any number of streams, written
// in a number of MongoDB commands that does not grow with the streams:
//   1. the heads of every stream: one find (`audit_heads`, `_id` $in);
//   2. only for streams without a head (new, or written before heads existed) or whose head is
//      known to lag: their newest entry from the log itself, one aggregate for all of them;
//   3. every entry, linked after its stream's tail, in one ordered insertMany.
// The writer (audit-writer.ts) then moves the heads on, in one bulk write.
//
// Losing the race for a seq to another appender (any process) is a duplicate key on
// {stream, seq}: what the ordered insert stored before it is kept, the losing stream's tail is read
// again from the log (its head may lag behind the winner's entries), and only what is left is
// linked and inserted again. A failure of one stream's entry with a known position (a validator, a
// shard) sends that stream to the back of the next attempt, so the others get through; transient
// failures are retried with backoff; a write whose outcome is unknown (reply lost) is followed by a
// check of which ids are stored, so a retry never records an event twice.
import { linkEntries, type ChainTail } from './audit-chain.js';
import { isTimeout, isTransient, type AuditWriteFailure } from './audit-errors.js';
import type { PreparedEvent } from './audit-event.js';
import type { AuditRepository, StreamTail } from './audit.repository.js';
import type { AuditEntry, AuditReceipt } from './audit.types.js';

export interface RetryPolicy {
  /** Lost races for a stream's next seq before giving up on it ('contention'). */
  maxConflicts: number;
  /** Transient failures before giving up ('unavailable'). */
  maxFailures: number;
  /** First backoff after a transient failure; doubles each time, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxConflicts: 32, maxFailures: 4, baseDelayMs: 25, maxDelayMs: 500 };

export interface StreamOutcome {
  receipts: AuditReceipt[];
  unwritten: PreparedEvent[];
  failure?: { kind: AuditWriteFailure; cause: unknown };
}

export interface RoundResult {
  outcomes: Map<string, StreamOutcome>;
  /** The newest entry this round stored in each stream: where its head moves to. */
  stored: StreamTail[];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const newer = (a: ChainTail | undefined, b: ChainTail | undefined) => (!a || (b && b.seq > a.seq) ? b : a);

export class AppendRound {
  private readonly pending: Map<string, PreparedEvent[]>;
  private readonly outcomes = new Map<string, StreamOutcome>();
  /** The best known tail of each stream (absent: none, the chain starts at the genesis hash). */
  private readonly tails = new Map<string, ChainTail>();
  private readonly stored = new Map<string, ChainTail>();
  /** Streams whose tail must be read from the log before the next insert. */
  private readonly fromLog = new Set<string>();
  private readonly conflicts = new Map<string, number>();
  private headsRead = false;
  private checkIds = false;
  private failures = 0;

  constructor(
    private readonly repository: AuditRepository,
    private readonly retry: RetryPolicy,
    byStream: ReadonlyMap<string, PreparedEvent[]>,
  ) {
    this.pending = new Map([...byStream].filter(([, events]) => events.length > 0).map(([stream, events]) => [stream, [...events]]));
    for (const stream of byStream.keys()) this.outcomes.set(stream, { receipts: [], unwritten: [] });
  }

  /** Writes everything it can; never throws. */
  async run(): Promise<RoundResult> {
    while (this.pending.size > 0) {
      try {
        if (this.checkIds && (await this.keepStored()) === 0) continue;
        await this.readTails();
      } catch (error) {
        await this.failed(error, null);
        continue;
      }
      const entries = [...this.pending].flatMap(([stream, events]) => linkEntries(stream, this.tails.get(stream) ?? null, events));
      const outcome = await this.repository.insertChain(entries);
      const inserted = outcome.kind === 'done' ? entries.length : outcome.inserted;
      if (inserted !== null) this.markStored(entries.slice(0, inserted));
      if (outcome.kind === 'done') break;
      const at = inserted === null ? undefined : entries[inserted]?.stream;
      if (outcome.kind === 'seq-taken' || outcome.kind === 'id-exists') {
        // Someone else appended to `at` (its head may not say so yet): read its tail from the log.
        if (outcome.kind === 'seq-taken' && at !== undefined) this.fromLog.add(at);
        else this.checkIds = true;
        await this.conflict(at, outcome.error);
        continue;
      }
      this.checkIds = inserted === null;
      await this.failed(outcome.error, at ?? null);
    }
    return { outcomes: this.outcomes, stored: [...this.stored].map(([stream, tail]) => ({ stream, ...tail })) };
  }

  /** After a write whose outcome is unknown: takes the events found stored out of `pending`. */
  private async keepStored(): Promise<number> {
    const ids = [...this.pending.values()].flatMap((events) => events.map((event) => event.id));
    const found = await this.repository.existingIds([...this.pending.keys()], ids);
    this.checkIds = false;
    for (const [stream, events] of this.pending) {
      const storedHere = events.flatMap((event) => {
        const entry = found.get(event.id);
        return entry && entry.stream === stream ? [{ _id: event.id, stream, seq: entry.seq, hash: entry.hash, at: entry.at }] : [];
      });
      this.markStored(storedHere.sort((a, b) => a.seq - b.seq));
    }
    return this.pending.size;
  }

  private async readTails(): Promise<void> {
    if (!this.headsRead) {
      const streams = [...this.pending.keys()];
      const heads = await this.repository.headsOf(streams);
      this.headsRead = true;
      for (const stream of streams) {
        const head = heads.get(stream);
        if (head) this.tails.set(stream, newer(this.tails.get(stream), head)!);
        else if (!this.stored.has(stream)) this.fromLog.add(stream);
      }
    }
    const fromLog = [...this.fromLog].filter((stream) => this.pending.has(stream));
    if (fromLog.length === 0) return;
    const found = await this.repository.logTailsOf(fromLog);
    this.fromLog.clear();
    for (const stream of fromLog) {
      const tail = newer(this.tails.get(stream), found.get(stream));
      if (tail) this.tails.set(stream, tail);
    }
  }

  /** Entries (or events found stored) in chain order: receipts, tails, and what is left to write. */
  private markStored(entries: ReadonlyArray<Pick<AuditEntry, '_id' | 'stream' | 'seq' | 'hash' | 'at'>>): void {
    for (const entry of entries) {
      this.outcomes.get(entry.stream)!.receipts.push({ id: entry._id, stream: entry.stream, seq: entry.seq, hash: entry.hash });
      const tail = { seq: entry.seq, hash: entry.hash, at: entry.at };
      this.tails.set(entry.stream, newer(this.tails.get(entry.stream), tail)!);
      this.stored.set(entry.stream, newer(this.stored.get(entry.stream), tail)!);
      const left = this.pending.get(entry.stream)!.filter((event) => event.id !== entry._id);
      if (left.length > 0) this.pending.set(entry.stream, left);
      else this.pending.delete(entry.stream);
    }
  }

  private giveUp(streams: Iterable<string>, kind: AuditWriteFailure, cause: unknown): void {
    for (const stream of [...streams]) {
      const outcome = this.outcomes.get(stream)!;
      outcome.unwritten = this.pending.get(stream) ?? [];
      outcome.failure = { kind, cause };
      this.pending.delete(stream);
    }
  }

  private async conflict(stream: string | undefined, cause: unknown): Promise<void> {
    const key = stream ?? '';
    const conflicts = (this.conflicts.get(key) ?? 0) + 1;
    this.conflicts.set(key, conflicts);
    if (conflicts > this.retry.maxConflicts) {
      this.giveUp(stream === undefined ? this.pending.keys() : [stream], 'contention', cause);
      return;
    }
    // Someone else just appended: a short random pause spreads the next attempts apart.
    await sleep(Math.random() * Math.min(this.retry.maxDelayMs, 2 ** Math.min(conflicts, 8)));
  }

  /** A failed command; `stream` is the one whose entry failed, when the reply says so. */
  private async failed(cause: unknown, stream: string | null): Promise<void> {
    if (!isTransient(cause)) {
      this.giveUp(stream === null ? this.pending.keys() : [stream], 'refused', cause);
      return;
    }
    // MongoDB did not answer in time: asking again would only wait again.
    if (isTimeout(cause)) {
      this.giveUp(this.pending.keys(), 'unavailable', cause);
      return;
    }
    if (stream !== null && this.pending.size > 1) {
      const events = this.pending.get(stream)!;
      this.pending.delete(stream);
      this.pending.set(stream, events); // last in the next attempt, behind the others
    }
    this.failures += 1;
    if (this.failures > this.retry.maxFailures) {
      this.giveUp(this.pending.keys(), 'unavailable', cause);
      return;
    }
    const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (this.failures - 1));
    await sleep(backoff * (0.5 + Math.random() / 2));
  }
}
