// The outbox relay: events written to PostgreSQL in the same transaction as the business rows are
// applied to MongoDB afterwards, each by its topic's handler, as a job of the job queue
// (src/platform/jobs.ts): claimed by one process, retried with backoff, retried after a crash, and
// dead-lettered after its last attempt (the row's `dead_lettered_at`, logged at error level) without
// holding up the events of other subjects. Handlers are idempotent (keyed by the event id or a
// natural key): an event applied by a process that died before marking it is applied again, and
// nothing is lost or duplicated.
//
// Order: a topic may name the subject of its events (an appointment); the events of one subject are
// applied one after the other in the order they were written (`seq`), never overtaking one another:
// the relay hands a subject's next event to the queue only once the one before it is processed, so
// a dead-lettered event holds back the later events of its subject (and only those) until it is
// retried. This relies on the writers: two events of one subject are written by transactions that
// serialize on the subject's own row (an appointment's update), so `seq` is their commit order.
// Events of topics without a subject are independent of each other.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { JobDefinition, JobQueue } from './jobs.js';

export interface OutboxEvent {
  id: string;
  topic: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export type OutboxHandler = (event: OutboxEvent) => Promise<void>;

/** A topic whose events about one subject must be applied in the order they were written. */
export interface OrderedOutboxHandler {
  apply: OutboxHandler;
  /** The subject an event is about, e.g. `appointment:<id>` (the same for every topic about it). */
  subjectOf(payload: Record<string, unknown>): string;
}

/** Topic → handler: the map the relay applies events with. */
export type OutboxHandlers = Record<string, OutboxHandler | OrderedOutboxHandler>;

/** The queue of the events to apply, and the job that hands events to it every minute. */
export const OUTBOX_QUEUE = 'outbox';
export const OUTBOX_DISPATCH = 'outbox.dispatch';

export interface RelayOptions {
  /** Events handed to the queue per round. */
  batchSize?: number;
  /**
   * Attempts of an event before it is dead-lettered, and the backoff between them (seconds,
   * doubling with jitter up to the maximum). By default 11 attempts over about an hour: long enough
   * to ride out a MongoDB outage, so that what is dead-lettered is an event that cannot be applied.
   */
  retry?: { limit: number; delaySeconds: number; maxDelaySeconds: number };
  /** How long an attempt may run before it counts as failed (its process is taken for dead). */
  expireInSeconds?: number;
  /** Called when a background round fails as a whole, e.g. PostgreSQL is away; the next round retries. */
  onRunError?: (error: unknown) => void;
  /** Test hook: runs after an event is applied and before it is marked processed. */
  afterApply?: (event: OutboxEvent) => Promise<void> | void;
}

export interface DeadLetteredEvent {
  id: string;
  topic: string;
  subject: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  deadLetteredAt: Date;
}

const DEFAULT_RETRY = { limit: 10, delaySeconds: 5, maxDelaySeconds: 900 };

interface EventData {
  eventId: string;
}

export class OutboxRelay {
  /** The background round in progress, and at most one more queued behind it. */
  private running: Promise<number> | undefined;
  private queued: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly jobs: JobQueue,
    private readonly handlers: OutboxHandlers,
    private readonly options: RelayOptions = {},
  ) {}

  /** The relay's jobs: one per event, and the minutely round that catches events no kick handed over. */
  jobDefinitions(): [JobDefinition<EventData>, JobDefinition<null>] {
    const retry = this.options.retry ?? DEFAULT_RETRY;
    return [
      {
        name: OUTBOX_QUEUE,
        queue: {
          retryLimit: retry.limit,
          retryDelay: retry.delaySeconds,
          retryBackoff: true,
          retryDelayMax: retry.maxDelaySeconds,
          expireInSeconds: this.options.expireInSeconds ?? 60,
        },
        pollingIntervalSeconds: 1,
        batchSize: 10,
        run: async ({ eventId }) => {
          const applied = await this.apply(eventId);
          // The subject's next event may go now.
          if (applied && this.jobs.background && !this.stopped) void this.kick();
          return { applied };
        },
        onDeadLetter: async ({ eventId }) => {
          const [row] = await this.prisma.$queryRaw<Array<{ topic: string; attempts: number; lastError: string | null }>>`
            UPDATE outbox SET dead_lettered_at = now() WHERE id = ${eventId}::uuid
            RETURNING topic, attempts, last_error AS "lastError"`;
          return { outbox: { eventId, ...row } };
        },
      },
      {
        name: OUTBOX_DISPATCH,
        queue: { policy: 'singleton', retryLimit: 2, expireInSeconds: 60 },
        schedule: '* * * * *',
        pollingIntervalSeconds: 5,
        run: async () => ({ dispatched: await this.kick() }),
      },
    ];
  }

  private subjectOf(event: { id: string; topic: string; payload: Record<string, unknown> }): string {
    const handler = this.handlers[event.topic];
    return (handler && typeof handler !== 'function' ? handler.subjectOf(event.payload) : `event:${event.id}`).slice(0, 200);
  }

