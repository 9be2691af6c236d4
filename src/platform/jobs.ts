// Background jobs, in PostgreSQL through pg-boss: a job is claimed by one worker of one process
// (FOR UPDATE SKIP LOCKED), retried with exponential backoff when it fails, retried as well when
// its process dies (it expires after `expireInSeconds`), and after its last attempt moved to the
// dead letters, where it is logged at error level and kept. Scheduled jobs (cron) are sent once per
// occurrence across all processes. Every job, with its state and attempts, is a row of
// `pgboss.job`: `npm run jobs` shows the queues and the dead letters.
//
// Over a PostgreSQL server pg-boss has a small pool of its own; over the embedded PGlite it shares
// the one connection with Prisma (PGlite runs one statement or transaction at a time).
import { fromPglite, PgBoss, type ConstructorOptions, type Job, type JobResult, type JobWithMetadata, type Queue } from 'pg-boss';
import type { Logger } from 'pino';
import type { PostgresTarget } from './postgres.js';

/** Where every queue's jobs go after their last failed attempt. */
export const DEAD_LETTERS = 'dead-letters';

/** A kind of job. Its data are ids and times only: they are kept with the job and logged with a dead letter. */
export interface JobDefinition<T extends object | null = object> {
  /** The queue's name (letters, digits, `.`, `-`, `_`). */
  name: string;
  /** Policy, retries and backoff, expiry, retention (pg-boss queue options). */
  queue: Omit<Queue, 'name' | 'deadLetter'>;
  /** A cron expression (minutes): one job per occurrence, whatever the number of processes. */
  schedule?: string;
  /** How often an idle worker of this process looks for jobs, in seconds (at least 0.5). */
  pollingIntervalSeconds?: number;
  /** Jobs a worker takes at once (each settled on its own). */
  batchSize?: number;
  /** Does the work; what it resolves to is kept as the job's output. Throws to fail the attempt. */
  run(data: T, job: JobWithMetadata<T>): Promise<object | void>;
  /**
   * Called once a job of this queue has failed its last attempt (it is kept in the dead letters);
   * what it returns is added to the error logged about it.
   */
  onDeadLetter?(data: T): Promise<Record<string, unknown> | void>;
}

/** A definition as the queue keeps it, whatever its data type. */
type AnyDefinition = JobDefinition<never>;

export interface QueueStatus {
  name: string;
  queued: number;
  active: number;
  failed: number;
  total: number;
}

export interface DeadLetter {
  /** The dead letter's own job id, and the queue and job it came from. */
  id: string;
  queue: string | null;
  jobId: string | null;
  attempts: number | null;
  data: object;
  error: object | null;
  deadSince: Date;
}

export interface JobQueueOptions {
  /** The PostgreSQL schema pg-boss installs into and uses. */
  schema?: string;
  /** Connections of pg-boss's own pool (server only). */
  poolSize?: number;
  /** Workers and schedules (false: jobs run only when drained, as in tests and commands). */
  background: boolean;
  /** Test hooks: a pg-boss clock to drive time by hand; how often expired jobs are looked for (60 s). */
  clock?: ConstructorOptions['clock'];
  superviseIntervalSeconds?: number;
}

const DEAD_LETTER_QUEUE: Omit<Queue, 'name'> = {
  // Reporting a dead letter (its queue's onDeadLetter) is retried too; dead letters are kept 90 days.
  retryLimit: 10,
  retryDelay: 5,
  retryBackoff: true,
  retryDelayMax: 600,
  retentionSeconds: 90 * 86_400,
  deleteAfterSeconds: 90 * 86_400,
};

/** What a failed attempt leaves in the job's output: the error's kind only (messages may carry data). */
function failureOutput(error: unknown): { error: string } {
  return { error: (error instanceof Error ? error.name : typeof error).slice(0, 100) };
}

export class JobQueue {
  private readonly definitions = new Map<string, AnyDefinition>();
  private readonly workers = new Map<string, string>();

  private constructor(
    private readonly boss: PgBoss,
    private readonly log: Logger,
    /** Workers and schedules run in this process (else jobs run only when drained). */
    readonly background: boolean,
  ) {}

