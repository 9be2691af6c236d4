// Appending to the hash chains: which requests' events are written together, and when the chain
// heads move on. A round (audit-round.ts) writes any number of streams in three commands: their
// heads read with one find, the entries in one ordered insertMany, the heads moved on in one bulk
// write.
//
// Within one process, a stream is written by one round at a time; requests that arrive meanwhile
// for it wait and are then written together (group commit): twenty concurrent readers of one
// patient cost two rounds, not twenty racing each other for the same seq. Rounds over disjoint
// streams run in parallel. Across processes, the unique {stream, seq} index decides every race.
//
// Crash safety: entries first, heads after. A head only ever names an entry that is stored (or,
// after a tamperer deletes it, was), so a process that dies between the insert and the head update
// leaves heads that lag behind their chains, never ahead of them, and every chain intact. The next
// appender to such a stream links after the stale head, collides with the stored seq, reads that
// stream's newest entry from the log and moves the head on: the stream is repaired by its next
// write, at the cost of one more round for it. A missing head (a new stream, or one written before
// heads existed) is likewise rebuilt from the newest entry of the log, never restarted at seq 1.
// Verification reads the entries, never the heads, except to find newest entries deleted.
//
// A request is answered once its entries are stored; the head update runs after that, still
// holding its streams, so the next round on them in this process reads the moved head.
import { AppendRound, DEFAULT_RETRY, type RetryPolicy, type RoundResult, type StreamOutcome } from './audit-round.js';
import type { PreparedEvent } from './audit-event.js';
import type { AuditRepository } from './audit.repository.js';

export { DEFAULT_RETRY, type RetryPolicy, type StreamOutcome } from './audit-round.js';

interface Waiter {
  byStream: ReadonlyMap<string, PreparedEvent[]>;
  resolve(outcomes: StreamOutcome[]): void;
}

export class AuditWriter {
  private waiting: Waiter[] = [];
  /** Streams a round of this process is writing. */
  private readonly busy = new Set<string>();
  private readonly rounds = new Set<Promise<void>>();

  constructor(
    private readonly repository: AuditRepository,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  /**
   * Writes the events of one request (each stream's in order, after whatever this process already
   * queued for that stream). Outcomes in the order of `byStream`. Never throws.
   */
  writeStreams(byStream: ReadonlyMap<string, PreparedEvent[]>): Promise<StreamOutcome[]> {
    if (byStream.size === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      this.waiting.push({ byStream, resolve });
      this.startRounds();
    });
  }

  /** Resolves once every round under way, head updates included, has ended (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.rounds.size > 0) await Promise.allSettled([...this.rounds]);
  }

  /**
   * Starts one round with every waiting request whose streams are all free, in arrival order: a
   * request held back by a busy stream also holds back later requests for any of its streams.
   */
  private startRounds(): void {
    const held = new Set(this.busy);
    const batch: Waiter[] = [];
    const later: Waiter[] = [];
    for (const waiter of this.waiting) {
      const streams = [...waiter.byStream.keys()];
      if (streams.some((stream) => held.has(stream))) {
        for (const stream of streams) held.add(stream);
        later.push(waiter);
      } else {
        batch.push(waiter);
      }
    }
    if (batch.length === 0) return;
    this.waiting = later;
    const merged = new Map<string, PreparedEvent[]>();
    for (const waiter of batch) {
      for (const [stream, events] of waiter.byStream) merged.set(stream, [...(merged.get(stream) ?? []), ...events]);
    }
    for (const stream of merged.keys()) this.busy.add(stream);
    const round = this.runRound(batch, merged).finally(() => {
      for (const stream of merged.keys()) this.busy.delete(stream);
      this.rounds.delete(round);
      this.startRounds();
    });
    this.rounds.add(round);
  }

  private async runRound(batch: Waiter[], merged: Map<string, PreparedEvent[]>): Promise<void> {
    let result: RoundResult;
    try {
      result = await new AppendRound(this.repository, this.retry, merged).run();
    } catch (error) {
      // A bug, not a database answer; still, no waiter may hang and nothing may pass as written.
      const refused = { kind: 'refused' as const, cause: error };
      result = {
        outcomes: new Map([...merged].map(([stream, events]) => [stream, { receipts: [], unwritten: events, failure: refused }])),
        stored: [],
      };
    }
    for (const waiter of batch) waiter.resolve([...waiter.byStream].map(([stream, events]) => share(result.outcomes.get(stream)!, events)));
    // A head that does not move now lags: the next write to its stream repairs it (see above).
    await this.repository.advanceHeads(result.stored).catch(() => undefined);
  }
}

/** One request's part of a stream's outcome. */
function share(outcome: StreamOutcome, events: readonly PreparedEvent[]): StreamOutcome {
  const mine = new Set(events.map((event) => event.id));
  const unwritten = outcome.unwritten.filter((event) => mine.has(event.id));
  return {
    receipts: outcome.receipts.filter((receipt) => mine.has(receipt.id)),
    unwritten,
    ...(unwritten.length > 0 && outcome.failure ? { failure: outcome.failure } : {}),
  };
}
