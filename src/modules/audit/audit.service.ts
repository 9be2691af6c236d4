// The audit log: recording events (strictly, or with the spool for reads), verifying the chains,
// and the two questions the API asks of it: a patient's trail, and who viewed a patient's record.
import type { Db } from 'mongodb';
import { BadUserInputError } from '../../errors/errors.js';
import { cursorShape, decodeCursor, encodeCursor, part, toPage, type Page } from '../../graphql/connection.js';
import { ChainWalk, contentOf, isExpired } from './audit-chain.js';
import { AuditWriteError } from './audit-errors.js';
import { asEvent, prepareEvent, type PreparedEvent } from './audit-event.js';
import type { AuditAlert, AuditSpool } from './audit-spool.js';
import { AuditWriter, DEFAULT_RETRY, type RetryPolicy, type StreamOutcome } from './audit-writer.js';
import { DEFAULT_AUDIT_RETENTION_SECONDS } from './audit.collections.js';
import { AuditRepository, type StreamTail } from './audit.repository.js';
import type {
  AuditEntry,
  AuditEvent,
  AuditReceipt,
  AuditTrailEntry,
  AuditViewing,
  TrailOptions,
  VerifyAllResult,
  VerifyResult,
  ViewersOptions,
} from './audit.types.js';

export interface AuditLogOptions {
  /** What the TTL index on `at` is set to; verification accepts expiry only past it. */
  retentionSeconds?: number;
  retry?: Partial<RetryPolicy>;
  /** Where dropped or spooled events are reported (e.g. `(msg, details) => logger.error(details, msg)`). */
  alert?: AuditAlert;
  /** Where read-audit events wait while MongoDB cannot take them (durable: see audit-spool.ts). */
  spool?: AuditSpool;
  /** After a failed write or drain, how long before a request sets off another drain (the timer drains anyway). */
  retryAfterMs?: number;
  now?: () => Date;
  /** For tests: a repository to use instead of one over `db`. */
  repository?: AuditRepository;
}

const defaultAlert: AuditAlert = (message, details) =>
  console.error(JSON.stringify({ level: 'error', module: 'audit', message, ...details }));

const VIEWING_ACTIONS = ['read', 'emergency_access'] as const;

function afterSeq(list: string, after: string | null | undefined): number | null {
  if (!after) return null;
  const [, seq] = decodeCursor(after, cursorShape(part.literal(list), part.positiveInt));
  return seq;
}

function patientStream(patientId: string): string {
  if (typeof patientId !== 'string' || patientId.length === 0 || patientId.length > 128 || patientId.startsWith('system')) {
    throw new BadUserInputError([{ path: ['patientId'], message: 'is not a patient id' }]);
  }
  return patientId;
}

/** Events per drain transaction. */
const SPOOL_BATCH = 500;

export class AuditLog {
  private readonly spool: AuditSpool | undefined;
  /** The spool may hold events (a previous process may have left some: true at start). */
  private backlog = true;
  /**
   * How many spool writes of this process have committed, and how many are under way: a drain that
   * began before the last one committed (or while one was running, unseen) is not the last.
   */
  private held = 0;
  private holding = 0;
  /** Until when requests spool without trying MongoDB (ms since the epoch). */
  private quietUntil = 0;
  private readonly retryAfterMs: number;
  private readonly repository: AuditRepository;
  private readonly writer: AuditWriter;
  private readonly retentionSeconds: number;
  private readonly alert: AuditAlert;
  private readonly now: () => Date;
  private flushing: Promise<number> | undefined;

