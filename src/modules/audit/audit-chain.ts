// The hash chain: the canonical form an entry's hash is computed over, and the walk that checks a
// stream. Pure functions, no I/O.
//
// Canonical form, version 1: the UTF-8 bytes of JSON.stringify of this array, in this order
//   ["clinic-graph/audit/v1", stream, seq, prevHash, prevAt, id, at, actor.userId, actor.role,
//    onBehalfOf, patientId, resource, fields, action, purpose, requestId, ip, userAgent, result]
// where dates are ISO 8601 UTC strings with milliseconds (Date#toISOString; BSON dates keep
// milliseconds, so they round-trip exactly), absent values are null, `fields` is the stored array
// in its stored order, and `seq` is a JSON integer. An array, not an object, so that key order can
// never vary; JSON.stringify escapes strings deterministically. hash = lowercase hex SHA-256.
// Every string must survive a UTF-8 round trip (no lone surrogates), or the stored copy would
// hash differently: `normalizeEvent` refuses or repairs those before anything is hashed.
import { createHash } from 'node:crypto';
import type { AuditContent, AuditEntry, ChainLink } from './audit.types.js';

export const CHAIN_VERSION = 1;
export const GENESIS_HASH = '0'.repeat(64);
const TAG = 'clinic-graph/audit/v1';

type Hashed = AuditContent & Omit<ChainLink, 'hash'>;

export function canonicalForm(entry: Hashed): string {
  return JSON.stringify([
    TAG,
    entry.stream,
    entry.seq,
    entry.prevHash,
    entry.prevAt ? entry.prevAt.toISOString() : null,
    entry.id,
    entry.at.toISOString(),
    entry.actor?.userId ?? null,
    entry.actor?.role ?? null,
    entry.onBehalfOf,
    entry.patientId,
    entry.resource,
    entry.fields,
    entry.action,
    entry.purpose,
    entry.requestId,
    entry.ip,
    entry.userAgent,
    entry.result,
  ]);
}

export function hashEntry(entry: Hashed): string {
  return createHash('sha256').update(canonicalForm(entry), 'utf8').digest('hex');
}

/** The tail an appender builds on: nothing yet, or the newest entry of the stream. */
export interface ChainTail {
  seq: number;
  hash: string;
  at: Date;
}

/** Links `contents` after `tail` as consecutive entries of `stream`. */
export function linkEntries(stream: string, tail: ChainTail | null, contents: readonly AuditContent[]): AuditEntry[] {
  let previous = tail;
  return contents.map((content) => {
    const seq = previous ? previous.seq + 1 : 1;
    const prevHash = previous ? previous.hash : GENESIS_HASH;
    const prevAt = previous ? previous.at : null;
    const hash = hashEntry({ ...content, stream, seq, prevHash, prevAt });
    const { id, ...rest } = content;
    previous = { seq, hash, at: content.at };
    return { _id: id, v: CHAIN_VERSION, ...rest, stream, seq, prevHash, prevAt, hash };
  });
}

export function contentOf(entry: AuditEntry): AuditContent {
  return {
    id: entry._id,
    at: entry.at,
    actor: entry.actor,
    onBehalfOf: entry.onBehalfOf,
    patientId: entry.patientId,
    resource: entry.resource,
    fields: entry.fields,
    action: entry.action,
    purpose: entry.purpose,
    requestId: entry.requestId,
    ip: entry.ip,
    userAgent: entry.userAgent,
    result: entry.result,
  };
}

export interface ChainProblem {
  brokenAt: number;
  reason: string;
}

const sameInstant = (a: Date | null | undefined, b: Date | null | undefined) =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
/** True when `at` is past the retention cutoff: what the TTL index may have removed. */
export const isExpired = (at: Date | null | undefined, cutoff: Date) => at instanceof Date && at.getTime() <= cutoff.getTime();

/**
 * Checks one stream's entries fed in ascending seq order.
 *
 * Retention (a TTL index on `at`) deletes a stream's oldest entries, so the walk accepts missing
 * entries only where retention explains them: where both known neighbours of the hole are past
 * the retention cutoff. Before the oldest remaining entry that is its own `prevAt` (the `at` of
 * the entry it was chained to, covered by its hash); between two remaining entries it is the older
 * one's `at` and the newer one's `prevAt`. An entry removed while it was still within retention
 * breaks the chain at its seq. Each remaining entry's hash is recomputed; each consecutive pair
 * must link (prevHash = previous hash, prevAt = previous at).
 *
 * Not detectable here: removal of a stream's newest entries (AuditLog.verify compares the walk's
 * end with the stream's head for that), or of a whole stream, or a chain rewritten from some
 * point with recomputed hashes (those need the heads anchored outside MongoDB: see index.ts).
 */
export class ChainWalk {
  checked = 0;
  startSeq: number | undefined;
  private previous: AuditEntry | undefined;

  constructor(
    private readonly stream: string,
    private readonly retentionCutoff: Date,
  ) {}

  /** Takes the next entry; a problem ends the walk. */
  next(entry: AuditEntry): ChainProblem | undefined {
    this.checked += 1;
    const seq = entry.seq;
    if (entry.v !== CHAIN_VERSION) return { brokenAt: seq, reason: 'unknown canonical form version' };
    if (entry.stream !== this.stream) return { brokenAt: seq, reason: 'entry belongs to another stream' };
    if (!(entry.at instanceof Date) || Number.isNaN(entry.at.getTime())) return { brokenAt: seq, reason: 'entry has no valid time' };
    if (hashEntry({ ...contentOf(entry), stream: entry.stream, seq, prevHash: entry.prevHash, prevAt: entry.prevAt }) !== entry.hash) {
      return { brokenAt: seq, reason: 'entry content does not match its hash' };
    }
    const previous = this.previous;
    this.previous = entry;
    if (!previous) {
      this.startSeq = seq;
      if (seq === 1) {
        return entry.prevHash === GENESIS_HASH && entry.prevAt === null
          ? undefined
          : { brokenAt: 1, reason: 'first entry does not start from the genesis hash' };
      }
      return isExpired(entry.prevAt, this.retentionCutoff)
        ? undefined
        : { brokenAt: seq - 1, reason: 'entries before the oldest one are missing but were not due to expire' };
    }
    if (seq === previous.seq) return { brokenAt: seq, reason: 'two entries share a seq' };
    if (seq === previous.seq + 1) {
      if (entry.prevHash !== previous.hash) return { brokenAt: seq, reason: 'entry does not link to the previous entry hash' };
      if (!sameInstant(entry.prevAt, previous.at)) return { brokenAt: seq, reason: 'entry does not link to the previous entry time' };
      return undefined;
    }
    const retentionExplainsGap = isExpired(previous.at, this.retentionCutoff) && isExpired(entry.prevAt, this.retentionCutoff);
    return retentionExplainsGap ? undefined : { brokenAt: previous.seq + 1, reason: 'entries are missing' };
  }

  get headSeq(): number | undefined {
    return this.previous?.seq;
  }
}
