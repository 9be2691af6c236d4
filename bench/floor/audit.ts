// The floor's audit writes: the same entries as the API's (one per patient, resource, purpose and
// result, fields sorted, hash-chained per stream with the audit module's own linkEntries): the tail
// of every stream read at once (one indexed findOne each, all in flight together: on the
// stand-in a single $group or find-$in command over 100 streams costs 190-260 ms of its CPU, far
// more than 100 point reads), then one ordered insertMany. Losing a race for a seq re-reads and
// relinks what was not written.
import { randomUUID } from 'node:crypto';
import { MongoBulkWriteError, type Collection, type Db } from 'mongodb';
import { linkEntries, type ChainTail } from '../../src/modules/audit/audit-chain.js';
import type { AuditActor, AuditContent, AuditEntry } from '../../src/modules/audit/audit.types.js';

export interface Origin {
  actor: AuditActor;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

export type Read = Pick<AuditContent, 'patientId' | 'resource' | 'fields' | 'action' | 'purpose' | 'result'>;

const DUPLICATE_KEY = 11000;
const MAX_ATTEMPTS = 30;

export class FloorAudit {
  private readonly logs: Collection<AuditEntry>;

  constructor(db: Db) {
    this.logs = db.collection<AuditEntry>('audit_logs');
  }

  /** The newest entry of each stream, read in parallel. */
  async tails(streams: readonly string[]): Promise<Map<string, ChainTail>> {
    const newest = await Promise.all(streams.map((stream) => this.logs.findOne({ stream }, { sort: { seq: -1 }, projection: { seq: 1, hash: 1, at: 1 } })));
    return new Map(newest.flatMap((last, i) => (last ? [[streams[i], { seq: last.seq, hash: last.hash, at: last.at }] as const] : [])));
  }

  /** Stores `reads` (a patient's stream each); `tails` may be read ahead, in parallel with other work. */
  async write(origin: Origin, reads: readonly Read[], tails?: Promise<Map<string, ChainTail>>): Promise<void> {
    const at = new Date();
    let pending: AuditContent[] = reads.map((read) => ({ id: randomUUID(), at, onBehalfOf: null, ...origin, ...read }));
    let known = tails;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const byStream = new Map<string, AuditContent[]>();
      for (const event of pending) byStream.set(event.patientId!, [...(byStream.get(event.patientId!) ?? []), event]);
      const tailOf = await (known ?? this.tails([...byStream.keys()]));
      known = undefined;
      const entries = [...byStream].flatMap(([stream, events]) => linkEntries(stream, tailOf.get(stream) ?? null, events));
      try {
        await this.logs.insertMany(entries, { ordered: true });
        return;
      } catch (error) {
        const first = error instanceof MongoBulkWriteError ? [error.writeErrors].flat()[0] : undefined;
        if (!first || first.code !== DUPLICATE_KEY || attempt >= MAX_ATTEMPTS) throw error;
        // Entries before the refused one are stored; the rest are linked again after the new tails.
        const stored = new Set(entries.slice(0, first.index).map((entry) => entry._id));
        pending = pending.filter((event) => !stored.has(event.id));
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
      }
    }
  }
}
