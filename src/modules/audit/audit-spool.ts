// Where read-audit events wait while MongoDB cannot take them: PostgreSQL's `audit_spool`, written
// before the request's response goes out, so that a process killed during an outage (kill -9)
// loses none; every API process shares it, so whichever process drains first writes them all.
// Drains take the oldest rows first, one drainer at a time across processes (a transaction-scoped
// advisory lock), and delete only the rows whose events are stored: a drain that dies half way
// leaves the rest, and the next one checks ids before writing, so none is recorded twice.
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { AuditEvent } from './audit.types.js';

/** Where the audit log reports trouble: a logger's error method, adapted. */
export type AuditAlert = (message: string, details: Record<string, unknown>) => void;

/** Writes events to the audit log; resolves with the ids that are stored (never throws). */
export type SpoolWriter = (events: AuditEvent[]) => Promise<ReadonlySet<string>>;

export interface AuditSpool {
  /** Keeps events, in order; resolves once they would survive a crash of this process. */
  hold(events: readonly AuditEvent[]): Promise<void>;
  /**
   * Hands up to `batchSize` of the oldest events to `write` and removes those it stored. Resolves
   * with how many were removed and whether any are left (null: another process is draining).
   */
  drain(write: SpoolWriter, batchSize: number): Promise<{ removed: number; more: boolean } | null>;
}

/** Any fixed number: the key of the advisory lock that lets one process at a time drain. */
const DRAIN_LOCK = 7_310_402_021;

/** The event as JSON keeps it: `at` comes back as a Date, with the millisecond its hash was made of. */
function fromJson(stored: unknown): AuditEvent {
  const event = stored as AuditEvent & { at?: string };
  return event.at === undefined ? (event as AuditEvent) : { ...event, at: new Date(event.at) };
}

export class PostgresAuditSpool implements AuditSpool {
  constructor(private readonly prisma: PrismaClient) {}

  async hold(events: readonly AuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    // One statement: the events of a request keep their order (ids are taken in row order).
    await this.prisma.auditSpoolEntry.createMany({ data: events.map((event) => ({ event: JSON.parse(JSON.stringify(event)) })) });
  }

  async drain(write: SpoolWriter, batchSize: number): Promise<{ removed: number; more: boolean } | null> {
    // The lock is held while MongoDB is written: the transaction may last as long as that write.
    return this.prisma.$transaction(
      async (tx) => {
        const [{ locked }] = await tx.$queryRaw<
          Array<{ locked: boolean }>
        >`SELECT pg_try_advisory_xact_lock(${DRAIN_LOCK}::bigint) AS locked`;
        if (!locked) return null;
        const rows = await tx.auditSpoolEntry.findMany({ orderBy: { id: 'asc' }, take: batchSize, select: { id: true, event: true } });
        if (rows.length === 0) return { removed: 0, more: false };
        const events = rows.map((row) => fromJson(row.event));
        const stored = await write(events);
        const done = rows.filter((_row, i) => stored.has(events[i].id!)).map((row) => row.id);
        if (done.length > 0) await tx.auditSpoolEntry.deleteMany({ where: { id: { in: done } } });
        return { removed: done.length, more: done.length < rows.length || rows.length === batchSize };
      },
      { maxWait: 5_000, timeout: 60_000 },
    );
  }
}
