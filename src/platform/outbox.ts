// The outbox relay: events written to PostgreSQL in the same transaction as the business rows are
// applied to MongoDB afterwards, each by its topic's handler, and marked processed. A crash between
// applying and marking means the event is applied again: handlers are idempotent (keyed by the
// event id or a natural key), so nothing is lost and nothing is duplicated. Several processes may
// relay at once: each batch is claimed with FOR UPDATE SKIP LOCKED.
import type { PrismaClient } from '../generated/prisma/client.js';

export interface OutboxEvent {
  id: string;
  topic: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export type OutboxHandler = (event: OutboxEvent) => Promise<void>;

export interface RelayOptions {
  batchSize?: number;
  /** Called when a handler fails (the event stays for a later attempt). */
  onError?: (event: OutboxEvent, error: unknown) => void;
  /** Called when a background run (kick, timer) fails as a whole, e.g. PostgreSQL is away; the next run retries. */
  onRunError?: (error: unknown) => void;
  /** Test hook: runs after an event is applied and before it is marked processed. */
  afterApply?: (event: OutboxEvent) => Promise<void> | void;
}

export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  /** The background run in progress, and at most one more queued behind it. */
  private running: Promise<number> | undefined;
  private queued: Promise<number> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly handlers: Record<string, OutboxHandler>,
    private readonly options: RelayOptions = {},
  ) {}

  /** Applies the pending events (oldest first) in one batch; returns how many were processed. */
  async runOnce(): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const events = await tx.$queryRaw<OutboxEvent[]>`
        SELECT id, topic, payload, created_at AS "createdAt" FROM outbox
        WHERE processed_at IS NULL ORDER BY created_at, id LIMIT ${this.options.batchSize ?? 50}
        FOR UPDATE SKIP LOCKED`;
      let processed = 0;
      for (const event of events) {
        const handler = this.handlers[event.topic];
        try {
          if (!handler) throw new Error(`no handler for outbox topic ${event.topic}`);
          await handler(event);
          await this.options.afterApply?.(event);
          // Processed events keep their topic and times; the payload (possibly health data) goes.
          await tx.outboxEvent.update({ where: { id: event.id }, data: { processedAt: new Date(), payload: {}, attempts: { increment: 1 }, lastError: null } });
          processed += 1;
        } catch (error) {
          this.options.onError?.(event, error);
          await tx.outboxEvent.update({ where: { id: event.id }, data: { attempts: { increment: 1 }, lastError: String((error as Error)?.name ?? 'Error').slice(0, 500) } });
          break; // keep what was done; later events must not overtake this one
        }
      }
      return processed;
    }, { timeout: 30_000 });
  }

  /**
   * Runs a batch now, or right after the current one, without overlapping runs. Kicks that come
   * while a run is already queued share it: it starts after them, so it sees their events.
   */
  kick(): Promise<number> {
    if (!this.running) return this.launch();
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      return this.launch();
    });
    return this.queued;
  }

  private launch(): Promise<number> {
    const run: Promise<number> = this.runOnce()
      .catch((error: unknown) => {
        this.options.onRunError?.(error);
        return 0;
      })
      .finally(() => {
        if (this.running === run) this.running = undefined;
      });
    this.running = run;
    return run;
  }

  start(intervalMs = 500): void {
    this.timer ??= setInterval(() => void this.kick(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await (this.queued ?? this.running);
  }
}
