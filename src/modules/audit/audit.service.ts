// The audit log: recording events (strictly, or with the spool for reads), verifying the chains,
// and the two questions the API asks of it: a patient's trail, and who viewed a patient's record.
import type { Db } from 'mongodb';
import { BadUserInputError } from '../../errors/errors.js';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../graphql/connection.js';
import { ChainWalk } from './audit-chain.js';
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

function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > 100) throw new BadUserInputError([{ path: ['first'], message: 'must be between 1 and 100' }]);
  return first;
}

function afterSeq(list: string, after: string | null | undefined): number | null {
  if (!after) return null;
  const [, seq] = decodeCursor(after, (key) => key.length === 2 && key[0] === list && Number.isInteger(key[1]) && (key[1] as number) > 0);
  return seq as number;
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
   * Records a request's events: grouped by stream, streams written in parallel, each in one tail
   * read and one insert when nobody races it. Resolves with a receipt per event (in input order)
   * once all are stored; throws AuditWriteError when any could not be (after bounded retries),
   * and InvalidAuditEvent, before writing anything, for a malformed event.
   */
  async append(events: readonly AuditEvent[]): Promise<AuditReceipt[]> {
    const now = this.now();
    const prepared = events.map((event) => prepareEvent(event, now));
    const byStream = new Map<string, PreparedEvent[]>();
    for (const event of prepared) {
      const streamEvents = byStream.get(event.stream);
      if (streamEvents) streamEvents.push(event);
      else byStream.set(event.stream, [event]);
    }
    const outcomes = await Promise.all([...byStream].map(([stream, streamEvents]) => this.writer.write(stream, streamEvents)));

    const receipts = new Map(outcomes.flatMap((outcome) => outcome.receipts).map((receipt) => [receipt.id, receipt]));
    const written = prepared.flatMap((event) => receipts.get(event.id) ?? []);
    const failed = outcomes.filter((outcome): outcome is Required<StreamOutcome> => outcome.unwritten.length > 0 && outcome.failure !== undefined);
    if (failed.length > 0) {
      const unwritten = failed.flatMap((outcome) => outcome.unwritten).map(asEvent);
      throw new AuditWriteError(failed[0].failure.kind, unwritten, written, { cause: failed[0].failure.cause });
    }
    return written;
  }

  /**
   * For read audits: also re-attempts whatever the spool holds, and spools (rather than throws)
   * what cannot be written now, alerting. Never use it for clinical writes: use `append`.
   */
  async appendOrSpool(events: readonly AuditEvent[]): Promise<{ written: AuditReceipt[]; spooled: number }> {
    const now = this.now();
    const fresh = events.map((event) => asEvent(prepareEvent(event, now))); // ids fixed now, malformed refused now
    const held = this.spool.take();
    try {
      return { written: await this.append([...held, ...fresh]), spooled: 0 };
    } catch (error) {
      if (!(error instanceof AuditWriteError)) {
        this.spool.hold([...held, ...fresh]);
        throw error;
      }
      this.spool.hold(error.unwritten);
      this.alert('audit write failed; events held in the spool for another attempt', {
        failure: error.failure, spooled: error.unwritten.length, spoolSize: this.spool.size,
        requestIds: [...new Set(error.unwritten.map((event) => event.requestId ?? null))],
      });
      return { written: error.written.slice(), spooled: error.unwritten.length };
    }
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
    const first = pageSize(options.first);
    const after = afterSeq('trail', options.after);
    const at: Record<string, Date> = {};
    if (options.from) at.$gte = options.from;
    if (options.to) at.$lt = options.to;
    const rows = await this.repository.pageNewestFirst(stream, Object.keys(at).length > 0 ? { at } : {}, after, first + 1);
    return toPage(rows, first, after !== null, (row) => encodeCursor(['trail', row.seq]), toTrailEntry);
  }

  /**
   * Who viewed a patient's record: successful reads and emergency (break-glass) accesses by anyone
   * other than the patient, newest first. Anonymous accesses are included (viewer null).
   */
  async viewers(patientId: string, options: ViewersOptions): Promise<Page<AuditViewing>> {
    const stream = patientStream(patientId);
    const first = pageSize(options.first);
    const after = afterSeq('viewers', options.after);
    const filter = { action: { $in: [...VIEWING_ACTIONS] }, result: 'success' as const, 'actor.userId': { $ne: patientId } };
    const rows = await this.repository.pageNewestFirst(stream, filter, after, first + 1);
    return toPage(rows, first, after !== null, (row) => encodeCursor(['viewers', row.seq]), toViewing);
  }

  /** Changes the retention of an existing collection (the spec only sets it at creation). */
  setRetention(expireAfterSeconds: number): Promise<void> {
    return this.repository.setRetention(expireAfterSeconds);
  }
}

function toTrailEntry(entry: AuditEntry): AuditTrailEntry {
  return {
    id: entry._id, seq: entry.seq, hash: entry.hash, at: entry.at, actor: entry.actor, onBehalfOf: entry.onBehalfOf, patientId: entry.patientId,
    resource: entry.resource, fields: entry.fields, action: entry.action, purpose: entry.purpose, result: entry.result,
    requestId: entry.requestId, ip: entry.ip, userAgent: entry.userAgent,
  };
}

function toViewing(entry: AuditEntry): AuditViewing {
  return {
    id: entry._id, viewer: entry.actor, onBehalfOf: entry.onBehalfOf, at: entry.at, action: entry.action as AuditViewing['action'],
    purpose: entry.purpose, resource: entry.resource, fields: entry.fields,
  };
}
