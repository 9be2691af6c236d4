// One operation against one server: peak throughput (closed loop), then latency at half of that
// peak (open loop), with the server's CPU time per request over each phase; round trips per
// request (SQL statements and MongoDB commands, counted by the server); and the answers of two
// servers compared.
import { closedLoop, LoadClient, openLoop, percentile, type Outcome, type Request } from './lib/load.js';
import { cpuMicrosOf } from './lib/processes.js';
import type { ServerProcess } from './lib/server-process.js';

export interface Timing {
  peakRps: number;
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  /** Server CPU (every process of it) per request, at half of peak. */
  cpuMicros: number;
  /** MongoDB stand-in CPU per request, at half of peak (null with an external MongoDB). */
  mongoCpuMicros: number | null;
  kinds: Record<string, number>;
}

export interface MeasureOptions {
  clients: number;
  warmupSeconds: number;
  peakSeconds: number;
  openSeconds: number;
  standinPid?: number;
}

const merge = (into: Record<string, number>, outcome: Outcome) => {
  for (const [kind, count] of outcome.kinds) into[kind] = (into[kind] ?? 0) + count;
};

/** `source()` gives the request stream of one phase (booking uses fresh slots in each). */
export async function measure(server: ServerProcess, source: () => () => Request, options: MeasureOptions): Promise<Timing> {
  const client = new LoadClient(server.port, 256);
  try {
    const kinds: Record<string, number> = {};
    await closedLoop(client, source(), options.clients, options.warmupSeconds);
    const peak = await closedLoop(client, source(), options.clients, options.peakSeconds);
    merge(kinds, peak);
    const peakRps = peak.latenciesMs.length / peak.seconds;
    const rate = Math.max(1, Math.round(peakRps / 2));
    const before = await server.stats();
    const mongoBefore = options.standinPid ? await cpuMicrosOf(options.standinPid) : null;
    const open = await openLoop(client, source(), rate, options.openSeconds);
    const after = await server.stats();
    const mongoAfter = options.standinPid ? await cpuMicrosOf(options.standinPid) : null;
    merge(kinds, open);
    const sorted = [...open.latenciesMs].sort((a, b) => a - b);
    const requests = Math.max(1, after.requests - before.requests);
    return {
      peakRps,
      rate,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      cpuMicros: (after.cpuMicros - before.cpuMicros) / requests,
      mongoCpuMicros: mongoBefore !== null && mongoAfter !== null ? (mongoAfter - mongoBefore) / requests : null,
      kinds,
    };
  } finally {
    client.close();
  }
}

export interface RoundTrips {
  sql: number[];
  mongo: number[];
}

/** SQL statements and MongoDB commands of `count` requests sent one at a time (background work makes a few higher: read the median). */
export async function roundTrips(server: ServerProcess, next: () => Request, count = 9): Promise<RoundTrips> {
  const client = new LoadClient(server.port, 1);
  const result: RoundTrips = { sql: [], mongo: [] };
  try {
    for (let i = 0; i < count; i++) {
      const before = await server.stats();
      await client.send(next());
      await new Promise((resolve) => setTimeout(resolve, 20)); // audit writes may finish after the answer
      const after = await server.stats();
      result.sql.push(after.sql - before.sql);
      result.mongo.push(after.mongo - before.mongo);
    }
  } finally {
    client.close();
  }
  return result;
}

export const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/** JSON with keys in order, ids and instants of new rows masked when `mask` (bookings). */
function canonical(value: unknown, mask: boolean): string {
  return JSON.stringify(value, (key, current: unknown) => {
    if (mask && (key === 'id' || key === 'startsAt' || key === 'endsAt' || key === 'clashesWith')) return '*';
    if (current && typeof current === 'object' && !Array.isArray(current)) {
      return Object.fromEntries(Object.entries(current as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
    }
    return current;
  });
}

/** What a client compares: the data, and the codes of the errors. */
function comparable(body: string, mask: boolean): string {
  const parsed = JSON.parse(body) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
  return canonical({ data: parsed.data ?? null, errors: (parsed.errors ?? []).map((error) => error.extensions?.code ?? null) }, mask);
}

/** Sends each request to both servers; returns a description of the first difference, or null. */
export async function compareAnswers(
  ours: ServerProcess,
  floor: ServerProcess,
  requests: Array<[Request, Request]>,
  mask = false,
): Promise<string | null> {
  const a = new LoadClient(ours.port, 1);
  const b = new LoadClient(floor.port, 1);
  try {
    for (const [toOurs, toFloor] of requests) {
      const [x, y] = [await a.send(toOurs), await b.send(toFloor)];
      if (x.status !== y.status) return `HTTP ${x.status} vs ${y.status}: ${x.body.slice(0, 300)} | ${y.body.slice(0, 300)}`;
      const [cx, cy] = [comparable(x.body, mask), comparable(y.body, mask)];
      if (cx !== cy) {
        let at = 0;
        while (at < cx.length && cx[at] === cy[at]) at++;
        return `answers differ at character ${at}: ours …${cx.slice(Math.max(0, at - 80), at + 120)}… floor …${cy.slice(Math.max(0, at - 80), at + 120)}…`;
      }
    }
    return null;
  } finally {
    a.close();
    b.close();
  }
}
