// The audit log: recording events (strictly, or with the spool for reads), verifying the chains,
// and the two questions the API asks of it: a patient's trail, and who viewed a patient's record.
import type { Db } from 'mongodb';
import { BadUserInputError } from '../../errors/errors.js';
import { cursorShape, decodeCursor, encodeCursor, part, toPage, type Page } from '../../graphql/connection.js';
import { ChainWalk, contentOf } from './audit-chain.js';
import { AuditWriteError } from './audit-errors.js';
import { asEvent, prepareEvent, type PreparedEvent } from './audit-event.js';
import { MemoryAuditSpool, type AuditAlert, type AuditSpool } from './audit-spool.js';
import { AuditWriter, DEFAULT_RETRY, type RetryPolicy, type StreamOutcome } from './audit-writer.js';
import { DEFAULT_AUDIT_RETENTION_SECONDS } from './audit.collections.js';
import { AuditRepository } from './audit.repository.js';
import type {
  AuditEntry, AuditEvent, AuditReceipt, AuditTrailEntry, AuditViewing, TrailOptions, VerifyAllResult, VerifyResult, ViewersOptions,
} from './audit.types.js';

export interface AuditLogOptions {
  /** What the TTL index on `at` is set to; verification accepts expiry only past it. */
  retentionSeconds?: number;
  retry?: Partial<RetryPolicy>;
  /** Where dropped or spooled events are reported (e.g. `(msg, details) => logger.error(details, msg)`). */
  alert?: AuditAlert;
  /** Holds read-audit events that could not be written yet; a bounded in-memory one by default. */
  spool?: AuditSpool;
  now?: () => Date;
  /** For tests: a repository to use instead of one over `db`. */
  repository?: AuditRepository;
}

const defaultAlert: AuditAlert = (message, details) => console.error(JSON.stringify({ level: 'error', module: 'audit', message, ...details }));

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

export class AuditLog {
  readonly spool: AuditSpool;
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
    this.spool = options.spool ?? new MemoryAuditSpool({ alert: this.alert });
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Records a request's events: grouped by stream, each stream's tail read, and one insert for all
   * of them when nobody races it. Resolves with a receipt per event (in input order)
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
   * For read audits: also re-attempts whatever the spool holds, and spools (rather than throws)
   * what cannot be written now, alerting. Never use it for clinical writes: use `append`.
   */
  async appendOrSpool(events: readonly AuditEvent[]): Promise<{ written: AuditReceipt[]; spooled: number }> {
    const now = this.now();
    const fresh = events.map((event) => prepareEvent(event, now)); // ids fixed now, malformed refused now
    const held = this.spool.take();
    let outcome: StreamOutcome;
    try {
      // The spool holds events as callers could pass them (a custom spool may have stored them
      // anywhere): they are checked again before they are written.
      outcome = await this.appendPrepared([...held.map((event) => prepareEvent(event, now)), ...fresh]);
    } catch (error) {
      this.spool.hold([...held, ...fresh.map(asEvent)]);
      throw error;
    }
    if (!outcome.failure) return { written: outcome.receipts, spooled: 0 };
    const unwritten = outcome.unwritten.map(asEvent);
    this.spool.hold(unwritten);
    this.alert('audit write failed; events held in the spool for another attempt', {
      failure: outcome.failure.kind, spooled: unwritten.length, spoolSize: this.spool.size,
      requestIds: [...new Set(unwritten.map((event) => event.requestId ?? null))],
    });
    return { written: outcome.receipts, spooled: unwritten.length };
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

  /** Re-attempts what the spool holds; resolves with how many were written. One flush at a time. */
  flushSpool(): Promise<number> {
    if (!this.flushing) {
      this.flushing = this.appendOrSpool([])
        .then((result) => result.written.length)
        .finally(() => {
          this.flushing = undefined;
        });
    }
    return this.flushing;
  }

  /** Flushes the spool every `intervalMs` (the timer does not keep the process alive); returns stop(). */
  startSpoolTimer(intervalMs: number): () => void {
    const timer = setInterval(() => {
      this.flushSpool().catch((error: unknown) => this.alert('audit spool flush failed', { error: String(error) }));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Walks one stream in seq order recomputing every hash (see ChainWalk for what passes as expiry). */
  async verify(stream: string): Promise<VerifyResult> {
    const cutoff = new Date(this.now().getTime() - this.retentionSeconds * 1000);
    const walk = new ChainWalk(stream, cutoff);
    const cursor = this.repository.streamEntries(stream);
    try {
      for await (const entry of cursor) {
        const problem = walk.next(entry);
        if (problem) return { ok: false, checked: walk.checked, ...problem, startSeq: walk.startSeq, headSeq: walk.headSeq };
      }
    } finally {
      await cursor.close();
    }
    return { ok: true, checked: walk.checked, ...(walk.startSeq === undefined ? {} : { startSeq: walk.startSeq, headSeq: walk.headSeq }) };
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
    return toPage(rows, first, after !== null, (row) => encodeCursor(['trail', row.seq]), toTrailEntry, () => this.repository.count(stream, filter));
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
    return toPage(rows, first, after !== null, (row) => encodeCursor(['viewers', row.seq]), toViewing, () => this.repository.count(stream, filter));
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
    id: entry._id, viewer: entry.actor, onBehalfOf: entry.onBehalfOf, at: entry.at, action: entry.action as AuditViewing['action'],
    purpose: entry.purpose, resource: entry.resource, fields: entry.fields,
  };
}
