// Shared by the audit tests: a fresh database with the audit collection set up, and typed events.
import { randomUUID } from 'node:crypto';
import { MongoNetworkError, type Db } from 'mongodb';
import { AuditRepository, auditLogsSpec, type AuditEntry, type AuditEvent } from '../../../src/modules/audit/index.js';
import type { InsertOutcome } from '../../../src/modules/audit/audit.repository.js';
import { applyCollectionSpecs } from '../../../src/platform/mongo.js';
import type { TestMongo } from '../../harness/mongo.js';

export const newPatientId = (): string => randomUUID();

export async function auditDb(mongo: TestMongo, retentionSeconds?: number): Promise<Db> {
  const db = mongo.newDb();
  await applyCollectionSpecs(db, [auditLogsSpec(retentionSeconds)]);
  return db;
}

export const logsOf = (db: Db) => db.collection<AuditEntry>('audit_logs');

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
 * an ordered insertMany interleaved with another appender on a real server can do).
 */
export class FaultyRepository extends AuditRepository {
  /** Inserts that lost the race for a seq. */
  seqConflicts = 0;
  insertFaults: Array<'down' | 'lost' | 'refused' | 'partial'> = [];
  /** When set, only this stream's inserts meet the faults. */
  faultyStream: string | undefined;
  tailFaults = 0;
  idCheckFaults = 0;
  inserts = 0;
  tails = 0;

  override async tail(stream: string) {
    this.tails += 1;
    if (this.tailFaults > 0) {
      this.tailFaults -= 1;
      throw simulated();
    }
    return super.tail(stream);
  }

  override async existingIds(stream: string, ids: readonly string[]) {
    if (this.idCheckFaults > 0) {
      this.idCheckFaults -= 1;
      throw simulated();
    }
    return super.existingIds(stream, ids);
  }

  override async insertChain(entries: AuditEntry[]): Promise<InsertOutcome> {
    this.inserts += 1;
    const fault = this.faultyStream === undefined || entries[0]?.stream === this.faultyStream ? this.insertFaults.shift() : undefined;
    if (fault === 'down') return { kind: 'failed', inserted: null, error: simulated() };
    if (fault === 'refused') return { kind: 'failed', inserted: 0, error: new Error('simulated validation failure') };
    if (fault === 'partial') {
      await super.insertChain(entries.slice(0, 1));
      this.seqConflicts += 1;
      return { kind: 'seq-taken', inserted: 1, error: new Error('simulated duplicate key on stream_seq') };
    }
    const outcome = await super.insertChain(entries);
    if (outcome.kind === 'seq-taken') this.seqConflicts += 1;
    return fault === 'lost' ? { kind: 'failed', inserted: null, error: simulated() } : outcome;
  }
}