  constructor(db: Db, options: AuditLogOptions = {}) {
    this.repository = options.repository ?? new AuditRepository(db);
    this.writer = new AuditWriter(this.repository, { ...DEFAULT_RETRY, ...options.retry });
    this.retentionSeconds = options.retentionSeconds ?? DEFAULT_AUDIT_RETENTION_SECONDS;
    this.alert = options.alert ?? defaultAlert;
    this.spool = options.spool;
    this.backlog = this.spool !== undefined;
    this.retryAfterMs = options.retryAfterMs ?? 5_000;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Records a request's events: grouped by stream, the streams' heads read, and one insert for all
   * of them when nobody races it (see AuditWriter). Resolves with a receipt per event (in input order)
   * once all are stored; throws AuditWriteError when any could not be (after bounded retries),
   * and InvalidAuditEvent, before writing anything, for a malformed event.
   */
  async append(events: readonly AuditEvent[]): Promise<AuditReceipt[]> {
    const now = this.now();
    const outcome = await this.appendPrepared(events.map((event) => prepareEvent(event, now)));
    if (outcome.failure) {
      throw new AuditWriteError(outcome.failure.kind, outcome.unwritten.map(asEvent), outcome.receipts, { cause: outcome.failure.cause });
    }
    return outcome.receipts;
  }

  /**
   * For read audits: what MongoDB cannot take now waits in the durable spool (alerted) instead of
   * failing the request. While the spool may hold events, fresh ones go there too, behind them (to
   * keep each chain in the order things happened), and a drain runs in the background: a request
   * never waits for a drain, and during an outage only the first one waits for MongoDB's timeout.
   * Never use it for clinical writes: use `append`. Without a spool it is `append`.
   */
  async appendOrSpool(events: readonly AuditEvent[]): Promise<{ written: AuditReceipt[]; spooled: number }> {
    const now = this.now();
    const fresh = events.map((event) => prepareEvent(event, now)); // ids fixed now, malformed refused now
    if (!this.spool) return { written: await this.append(fresh.map(asEvent)), spooled: 0 };
    if (this.backlog) {
      const held = await this.hold(fresh.map(asEvent), 'audit events queued in the spool behind earlier ones', null);
      if (this.now().getTime() >= this.quietUntil) this.flushSpool().catch((error: unknown) => this.flushFailed(error));
      return held;
    }
    const outcome = await this.appendPrepared(fresh);
    if (!outcome.failure) return { written: outcome.receipts, spooled: 0 };
    this.backlog = true;
    this.quietUntil = this.now().getTime() + this.retryAfterMs;
    const held = await this.hold(
      outcome.unwritten.map(asEvent),
      'audit write failed; events held in the durable spool for another attempt',
      outcome.failure.kind,
    );
    return { written: outcome.receipts, spooled: held.spooled };
  }

  private async hold(events: AuditEvent[], message: string, failure: string | null): Promise<{ written: AuditReceipt[]; spooled: number }> {
    this.holding += 1;
    try {
      await this.spool!.hold(events);
    } finally {
      this.holding -= 1;
      this.held += 1;
    }
    this.alert(message, {
      ...(failure ? { failure } : {}),
      spooled: events.length,
      requestIds: [...new Set(events.map((event) => event.requestId ?? null))],
    });
    return { written: [], spooled: events.length };
  }

  private flushFailed(error: unknown): void {
    this.quietUntil = this.now().getTime() + this.retryAfterMs;
    this.alert('audit spool drain failed', { error: error instanceof Error ? error.name : typeof error });
  }

  /**
   * Writes prepared events: grouped by stream, several streams together (see AuditWriter). Receipts
   * come in input order; the failure, if any, is the first failed stream's. Never throws.
   */
  private async appendPrepared(prepared: readonly PreparedEvent[]): Promise<StreamOutcome> {
    const byStream = new Map<string, PreparedEvent[]>();
    for (const event of prepared) {
      const streamEvents = byStream.get(event.stream);
      if (streamEvents) streamEvents.push(event);
      else byStream.set(event.stream, [event]);
    }
    const outcomes = await this.writer.writeStreams(byStream);
    const receipts = new Map(outcomes.flatMap((outcome) => outcome.receipts).map((receipt) => [receipt.id, receipt]));
    const failed = outcomes.filter((outcome) => outcome.unwritten.length > 0 && outcome.failure !== undefined);
    return {
      receipts: prepared.flatMap((event) => receipts.get(event.id) ?? []),
      unwritten: failed.flatMap((outcome) => outcome.unwritten),
      ...(failed.length > 0 ? { failure: failed[0].failure } : {}),
    };
  }

  /**
   * Writes what the spool holds, oldest first, until it is empty or MongoDB fails; resolves with
   * how many were written. One flush at a time in this process (and one drain across processes).
   */
  flushSpool(): Promise<number> {
    if (!this.spool) return Promise.resolve(0);
    this.flushing ??= this.drainSpool(this.spool).finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async drainSpool(spool: AuditSpool): Promise<number> {
    let written = 0;
    for (;;) {
      const heldBefore = this.held;
      let failed: string | undefined;
      const drained = await spool.drain(async (events) => {
        const now = this.now();
        const outcome = await this.appendPrepared(events.map((event) => prepareEvent(event, now)));
        failed = outcome.failure?.kind;
        return new Set(outcome.receipts.map((receipt) => receipt.id));
      }, SPOOL_BATCH);
      if (drained === null) return written; // another process is draining: our backlog may be its
      written += drained.removed;
      if (failed) {
        this.quietUntil = this.now().getTime() + this.retryAfterMs;
        this.alert('audit spool not drained yet; MongoDB is tried again shortly', { failure: failed, drained: written });
        return written;
      }
      // Events this process spooled while the drain ran are behind it: go round again for them.
      if (!drained.more && this.held === heldBefore && this.holding === 0) {
        this.backlog = false;
        return written;
      }
    }
  }

  /** Drains the spool every `intervalMs` while it may hold events (the timer does not keep the process alive); returns stop(). */
  startSpoolTimer(intervalMs: number): () => void {
    const flush = () => {
      if (this.backlog) this.flushSpool().catch((error: unknown) => this.flushFailed(error));
    };
    const timer = setInterval(flush, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /**
   * Walks one stream in seq order recomputing every hash (see ChainWalk for what passes as expiry),
   * then compares its newest entry with the stream's head: a head further on than the newest entry
   * means entries were removed from the top, unless they had expired. (A head may lag behind its
   * chain, never run ahead of it; it is read first, so appends during the walk cannot fool this.)
   */
  async verify(stream: string): Promise<VerifyResult> {
    const cutoff = new Date(this.now().getTime() - this.retentionSeconds * 1000);
    const head = (await this.repository.headsOf([stream])).get(stream);
    const walk = new ChainWalk(stream, cutoff);
    const cursor = this.repository.streamEntries(stream);
    const reached = () => (walk.startSeq === undefined ? {} : { startSeq: walk.startSeq, headSeq: walk.headSeq });
    try {
      for await (const entry of cursor) {
        const problem = walk.next(entry);
        if (problem) return { ok: false, checked: walk.checked, ...problem, startSeq: walk.startSeq, headSeq: walk.headSeq };
      }
    } finally {
      await cursor.close();
    }
    const newest = walk.headSeq ?? 0;
    if (head && head.seq > newest && !isExpired(head.at, cutoff)) {
      return {
        ok: false,
        checked: walk.checked,
        brokenAt: newest + 1,
        reason: 'the newest entries are missing (the stream head is further on)',
        ...reached(),
      };
    }
    return { ok: true, checked: walk.checked, ...reached() };
  }

  /**
   * Sets every stream's head from the newest entry of its chain (the upgrade from a log without
   * heads; safe while requests append, as heads only move forward). Not needed for correctness: a
   * stream without a head has it rebuilt by its next write. Resolves with the streams seen.
   */
  async rebuildHeads(batchSize = 1000): Promise<number> {
    let streams = 0;
    let batch: StreamTail[] = [];
    const cursor = this.repository.allLogTails(batchSize);
    try {
      for await (const tail of cursor) {
        batch.push({ stream: tail._id, seq: tail.seq, hash: tail.hash, at: tail.at });
        if (batch.length < batchSize) continue;
        await this.repository.advanceHeads(batch);
        streams += batch.length;
        batch = [];
      }
    } finally {
      await cursor.close();
    }
    await this.repository.advanceHeads(batch);
    return streams + batch.length;
  }

  /** Resolves once every write under way has ended, its head updates included (tests, shutdown). */
  settled(): Promise<void> {
    return this.writer.settled();
  }

  /** Verifies every stream, one at a time; memory stays bounded whatever the number of streams. */
  async verifyAll(options: { maxFailures?: number } = {}): Promise<VerifyAllResult> {
    const maxFailures = options.maxFailures ?? 100;
    const result: VerifyAllResult = { ok: true, streams: 0, checked: 0, failures: [] };
    const cursor = this.repository.streams();
    try {
      for await (const { _id: stream } of cursor) {
        const verified = await this.verify(stream);
        result.streams += 1;
        result.checked += verified.checked;
        if (!verified.ok) {
          result.ok = false;
          if (result.failures.length < maxFailures) result.failures.push({ stream, brokenAt: verified.brokenAt, reason: verified.reason });
        }
      }
    } finally {
      await cursor.close();
    }
    return result;
  }

  /** Everything recorded about a patient, newest first (by seq), optionally within [from, to). */
  async trail(patientId: string, options: TrailOptions): Promise<Page<AuditTrailEntry>> {
    const stream = patientStream(patientId);
    const { first } = options;
    const after = afterSeq('trail', options.after);
    const at: Record<string, Date> = {};
    if (options.from) at.$gte = options.from;
    if (options.to) at.$lt = options.to;
    const filter = Object.keys(at).length > 0 ? { at } : {};
    const rows = await this.repository.pageNewestFirst(stream, filter, after, first + 1);
    return toPage(
      rows,
      first,
      after !== null,
      (row) => encodeCursor(['trail', row.seq]),
      toTrailEntry,
      () => this.repository.count(stream, filter),
    );
  }

  /**
   * Who viewed a patient's record: successful reads and emergency (break-glass) accesses by anyone
   * other than the patient, newest first. Anonymous accesses are included (viewer null).
   */
  async viewers(patientId: string, options: ViewersOptions): Promise<Page<AuditViewing>> {
    const stream = patientStream(patientId);
    const { first } = options;
    const after = afterSeq('viewers', options.after);
    const filter = { action: { $in: [...VIEWING_ACTIONS] }, result: 'success' as const, 'actor.userId': { $ne: patientId } };
    const rows = await this.repository.pageNewestFirst(stream, filter, after, first + 1);
    return toPage(
      rows,
      first,
      after !== null,
      (row) => encodeCursor(['viewers', row.seq]),
      toViewing,
      () => this.repository.count(stream, filter),
    );
  }

  /** Changes the retention of an existing collection (the spec only sets it at creation). */
  setRetention(expireAfterSeconds: number): Promise<void> {
    return this.repository.setRetention(expireAfterSeconds);
  }
}

function toTrailEntry(entry: AuditEntry): AuditTrailEntry {
  return { ...contentOf(entry), seq: entry.seq, hash: entry.hash };
}

function toViewing(entry: AuditEntry): AuditViewing {
  return {
    id: entry._id,
    viewer: entry.actor,
    onBehalfOf: entry.onBehalfOf,
    at: entry.at,
    action: entry.action as AuditViewing['action'],
    purpose: entry.purpose,
    resource: entry.resource,
    fields: entry.fields,
  };
}
