// The load generator: HTTP/1.1 keep-alive requests to 127.0.0.1, either closed-loop (a fixed number
// of clients sending back to back: peak throughput) or open-loop (requests sent on a fixed
// schedule whatever the answers: latency at a given arrival rate, measured from the time each
// request was due, so a stalled server is not hidden by requests not being sent).
import http from 'node:http';

export interface Request {
  body: string;
  token?: string;
  /** Sent as `apollographql-client-name`: a first-party client, which may send documents in production. */
  client?: string;
}

export interface Outcome {
  /** Answers by kind: 'ok', or the first error code (CONFLICT, FORBIDDEN, HTTP 500, ...). */
  kinds: Map<string, number>;
  latenciesMs: number[];
  seconds: number;
}

function classify(status: number, body: string): string {
  if (status !== 200) return `HTTP ${status}`;
  if (!body.includes('"errors"')) return 'ok';
  try {
    const parsed = JSON.parse(body) as { errors?: Array<{ extensions?: { code?: string } }> };
    return parsed.errors?.[0]?.extensions?.code ?? 'error';
  } catch {
    return 'unparsable';
  }
}

export class LoadClient {
  private readonly agent: http.Agent;

  constructor(
    private readonly port: number,
    sockets: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  /** One request; resolves with its status and body (never rejects: a failure is status 0). */
  send(request: Request): Promise<{ status: number; body: string }> {
    return new Promise((resolve) => {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(request.body)),
        'user-agent': 'clinic-graph-bench',
      };
      if (request.token) headers.authorization = `Bearer ${request.token}`;
      if (request.client) headers['apollographql-client-name'] = request.client;
      const outgoing = http.request(
        { host: '127.0.0.1', port: this.port, path: '/graphql', method: 'POST', headers, agent: this.agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', () => resolve({ status: 0, body: '' }));
        },
      );
      outgoing.on('error', () => resolve({ status: 0, body: '' }));
      outgoing.end(request.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function tally(kinds: Map<string, number>, kind: string): void {
  kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

/** `clients` senders, back to back, for `seconds`. */
export async function closedLoop(client: LoadClient, next: () => Request, clients: number, seconds: number): Promise<Outcome> {
  const kinds = new Map<string, number>();
  const latenciesMs: number[] = [];
  const started = now();
  const ends = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (now() < ends) {
        const sent = now();
        const { status, body } = await client.send(next());
        latenciesMs.push(now() - sent);
        tally(kinds, classify(status, body));
      }
    }),
  );
  return { kinds, latenciesMs, seconds: (now() - started) / 1000 };
}

/** Called for each answer of an open loop: when it was due (ms since the start), its latency and kind. */
export type Recorder = (dueMs: number, latencyMs: number, kind: string) => void;

/** `rate` requests a second for `seconds`, each latency counted from when it was due. */
export async function openLoop(
  client: LoadClient,
  next: () => Request,
  rate: number,
  seconds: number,
  record?: Recorder,
): Promise<Outcome> {
  const kinds = new Map<string, number>();
  const latenciesMs: number[] = [];
  const total = Math.max(1, Math.round(rate * seconds));
  const started = now();
  const inFlight: Array<Promise<void>> = [];
  for (let sent = 0; sent < total;) {
    const due = Math.floor(((now() - started) / 1000) * rate) + 1;
    for (; sent < Math.min(due, total); sent++) {
      const dueAt = started + (sent / rate) * 1000;
      inFlight.push(
        client.send(next()).then(({ status, body }) => {
          const kind = classify(status, body);
          latenciesMs.push(now() - dueAt);
          tally(kinds, kind);
          record?.(dueAt - started, now() - dueAt, kind);
        }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  return { kinds, latenciesMs, seconds: (now() - started) / 1000 };
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))];
}
