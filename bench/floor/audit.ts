// The floor's audit writes: the same entries as the API's (one per patient, resource, purpose and
// result, fields sorted, hash-chained per stream), written by the audit module's own writer (chain
// heads, one round for all the streams of a request, concurrent requests for one patient written
// together): the floor leaves out GraphQL, the permission layer and the rest of the API, not the
// audit's algorithm, which a hand-written floor would only do again.
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { prepareEvent, type PreparedEvent } from '../../src/modules/audit/audit-event.js';
import { AuditWriter } from '../../src/modules/audit/audit-writer.js';
import { AuditRepository } from '../../src/modules/audit/audit.repository.js';
import type { AuditActor, AuditContent } from '../../src/modules/audit/audit.types.js';

export interface Origin {
  actor: AuditActor;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

export type Read = Pick<AuditContent, 'patientId' | 'resource' | 'fields' | 'action' | 'purpose' | 'result'>;

export class FloorAudit {
  private readonly writer: AuditWriter;

  constructor(db: Db) {
    this.writer = new AuditWriter(new AuditRepository(db));
  }

  /** Stores `reads` (a patient's stream each); throws when any could not be stored. */
  async write(origin: Origin, reads: readonly Read[]): Promise<void> {
    const at = new Date();
    const byStream = new Map<string, PreparedEvent[]>();
    for (const read of reads) {
      const event = prepareEvent({ id: randomUUID(), at, onBehalfOf: null, ...origin, ...read }, at);
      byStream.set(event.stream, [...(byStream.get(event.stream) ?? []), event]);
    }
    const failed = (await this.writer.writeStreams(byStream)).find((outcome) => outcome.failure);
    if (failed) throw failed.failure!.cause;
  }
}