  /**
   * Hands to the queue the next event of each subject that has none in it (oldest first), after
   * labelling new events with their subject; returns how many it handed over. Safe to run in several
   * processes at once: an event's job has the event's id, so a second hand-over adds nothing.
   */
  async dispatch(): Promise<number> {
    const batchSize = this.options.batchSize ?? 100;
    const unlabelled = await this.prisma.$queryRaw<Array<{ id: string; topic: string; payload: Record<string, unknown> }>>`
      SELECT id, topic, payload FROM outbox WHERE subject IS NULL AND processed_at IS NULL ORDER BY seq LIMIT ${batchSize * 5}`;
    if (unlabelled.length > 0) {
      await this.prisma.$executeRaw`
        UPDATE outbox SET subject = labels.subject
        FROM unnest(${unlabelled.map((event) => event.id)}::uuid[], ${unlabelled.map((event) => this.subjectOf(event))}::text[]) AS labels(id, subject)
        WHERE outbox.id = labels.id AND outbox.subject IS NULL`;
    }
    // One statement, so one snapshot: a subject whose oldest pending event is in the queue (or
    // dead-lettered) sends nothing more until that one is processed.
    const heads = await this.prisma.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM (
        SELECT DISTINCT ON (subject) id, seq, dispatched_at FROM outbox
        WHERE processed_at IS NULL AND subject IS NOT NULL ORDER BY subject, seq
      ) heads
      WHERE dispatched_at IS NULL ORDER BY seq LIMIT ${batchSize}`;
    if (heads.length === 0) return 0;
    const ids = heads.map((head) => head.id);
    // The jobs first: a crash before the rows are marked leaves them to a later round, which finds
    // the jobs already there.
    await this.jobs.insert(
      OUTBOX_QUEUE,
      ids.map((id) => ({ id, data: { eventId: id } })),
    );
    await this.prisma.$executeRaw`UPDATE outbox SET dispatched_at = now() WHERE id = ANY(${ids}::uuid[]) AND dispatched_at IS NULL`;
    this.jobs.wake(OUTBOX_QUEUE);
    return heads.length;
  }

  /** Applies one event unless it was already; true when it was applied now. Throws when it fails. */
  private async apply(eventId: string): Promise<boolean> {
    const [event] = await this.prisma.$queryRaw<Array<OutboxEvent & { processedAt: Date | null }>>`
      SELECT id, topic, payload, created_at AS "createdAt", processed_at AS "processedAt" FROM outbox WHERE id = ${eventId}::uuid`;
    if (!event || event.processedAt) return false;
    const handler = this.handlers[event.topic];
    try {
      if (!handler) throw new Error(`no handler for outbox topic ${event.topic}`);
      await (typeof handler === 'function' ? handler : handler.apply)(event);
      await this.options.afterApply?.(event);
    } catch (error) {
      // The kind of error only: messages may quote what failed (health data).
      await this.prisma.outboxEvent.update({
        where: { id: event.id },
        data: { attempts: { increment: 1 }, lastError: String((error as Error)?.name ?? 'Error').slice(0, 500) },
      });
      throw error;
    }
    // Processed events keep their topic and times; the payload (possibly health data) goes.
    const { count } = await this.prisma.outboxEvent.updateMany({
      where: { id: event.id, processedAt: null },
      data: { processedAt: new Date(), payload: {}, attempts: { increment: 1 }, lastError: null },
    });
    return count === 1;
  }

  /** The events dead-lettered and not processed since, oldest first: they hold back their subjects. */
  deadLetters(): Promise<DeadLetteredEvent[]> {
    return this.prisma.$queryRaw<DeadLetteredEvent[]>`
      SELECT id, topic, subject, attempts, last_error AS "lastError", created_at AS "createdAt", dead_lettered_at AS "deadLetteredAt"
      FROM outbox WHERE dead_lettered_at IS NOT NULL AND processed_at IS NULL ORDER BY seq`;
  }

  /**
   * Gives dead-lettered events (these, or all) a new round of attempts, e.g. once what made them
   * fail is fixed: the next round hands them to the queue again, ahead of their subjects' later
   * events. Returns the ids of those it took.
   */
  async retryDeadLetters(eventIds?: string[]): Promise<string[]> {
    const ids = (await this.deadLetters()).map((event) => event.id).filter((id) => !eventIds || eventIds.includes(id));
    // Their failed jobs first: a new job gets the event's id again.
    await this.jobs.deleteJobs(OUTBOX_QUEUE, ids);
    await this.prisma
      .$executeRaw`UPDATE outbox SET dead_lettered_at = NULL, dispatched_at = NULL WHERE id = ANY(${ids}::uuid[]) AND processed_at IS NULL`;
    return ids;
  }

  /**
   * Applies the pending events now, here (tests, commands): events waiting out a retry delay get
   * one more attempt, and each subject's later events follow as their turn comes. Returns how many
   * were applied.
   */
  async runOnce(): Promise<number> {
    const [events] = this.jobDefinitions();
    await this.jobs.expedite(OUTBOX_QUEUE);
    let applied = 0;
    for (;;) {
      const dispatched = await this.dispatch();
      const outputs = await this.jobs.drain(events);
      applied += outputs.filter((output) => (output as { applied?: boolean }).applied).length;
      if (dispatched === 0) return applied;
    }
  }

  /**
   * Hands events to the queue now, or right after the current round, without overlapping rounds.
   * Kicks that come while a round is already queued share it: it starts after them, so it sees
   * their events.
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
    const run: Promise<number> = this.dispatch()
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

  /** Waits for the round under way; no round starts after this. */
  async stop(): Promise<void> {
    this.stopped = true;
    await (this.queued ?? this.running);
  }
}
