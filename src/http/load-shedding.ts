// Overload is shed, not queued without bound: at most `maxConcurrent` GraphQL requests run at once,
// up to `maxQueued` more wait (each at most `maxWaitMs`) for one of them to finish, and anything
// beyond gets a fast 503 with Retry-After and a typed error body. Health checks never come here,
// so they stay responsive however busy the API is.
//
// Written here rather than taken from npm: what it needs is a counter and a bounded FIFO (a few
// lines); the packages that shed load measure event-loop delay or memory and belong to a framework
// (Fastify's under-pressure), and the concurrency limiters (p-limit and the like) queue without
// bound, which is the behaviour this replaces.
import type { ServerResponse } from 'node:http';

export interface LoadSheddingOptions {
  /** GraphQL requests running at once; 0 turns shedding off. */
  maxConcurrent: number;
  /** Requests that may wait for a running one to finish. */
  maxQueued: number;
  /** The longest a request waits in the queue before it is shed. */
  maxWaitMs: number;
}

/** What a shed request is told: try again after this many seconds. */
export const RETRY_AFTER_SECONDS = 1;

interface Waiter {
  admit(): void;
  timer: NodeJS.Timeout;
}

export class ConcurrencyLimit {
  private running = 0;
  private readonly queue: Waiter[] = [];
  /** Requests shed since start. */
  shed = 0;

  constructor(private readonly options: LoadSheddingOptions) {}

  /** Resolves with a release function once the request may run, or null when it is shed. */
  acquire(): Promise<(() => void) | null> | (() => void) | null {
    if (this.options.maxConcurrent === 0) return () => {};
    if (this.running < this.options.maxConcurrent) return this.admitted();
    if (this.queue.length >= this.options.maxQueued) return this.refused();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        admit: () => {
          clearTimeout(waiter.timer);
          resolve(this.admitted());
        },
        timer: setTimeout(() => {
          this.queue.splice(this.queue.indexOf(waiter), 1);
          resolve(this.refused());
        }, this.options.maxWaitMs),
      };
      this.queue.push(waiter);
    });
  }

  private admitted(): () => void {
    this.running += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      this.queue.shift()?.admit();
    };
  }

  private refused(): null {
    this.shed += 1;
    return null;
  }

  /** Runs `handle` within the limit, or answers 503 at once. */
  async run(response: ServerResponse, handle: () => Promise<void>): Promise<void> {
    const release = await this.acquire();
    if (!release) return sendOverloaded(response);
    // A client gone while it waited (or while it runs) gives its place back at once: its request
    // may never finish reading a body that will not come.
    response.once('close', release);
    if (response.destroyed) return release();
    try {
      await handle();
    } finally {
      release();
    }
  }
}

function sendOverloaded(response: ServerResponse): void {
  response.statusCode = 503;
  response.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
  response.setHeader('cache-control', 'no-store');
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(
    JSON.stringify({
      errors: [
        {
          message: 'The server is busy. Try again shortly.',
          extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: RETRY_AFTER_SECONDS },
        },
      ],
    }),
  );
}