  /** Connects and installs or upgrades pg-boss's schema (under its own lock: several processes may start at once). */
  static async open(target: PostgresTarget, log: Logger, options: JobQueueOptions): Promise<JobQueue> {
    const where: ConstructorOptions =
      target.kind === 'server'
        ? { connectionString: target.url, max: options.poolSize ?? 4 }
        : { db: fromPglite(target.pglite), backend: 'pglite' };
    const boss = new PgBoss({
      ...where,
      schema: options.schema ?? 'pgboss',
      application_name: 'clinic-graph jobs',
      schedule: options.background,
      supervise: options.background,
      registerInstance: options.background,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.superviseIntervalSeconds ? { superviseIntervalSeconds: options.superviseIntervalSeconds } : {}),
    });
    boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
    boss.on('warning', (warning) => log.warn({ warning: warning.message }, 'job queue warning'));
    await boss.start();
    const queue = new JobQueue(boss, log, options.background);
    await queue.ensureQueue(DEAD_LETTERS, DEAD_LETTER_QUEUE);
    return queue;
  }

  /** The dead letters' own queue: each one reported (logged, then its source queue's onDeadLetter). */
  private readonly deadLetterDefinition: AnyDefinition = {
    name: DEAD_LETTERS,
    queue: DEAD_LETTER_QUEUE,
    pollingIntervalSeconds: 5,
    batchSize: 10,
    run: (_data, job) => this.reportDeadLetter(job),
  };

  /** Creates a queue, or brings its options up to date (several processes may do this at once). */
  private async ensureQueue(name: string, options: Omit<Queue, 'name'>): Promise<void> {
    if (!(await this.boss.getQueue(name))) {
      const created = await this.boss.createQueue(name, options).then(
        () => true,
        async (error: unknown) => {
          if (!(await this.boss.getQueue(name))) throw error;
          return false;
        },
      );
      if (created) return;
    }
    const { policy: _policy, partition: _partition, ...changeable } = options;
    await this.boss.updateQueue(name, changeable);
  }

  /**
   * Creates or updates each definition's queue (dead letters to DEAD_LETTERS) and schedule, and in
   * the background starts this process's workers. A name defined twice is refused.
   */
  async define(definitions: Array<JobDefinition<never>>): Promise<void> {
    for (const definition of definitions) {
      if (this.definitions.has(definition.name) || definition.name === DEAD_LETTERS)
        throw new Error(`job ${definition.name} is defined twice`);
      this.definitions.set(definition.name, definition);
      await this.ensureQueue(definition.name, { ...definition.queue, deadLetter: DEAD_LETTERS });
      if (!this.background) continue;
      if (definition.schedule) await this.boss.schedule(definition.name, definition.schedule);
      else await this.boss.unschedule(definition.name);
      await this.startWorker(definition);
    }
    if (this.background) await this.startWorker(this.deadLetterDefinition);
  }

  private async startWorker(definition: AnyDefinition): Promise<void> {
    if (this.workers.has(definition.name)) return;
    const id = await this.boss.work<object>(
      definition.name,
      {
        batchSize: definition.batchSize ?? 1,
        perJobResults: true,
        includeMetadata: true,
        pollingIntervalSeconds: definition.pollingIntervalSeconds ?? 2,
        burstWhenBatchFull: true,
      },
      async (jobs) => {
        const results: JobResult[] = [];
        for (const job of jobs) results.push(await this.attempt(definition, job));
        return results;
      },
    );
    this.workers.set(definition.name, id);
  }

  /** One attempt at a job: its outcome for pg-boss to record (a failure is retried or dead-lettered). */
  private async attempt(definition: AnyDefinition, job: Job<object>): Promise<JobResult> {
    try {
      const output = await definition.run(job.data as never, job as JobWithMetadata<never>);
      return { id: job.id, status: 'completed', output: output ?? undefined };
    } catch (error) {
      this.log.warn({ queue: definition.name, jobId: job.id, attempt: job.retryCount + 1, err: error }, 'job attempt failed');
      return { id: job.id, status: 'failed', output: failureOutput(error) };
    }
  }

  /** A job that failed its last attempt: its queue's own reaction, then said at error level. */
  private async reportDeadLetter(letter: JobWithMetadata<object>): Promise<void> {
    const source = letter.sourceName ? this.definitions.get(letter.sourceName) : undefined;
    const details = await source?.onDeadLetter?.(letter.data as never);
    this.log.error(
      {
        queue: letter.sourceName,
        jobId: letter.sourceId,
        data: letter.data,
        attempts: (letter.sourceRetryCount ?? 0) + 1,
        error: letter.sourceOutput,
        deadLetter: letter.id,
        ...details,
      },
      'job dead-lettered: it failed every attempt',
    );
  }

  /** Inserts several jobs in one statement; a job whose id exists already is skipped. */
  async insert(name: string, jobs: Array<{ id: string; data: object }>): Promise<void> {
    if (jobs.length > 0) await this.boss.insert(name, jobs);
  }

  /** Wakes this process's worker of a queue now rather than at its next poll. */
  wake(name: string): void {
    const id = this.workers.get(name);
    if (id) this.boss.notifyWorker(id);
  }

  /** Makes the jobs of a queue that wait out a retry delay due now (tests and commands: "now" means now). */
  async expedite(name: string): Promise<void> {
    const now = new Date();
    for (const job of await this.boss.findJobs(name, { queued: true })) {
      if (job.startAfter > now) await this.boss.update(name, undefined, { id: job.id, startAfter: now });
    }
  }

  /**
   * Runs here and now the jobs of a queue that are due, until none is (tests and commands, where
   * no worker runs); a job that fails waits its retry delay, so it is attempted once. The dead
   * letters it makes are reported. Returns the outputs of the jobs that completed.
   */
  async drain(definition: JobDefinition<never>): Promise<object[]> {
    const outputs: object[] = [];
    for (;;) {
      const jobs = await this.boss.fetch<object>(definition.name, { batchSize: 20, includeMetadata: true });
      if (jobs.length === 0) break;
      for (const job of jobs) {
        const result = await this.attempt(definition, job);
        const attempt = { id: job.id, retryCount: job.retryCount };
        if (result.status === 'completed') {
          await this.boss.complete(definition.name, attempt, result.output ?? null);
          outputs.push(result.output ?? {});
        } else {
          await this.boss.fail(definition.name, attempt, result.output ?? null);
        }
      }
    }
    if (definition.name !== DEAD_LETTERS) await this.drain(this.deadLetterDefinition);
    return outputs;
  }

  /** Deletes jobs, whatever their state (a job sent again with the same id is then a new one). */
  async deleteJobs(name: string, ids: string[]): Promise<void> {
    if (ids.length > 0) await this.boss.deleteJob(name, ids);
  }

  /** Job counts per queue (as of pg-boss's last monitoring pass, at most a minute old). */
  async status(): Promise<QueueStatus[]> {
    const queues = await this.boss.getQueues();
    return queues.map((queue) => ({
      name: queue.name,
      queued: queue.queuedCount,
      active: queue.activeCount,
      failed: queue.failedCount,
      total: queue.totalCount,
    }));
  }

  /** The dead letters kept (most recent first is not promised: oldest first). */
  async deadLetters(limit = 100): Promise<DeadLetter[]> {
    const jobs = await this.boss.findJobs<object>(DEAD_LETTERS, { limit });
    return jobs.map((job) => ({
      id: job.id,
      queue: job.sourceName,
      jobId: job.sourceId,
      attempts: job.sourceRetryCount === null ? null : job.sourceRetryCount + 1,
      data: job.data,
      error: job.sourceOutput,
      deadSince: job.createdOn,
    }));
  }

  /** The jobs of a queue kept now (any state), oldest first. */
  find(name: string, limit = 1_000): Promise<Array<JobWithMetadata<object>>> {
    return this.boss.findJobs<object>(name, { limit });
  }

  /** A job with its state, attempts and output (null once deleted by retention). */
  job(name: string, id: string): Promise<JobWithMetadata<object> | null> {
    return this.boss.getJobById<object>(name, id);
  }

  /** Stops the workers (waiting up to `graceMs` for the jobs they run) and lets go of the connections. */
  async stop(graceMs = 5_000): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: graceMs, close: true });
  }
}
