// What the audit log records, and what it answers. Entries say who touched which fields of whose
// record, why, and how it went: names and ids only, never a health data value.
import type { Role } from '../../auth/principal.js';

export const AUDIT_ACTIONS = [
  'read',
  'create',
  'update',
  'delete',
  'emergency_access',
  'export',
  'login',
  'logout',
  'login_failed',
  'token_refresh',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_PURPOSES = ['normal', 'emergency'] as const;
export type AuditPurpose = (typeof AUDIT_PURPOSES)[number];

/**
 * How it went. A write is recorded twice: `attempted` before it happens (no audit, no write), then
 * its outcome, `success` or `failure` (refused by a rule of the domain, or failed), once known.
 */
export const AUDIT_RESULTS = ['success', 'denied', 'failure', 'attempted'] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];

/** Streams for events without a patient; a patient's stream is their patient id. */
export type GlobalStream = 'system' | `system:${string}`;
export const DEFAULT_GLOBAL_STREAM: GlobalStream = 'system';

export interface AuditActor {
  userId: string;
  role: Role;
}

/** One thing that happened, as a caller reports it. */
export interface AuditEvent {
  /** Assigned by `append` when absent; kept across retries so a retried write never duplicates. */
  id?: string;
  /** When it happened; defaults to the time `append` is called. */
  at?: Date;
  /** Null for an anonymous caller. */
  actor: AuditActor | null;
  /** The user the actor acted for (a caregiver for a patient, a nurse for a doctor). */
  onBehalfOf?: string | null;
  /** Null for events that concern no patient (logins, directory changes). */
  patientId: string | null;
  /** Only for events without a patient: which global stream; 'system' by default. */
  stream?: GlobalStream;
  /** The kind of thing touched: 'Patient', 'MedicalHistory', 'Allergy', ... */
  resource: string;
  /** Field names read or written (never their values). */
  fields?: readonly string[];
  action: AuditAction;
  purpose?: AuditPurpose;
  requestId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  result: AuditResult;
}

/** An event with every default applied: what gets hashed and stored. */
export interface AuditContent {
  id: string;
  at: Date;
  actor: AuditActor | null;
  onBehalfOf: string | null;
  patientId: string | null;
  resource: string;
  fields: string[];
  action: AuditAction;
  purpose: AuditPurpose;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  result: AuditResult;
}

/** Where an entry sits in its stream's hash chain. */
export interface ChainLink {
  stream: string;
  seq: number;
  prevHash: string;
  /** `at` of the entry before this one (null at seq 1): lets verification tell expiry from deletion. */
  prevAt: Date | null;
  hash: string;
}

/** A stored entry (its `_id` is the event id). */
export interface AuditEntry extends Omit<AuditContent, 'id'>, ChainLink {
  _id: string;
  /** Version of the canonical form the hash was computed over. */
  v: 1;
}

/** Proof that an event was written: where it landed in its chain. */
export interface AuditReceipt {
  id: string;
  stream: string;
  seq: number;
  hash: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Entries examined. */
  checked: number;
  /**
   * The seq where the chain breaks: the altered entry, the first missing one in a hole, or (when
   * entries before the oldest remaining one are missing without having expired) the seq just
   * before it.
   */
  brokenAt?: number;
  reason?: string;
  /** The oldest remaining seq (above 1 once retention has expired the oldest entries). */
  startSeq?: number;
  /** The newest seq examined. */
  headSeq?: number;
}

export interface VerifyAllResult {
  ok: boolean;
  streams: number;
  checked: number;
  /** The broken streams, at most `maxFailures` of them. */
  failures: Array<{ stream: string; brokenAt?: number; reason?: string }>;
}

/** A trail entry as the API shows it (chain internals stay behind, except seq and hash). */
export interface AuditTrailEntry extends AuditContent {
  seq: number;
  hash: string;
}

/** "Who viewed my record": one access by someone other than the patient. */
export interface AuditViewing {
  id: string;
  /** Null when the access was anonymous. */
  viewer: AuditActor | null;
  onBehalfOf: string | null;
  at: Date;
  action: Extract<AuditAction, 'read' | 'emergency_access'>;
  purpose: AuditPurpose;
  resource: string;
  fields: string[];
}

export interface TrailOptions {
  /** 1 to 100: the callers pass PageArgs, which the schema validates. */
  first: number;
  after?: string | null;
  /** Inclusive. */
  from?: Date | null;
  /** Exclusive. */
  to?: Date | null;
}

export interface ViewersOptions {
  /** 1 to 100: the callers pass PageArgs, which the schema validates. */
  first: number;
  after?: string | null;
}
