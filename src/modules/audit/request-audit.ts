// One request's audit: the patient fields it read (recorded as they resolve, grouped by patient
// and resource), refused reads, and writes. Reads are written once, when the response is sent;
// a write is recorded as attempted before it happens and fails closed (no audit, no write), and
// its outcome (success, or failure when it threw: a CONFLICT as much as a crash) after the fact.
import { inAuditedWrite } from '../../authz/patient-writes.js';
import type { AuditLog } from './audit.service.js';
import type { AuditAction, AuditActor, AuditEvent, AuditPurpose, AuditResult } from './audit.types.js';

export interface RequestOrigin {
  actor: AuditActor | null;
  requestId: string;
  ip: string;
  userAgent: string;
}

interface PendingRead {
  patientId: string;
  resource: string;
  fields: Set<string>;
  purpose: AuditPurpose;
  result: AuditResult;
}

export class RequestAudit {
  private readonly reads = new Map<string, PendingRead>();
  /** Failed writes and events about no patient, written with the reads. */
  private readonly pending: AuditEvent[] = [];

  constructor(
    private readonly log: AuditLog,
    private readonly origin: RequestOrigin,
  ) {}

  private event(
    patientId: string | null,
    resource: string,
    fields: Iterable<string>,
    action: AuditAction,
    purpose: AuditPurpose,
    result: AuditResult,
  ): AuditEvent {
    return { ...this.origin, patientId, resource, fields: [...fields].sort(), action, purpose, result };
  }

  /** A field of a patient's data that was read (or refused). */
  read(patientId: string, resource: string, field: string, purpose: AuditPurpose, result: AuditResult = 'success'): void {
    const key = `${patientId}|${resource}|${purpose}|${result}`;
    const pending = this.reads.get(key);
    if (pending) pending.fields.add(field);
    else this.reads.set(key, { patientId, resource, fields: new Set([field]), purpose, result });
  }

  private drainReads(): AuditEvent[] {
    const events = [...this.reads.values()].map((read) =>
      this.event(read.patientId, read.resource, read.fields, 'read', read.purpose, read.result),
    );
    this.reads.clear();
    return events;
  }

  /**
   * Records a write about to be attempted (with any reads so far); a null subject means the system
   * stream. Throws AuditWriteError when the audit cannot be stored, so that the caller does not
   * write unaudited.
   */
  private async write(
    subject: string | null,
    resource: string,
    fields: Iterable<string>,
    action: AuditAction,
    purpose: AuditPurpose,
  ): Promise<void> {
    const reads = this.drainReads();
    try {
      await this.log.append([...reads, this.event(subject, resource, fields, action, purpose, 'attempted')]);
    } catch (error) {
      this.pending.push(...reads); // the reads still go out with the request's batch
      throw error;
    }
  }

  /**
   * Audits a write as attempted, then does it, then records how it went: whatever `work` throws
   * (a refusal such as a CONFLICT included) is a failure, so a refusal must be thrown from inside
   * `work`. `subject` is whose data it is: a patient, or the user an account change is about
   * (their own stream); null for the system stream.
   */
  async around<T>(
    subject: string | null,
    resource: string,
    fields: Iterable<string>,
    action: AuditAction,
    purpose: AuditPurpose,
    work: () => Promise<T>,
  ): Promise<T> {
    const names = [...fields];
    await this.write(subject, resource, names, action, purpose);
    try {
      const result = await inAuditedWrite(subject, work);
      this.outcome(subject, resource, names, action, purpose, 'success');
      return result;
    } catch (error) {
      this.outcome(subject, resource, names, action, purpose, 'failure');
      throw error;
    }
  }

  /** How a write recorded by write() ended, written with the request's batch. */
  private outcome(
    patientId: string | null,
    resource: string,
    fields: Iterable<string>,
    action: AuditAction,
    purpose: AuditPurpose,
    result: 'success' | 'failure',
  ): void {
    this.pending.push(this.event(patientId, resource, fields, action, purpose, result));
  }

  /** An event about no patient (a sign-in, a refresh); the actor may be someone not yet signed in. */
  note(resource: string, action: AuditAction, result: AuditResult, actor: AuditActor | null = this.origin.actor): void {
    this.pending.push({ ...this.event(null, resource, [], action, 'normal', result), actor });
  }

  /** Writes what the request read (once, at the end); kept and retried when MongoDB is away. */
  async flush(): Promise<void> {
    const events = [...this.drainReads(), ...this.pending.splice(0)];
    if (events.length > 0) await this.log.appendOrSpool(events);
  }
}
