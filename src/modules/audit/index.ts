// The audit log: who read or changed which fields of whose record, when, why, and how it went;
// names and ids only, never a health data value. Tamper-evident: entries are hash-chained per
// stream (a patient's id, or 'system' / 'system:<name>' for events without a patient), with a
// unique {stream, seq} index keeping each chain linear however many processes append. Each
// stream's head (its newest seq, hash and time) is kept in `audit_heads`, so that a request's
// entries cost the same three commands for one patient or a hundred (see audit-writer.ts, which
// also says why a crash between the entries and the heads loses nothing). Retention is a TTL
// index on `at`; verification tells expiry (old entries) from deletion (see ChainWalk). Heads do
// not expire: a stream whose every entry has expired goes on from its head.
//
// Use: `append` for anything that must not happen unaudited (it throws AuditWriteError after
// bounded retries: fail the request); `appendOrSpool` for read audits (failed events wait in a
// durable spool in PostgreSQL and are drained in order by the next request or `startSpoolTimer`).
// Upgrading a log written before heads existed needs nothing: a stream without a head has it
// rebuilt from its newest entry by its next write; `rebuildHeads` does them all at once.
//
// Sharding: every operation on `audit_logs` names one stream or a set of them, and a patient's
// events all live in the patient's stream, so shard `audit_logs` on { stream: 1, seq: 1 } (range;
// the unique index must be prefixed by the shard key, which rules out a hashed key), and
// `audit_heads` on `_id` (hashed is fine). Patient ids are random UUIDs, so patient streams spread
// evenly; a request's heads read and insert then reach the shards its streams live on (one
// command each from the driver, split by mongos), trails, viewers and verify(stream) a single
// shard, and verifyAll walks streams one by one. The global 'system' stream is the one hot spot
// (every login lands there): split it by name ('system:auth', 'system:clinic:<id>') when it
// becomes one. A very long stream may split into chunks on different shards; the chain still
// holds, because {stream, seq} is then the shard key itself, whose uniqueness MongoDB enforces
// cluster-wide (the _id index is only unique per shard: the retry check for already-written
// ids therefore filters by stream and id, not by _id alone).
//
// Limits of in-collection tamper evidence: someone with write access could delete a whole stream
// and its head, or delete a stream's newest entries and move its head back, or rewrite a chain
// from some point with recomputed hashes. Catching that needs the heads (seq, hash from the
// receipts or `audit_heads`) anchored outside MongoDB, e.g. periodically in PostgreSQL or a WORM
// store; the receipts make that possible.
export { AuditLog, type AuditLogOptions } from './audit.service.js';
export { RequestAudit, type RequestOrigin } from './request-audit.js';
export { AuditWriteError, type AuditWriteFailure } from './audit-errors.js';
export { InvalidAuditEvent } from './audit-event.js';
export { PostgresAuditSpool, type AuditSpool, type AuditAlert, type SpoolWriter } from './audit-spool.js';
export { DEFAULT_RETRY, type RetryPolicy } from './audit-writer.js';
export { AuditRepository } from './audit.repository.js';
export { canonicalForm, hashEntry, GENESIS_HASH, CHAIN_VERSION } from './audit-chain.js';
export { auditHeadsSpec, auditLogsSpec, AUDIT_HEADS, AUDIT_LOGS, DEFAULT_AUDIT_RETENTION_SECONDS } from './audit.collections.js';
export {
  AUDIT_ACTIONS,
  AUDIT_PURPOSES,
  AUDIT_RESULTS,
  DEFAULT_GLOBAL_STREAM,
  type AuditAction,
  type AuditActor,
  type AuditEntry,
  type AuditEvent,
  type AuditPurpose,
  type AuditReceipt,
  type AuditResult,
  type AuditTrailEntry,
  type AuditViewing,
  type GlobalStream,
  type TrailOptions,
  type VerifyAllResult,
  type VerifyResult,
  type ViewersOptions,
} from './audit.types.js';
export { AuditEntryResolver, AuditResolver } from './audit.resolver.js';
