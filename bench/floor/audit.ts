// The floor's audit writes: the same entries as the API's (one per patient, resource, purpose and
// result, fields sorted, hash-chained per stream with the audit module's own linkEntries), kept
// with the same chain heads through the audit module's repository (its store commands, not its
// writer): the heads of every stream read at once (a missing head's tail from the log), one
// ordered insertMany, then the heads moved on after the answer. Losing a race for a seq re-reads
// the tails of what was not written from the log and relinks it.
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { linkEntries, type ChainTail } from '../../src/modules/audit/audit-chain.js';
import { AuditRepository, type StreamTail } from '../../src/modules/audit/audit.repository.js';
import type { AuditActor, AuditContent } from '../../src/modules/audit/audit.types.js';

export interface Origin {
  actor: AuditActor;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

export type Read = Pick<AuditContent, 'patientId' | 'resource' | 'fields' | 'action' | 'purpose' | 'result'>;

const MAX_ATTEMPTS = 30;

export class FloorAudit {
  private readonly repository: AuditRepository;

  constructor(db: Db) {
    this.repository = new AuditRepository(db);
  }

  /** The tail of each stream: its head, or for a stream without one, its newest entry. */
  async tails(streams: readonly string[]): Promise<Map<string, ChainTail>> {
    const heads = await this.repository.headsOf(streams);
    const missing = streams.filter((stream) => !heads.has(stream));
    if (missing.length > 0) for (const [stream, tail] of await this.repository.logTailsOf(missing)) heads.set(stream, tail);
    return heads;
  }

  /** Stores `reads` (a patient's stream each); `tails` may be read ahead, in parallel with other work. */
  async write(origin: Origin, reads: readonly Read[], tails?: Promise<Map<string, ChainTail>>): Promise<void> {
    const at = new Date();
    let pending: AuditContent[] = reads.map((read) => ({ id: randomUUID(), at, onBehalfOf: null, ...origin, ...read }));
    let tailOf = await (tails ?? this.tails([...new Set(pending.map((event) => event.patientId!))]));
    const stored = new Map<string, StreamTail>();
    for (let attempt = 1; pending.length > 0; attempt++) {
      const byStream = new Map<string, AuditContent[]>();
      for (const event of pending) byStream.set(event.patientId!, [...(byStream.get(event.patientId!) ?? []), event]);
      const entries = [...byStream].flatMap(([stream, events]) => linkEntries(stream, tailOf.get(stream) ?? null, events));
      const outcome = await this.repository.insertChain(entries);
      const inserted = outcome.kind === 'done' ? entries.length : outcome.inserted ?? 0;
      for (const entry of entries.slice(0, inserted)) stored.set(entry.stream, { stream: entry.stream, seq: entry.seq, hash: entry.hash, at: entry.at });
      if (outcome.kind === 'done') break;
      if (outcome.kind !== 'seq-taken' || attempt >= MAX_ATTEMPTS) throw outcome.error;
      // Entries before the refused one are stored; the rest are linked again after their streams' newest entries.
      const done = new Set(entries.slice(0, inserted).map((entry) => entry._id));
      pending = pending.filter((event) => !done.has(event.id));
      tailOf = new Map([...tailOf, ...stored, ...(await this.repository.logTailsOf([...new Set(pending.map((event) => event.patientId!))]))]);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    }
    void this.repository.advanceHeads([...stored.values()]).catch(() => undefined);
  }
}
