// Appending to the hash chains. Per stream: read the tail, link the entries after it, insert them
// in one ordered insertMany (two round trips). Losing the race for a seq to another appender (any
// process) is a duplicate key on {stream, seq}: keep what was inserted, re-read the tail, retry.
// Transient failures are retried with backoff; a write whose outcome is unknown (reply lost) is
// followed by a check of which ids are stored, so a retry never records an event twice.
//
// Within one process, appends to the same stream queue behind each other and are written together
// (group commit): concurrent requests on one patient, or on the busy 'system' stream, cost one
// tail read and one insert per round instead of racing each other for the same seq.
//
// A request that touched many streams (a page of appointments, one read audit per patient) is
// written together first: the streams' tails read in parallel and one ordered insert for all of
// them (n + 1 round trips, not 2n). What that one attempt does not store (a lost race, a failure)
// goes on stream by stream through the queues above, with their retries.
import { linkEntries, type ChainTail } from './audit-chain.js';
import { isTimeout, isTransient, type AuditWriteFailure } from './audit-errors.js';
import type { PreparedEvent } from './audit-event.js';
import type { AuditRepository } from './audit.repository.js';
import type { AuditReceipt } from './audit.types.js';

export interface RetryPolicy {
  /** Lost races for the next seq before giving up ('contention'). */
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

interface Waiter {
  events: PreparedEvent[];
  /** Some of the events may be stored already (a write whose reply was lost): check before writing. */
  checkIds: boolean;
  resolve(outcome: StreamOutcome): void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class AuditWriter {
  private readonly queues = new Map<string, Waiter[]>();

  constructor(private readonly repository: AuditRepository, private readonly retry: RetryPolicy = DEFAULT_RETRY) {}

  /** Writes one stream's events, in order, after whatever this process already queued for it. Never throws. */
  write(stream: string, events: PreparedEvent[], checkIds = false): Promise<StreamOutcome> {
    return new Promise((resolve) => {
      const queued = this.queues.get(stream);
      if (queued) {
        queued.push({ events, checkIds, resolve });
        return;
      }
      const queue: Waiter[] = [{ events, checkIds, resolve }];
      this.queues.set(stream, queue);
      void this.drain(stream, queue);
    });
  }

  private async drain(stream: string, queue: Waiter[]): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, queue.length);
      const events = batch.flatMap((waiter) => waiter.events);
      let outcome: StreamOutcome;
      try {
        outcome = await this.writeStream(stream, events, batch.some((waiter) => waiter.checkIds));
      } catch (error) {
        // A bug, not a database answer; still, no waiter may hang and nothing may pass as written.
        outcome = { receipts: [], unwritten: events, failure: { kind: 'refused', cause: error } };
      }
      const receipts = new Map(outcome.receipts.map((receipt) => [receipt.id, receipt]));
      const unwritten = new Set(outcome.unwritten.map((event) => event.id));
      for (const waiter of batch) {
        const mine = waiter.events.filter((event) => unwritten.has(event.id));
        waiter.resolve({
          receipts: waiter.events.flatMap((event) => receipts.get(event.id) ?? []),
          unwritten: mine,
          ...(mine.length > 0 && outcome.failure ? { failure: outcome.failure } : {}),
        });
      }
    }
    this.queues.delete(stream);
  }

  /**
   * Writes the events of one request (each stream's in order). One stream goes through write() (and
   * its group commit); several get one attempt together, then write() for each stream with whatever
   * that attempt did not store. Outcomes in the order of `byStream`. Never throws.
   */
  async writeStreams(byStream: ReadonlyMap<string, PreparedEvent[]>): Promise<StreamOutcome[]> {
    if (byStream.size <= 1) return Promise.all([...byStream].map(([stream, events]) => this.write(stream, events)));
    const stored = new Map<string, AuditReceipt[]>();
    let outcomeUnknown = false;
    let timedOut: unknown;
    try {
      const tails = await this.repository.tailsOf([...byStream.keys()]);
      const entries = [...byStream].flatMap(([stream, events]) => linkEntries(stream, tails.get(stream) ?? null, events));
      const outcome = await this.repository.insertChain(entries);
      const inserted = outcome.kind === 'done' ? entries.length : outcome.inserted;
      outcomeUnknown = inserted === null;
      if (outcome.kind === 'failed' && isTimeout(outcome.error)) timedOut = outcome.error;
      for (const entry of entries.slice(0, inserted ?? 0)) {
        const receipts = stored.get(entry.stream) ?? [];
        receipts.push({ id: entry._id, stream: entry.stream, seq: entry.seq, hash: entry.hash });
        stored.set(entry.stream, receipts);
      }
    } catch (error) {
      // A tail could not be read: nothing was written, each stream now goes its own way.
      if (isTimeout(error)) timedOut = error;
    }
    return Promise.all([...byStream].map(async ([stream, events]): Promise<StreamOutcome> => {
      const receipts = stored.get(stream) ?? [];
      const rest = events.slice(receipts.length); // an ordered insert stores a prefix of each stream
      if (rest.length === 0) return { receipts, unwritten: [] };
      // MongoDB did not answer in time: asking again, stream by stream, would only wait again.
      if (timedOut !== undefined) return { receipts, unwritten: rest, failure: { kind: 'unavailable', cause: timedOut } };
      const outcome = await this.write(stream, rest, outcomeUnknown);
      return { ...outcome, receipts: [...receipts, ...outcome.receipts] };
    }));
  }

  private async writeStream(stream: string, events: PreparedEvent[], checkFirst: boolean): Promise<StreamOutcome> {
    const receipts: AuditReceipt[] = [];
    let pending = events;
    let conflicts = 0;
    let failures = 0;
    let checkIds = checkFirst;
    const giveUp = (kind: AuditWriteFailure, cause: unknown): StreamOutcome => ({ receipts, unwritten: pending, failure: { kind, cause } });
    const transientFailure = async (cause: unknown): Promise<StreamOutcome | undefined> => {
      if (!isTransient(cause)) return giveUp('refused', cause);
      if (isTimeout(cause)) return giveUp('unavailable', cause);
      failures += 1;
      if (failures > this.retry.maxFailures) return giveUp('unavailable', cause);
      const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (failures - 1));
      await sleep(backoff * (0.5 + Math.random() / 2));
      return undefined;
    };

    while (pending.length > 0) {
      let tail: ChainTail | null;
      try {
        if (checkIds) {
          const stored = await this.repository.existingIds(stream, pending.map((event) => event.id));
          for (const event of pending) {
            const found = stored.get(event.id);
            if (found) receipts.push({ id: event.id, stream, seq: found.seq, hash: found.hash });
          }
          pending = pending.filter((event) => !stored.has(event.id));
          checkIds = false;
          if (pending.length === 0) break;
        }
        tail = await this.repository.tail(stream);
      } catch (error) {
        const stop = await transientFailure(error);
        if (stop) return stop;
        continue;
      }

      const entries = linkEntries(stream, tail, pending);
      const outcome = await this.repository.insertChain(entries);
      const inserted = outcome.kind === 'done' ? entries.length : outcome.inserted;
      if (inserted !== null) {
        for (const entry of entries.slice(0, inserted)) receipts.push({ id: entry._id, stream, seq: entry.seq, hash: entry.hash });
        pending = pending.slice(inserted);
      }
      if (outcome.kind === 'done') break;
      if (outcome.kind === 'seq-taken' || outcome.kind === 'id-exists') {
        conflicts += 1;
        if (conflicts > this.retry.maxConflicts) return giveUp('contention', outcome.error);
        checkIds = outcome.kind === 'id-exists';
        // Someone else just appended: a short random pause spreads the next attempts apart.
        await sleep(Math.random() * Math.min(this.retry.maxDelayMs, 2 ** Math.min(conflicts, 8)));
        continue;
      }
      checkIds = inserted === null;
      const stop = await transientFailure(outcome.error);
      if (stop) return stop;
    }
    return { receipts, unwritten: [] };
  }
}
