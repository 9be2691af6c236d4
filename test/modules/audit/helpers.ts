// Shared by the audit tests: a fresh database with the audit collection set up, and typed events.
import { randomUUID } from 'node:crypto';
import { MongoNetworkError, type Db } from 'mongodb';
import { AuditRepository, auditHeadsSpec, auditLogsSpec, type AuditEntry, type AuditEvent } from '../../../src/modules/audit/index.js';
import type { InsertOutcome, StreamTail } from '../../../src/modules/audit/audit.repository.js';
import { applyCollectionSpecs } from '../../../src/platform/mongo.js';
import type { TestMongo } from '../../harness/mongo.js';

export const newPatientId = (): string => randomUUID();

export async function auditDb(mongo: TestMongo, retentionSeconds?: number): Promise<Db> {
  const db = mongo.newDb();
  await applyCollectionSpecs(db, [auditLogsSpec(retentionSeconds), auditHeadsSpec]);
  return db;
}

export const logsOf = (db: Db) => db.collection<AuditEntry>('audit_logs');
export const headsOf = (db: Db) => db.collection<{ _id: string; seq: number; hash: string; at: Date }>('audit_heads');

/** Every stream's head next to the newest entry of its chain: they must be the same. */
export async function headsAndTails(db: Db): Promise<{ heads: unknown[]; tails: unknown[] }> {
  const heads = await headsOf(db).find({}).sort({ _id: 1 }).toArray();
  const tails = await logsOf(db)
    .aggregate([
      { $sort: { stream: 1, seq: -1 } },
      { $group: { _id: '$stream', seq: { $first: '$seq' }, hash: { $first: '$hash' }, at: { $first: '$at' } } },
      { $sort: { _id: 1 } },
    ])
    .toArray();
  return { heads, tails };
}

export function readEvent(patientId: string | null, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    actor: { userId: 'doctor-1', role: 'doctor' },
    patientId,
    resource: 'MedicalHistory',
    fields: ['allergies', 'bloodType'],
    action: 'read',
    result: 'success',
    requestId: 'req-1',
    ip: '10.1.2.3',
    userAgent: 'vitest',
    ...overrides,
  };
}

const simulated = () => new MongoNetworkError('simulated connection reset');

/**
 * A repository that fails on cue. 'lost' writes the entries and then reports the network error a
 * lost reply would (the write's outcome unknown to the caller); 'down' fails without writing;
 * 'partial' writes the first entry only and reports the next as losing the race for its seq (what
 * an ordered insertMany interleaved with another appender on a real server can do). With
 * `faultyStream` set, only inserts holding that stream's entries meet the faults, and what comes
 * before its first entry is stored, as an ordered insert stores what precedes a failing document
 * (whose position the reply then names).
 */
export class FaultyRepository extends AuditRepository {
  /** Inserts that lost the race for a seq. */
  seqConflicts = 0;
  insertFaults: Array<'down' | 'lost' | 'refused' | 'partial'> = [];
  faultyStream: string | undefined;
  headFaults = 0;
  idCheckFaults = 0;
  /** Head updates that never reach MongoDB, as when the process dies right after its insert. */
  lostHeadUpdates = 0;
  inserts = 0;
  headReads = 0;
  logReads = 0;
  headUpdates = 0;

  override async headsOf(streams: readonly string[]) {
    this.headReads += 1;
    if (this.headFaults > 0) {
      this.headFaults -= 1;
      throw simulated();
    }
    return super.headsOf(streams);
  }

  override async logTailsOf(streams: readonly string[]) {
    this.logReads += 1;
    return super.logTailsOf(streams);
  }

  override async existingIds(streams: readonly string[], ids: readonly string[]) {
    if (this.idCheckFaults > 0) {
      this.idCheckFaults -= 1;
      throw simulated();
    }
    return super.existingIds(streams, ids);
  }

  override async advanceHeads(tails: readonly StreamTail[]) {
    if (tails.length === 0) return;
    this.headUpdates += 1;
    if (this.lostHeadUpdates > 0) {
      this.lostHeadUpdates -= 1;
      return;
    }
    await super.advanceHeads(tails);
  }

  override async insertChain(entries: AuditEntry[]): Promise<InsertOutcome> {
    this.inserts += 1;
    const at = this.faultyStream === undefined ? 0 : entries.findIndex((entry) => entry.stream === this.faultyStream);
    const fault = at >= 0 ? this.insertFaults.shift() : undefined;
    if (fault === 'down' || fault === 'refused') {
      if (at > 0) await super.insertChain(entries.slice(0, at));
      const known = this.faultyStream === undefined && fault === 'down' ? null : at;
      return { kind: 'failed', inserted: known, error: fault === 'down' ? simulated() : new Error('simulated validation failure') };
    }
    if (fault === 'partial') {
      await super.insertChain(entries.slice(0, at + 1));
      this.seqConflicts += 1;
      return { kind: 'seq-taken', inserted: at + 1, error: new Error('simulated duplicate key on stream_seq') };
    }
    const outcome = await super.insertChain(entries);
    if (outcome.kind === 'seq-taken') this.seqConflicts += 1;
    return fault === 'lost' ? { kind: 'failed', inserted: null, error: simulated() } : outcome;
  }
}
