// A bounded, in-memory holding area for read-audit events that could not be written yet, so that a
// MongoDB hiccup does not fail every read. It is a per-process buffer: a crash loses what it
// holds, which is why clinical writes never use it (they fail instead). Anything it must drop is
// reported through the injected alert, loudly, with ids and counts only.
import type { AuditEvent } from './audit.types.js';

/** Where the audit log reports trouble: a logger's error method, adapted. */
export type AuditAlert = (message: string, details: Record<string, unknown>) => void;

export interface AuditSpool {
  /** Keeps events for another attempt; past capacity, the oldest are dropped (and alerted). */
  hold(events: readonly AuditEvent[]): void;
  /** Removes and returns everything held, oldest first. */
  take(): AuditEvent[];
  readonly size: number;
  /** Events dropped since start. */
  readonly dropped: number;
}

export const DEFAULT_SPOOL_CAPACITY = 10_000;

export class MemoryAuditSpool implements AuditSpool {
  private held: AuditEvent[] = [];
  private droppedCount = 0;
  private readonly capacity: number;
  private readonly alert: AuditAlert;

  constructor(options: { capacity?: number; alert: AuditAlert }) {
    this.capacity = options.capacity ?? DEFAULT_SPOOL_CAPACITY;
    if (!Number.isInteger(this.capacity) || this.capacity < 1) throw new RangeError('spool capacity must be a positive integer');
    this.alert = options.alert;
  }

  hold(events: readonly AuditEvent[]): void {
    this.held.push(...events);
    const excess = this.held.length - this.capacity;
    if (excess <= 0) return;
    const lost = this.held.splice(0, excess);
    this.droppedCount += lost.length;
    this.alert('AUDIT EVENTS DROPPED: the audit spool is full; these accesses are not in the audit log', {
      dropped: lost.length,
      droppedTotal: this.droppedCount,
      eventIds: lost.map((event) => event.id ?? null),
      requestIds: [...new Set(lost.map((event) => event.requestId ?? null))],
    });
  }

  take(): AuditEvent[] {
    const all = this.held;
    this.held = [];
    return all;
  }

  get size(): number {
    return this.held.length;
  }

  get dropped(): number {
    return this.droppedCount;
  }
}
