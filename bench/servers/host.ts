// Runs one benchmarked server as one process or as a node:cluster of `workers` processes on one
// port, and answers the benchmark's questions over IPC: {type: 'stats'} gets the CPU time (user +
// system, microseconds), SQL statements, MongoDB commands and requests of every process so far.
import cluster from 'node:cluster';
import type http from 'node:http';

export interface Stats {
  cpuMicros: number;
  sql: number;
  mongo: number;
  requests: number;
}

export interface Started {
  server: http.Server;
  counts(): { sql: number; mongo: number };
  stop(): Promise<void>;
}

type Message = { type: 'stats'; id: number } | { type: 'ready' } | ({ type: 'stats-reply'; id: number } & Stats);

function ownCpu(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

async function runPrimary(workers: number): Promise<void> {
  const forked = Array.from({ length: workers }, () => cluster.fork());
  await Promise.all(
    forked.map(
      (worker) => new Promise<void>((resolve) => worker.on('message', (message: Message) => message.type === 'ready' && resolve())),
    ),
  );
  let next = 0;
  process.on('message', async (message: Message) => {
    if (message.type !== 'stats') return;
    const replies = await Promise.all(
      forked.map(
        (worker) =>
          new Promise<Stats>((resolve) => {
            const id = ++next;
            const listen = (reply: Message) => {
              if (reply.type !== 'stats-reply' || reply.id !== id) return;
              worker.off('message', listen);
              resolve(reply);
            };
            worker.on('message', listen);
            worker.send({ type: 'stats', id });
          }),
      ),
    );
    const sum = replies.reduce(
      (total, s) => ({
        cpuMicros: total.cpuMicros + s.cpuMicros,
        sql: total.sql + s.sql,
        mongo: total.mongo + s.mongo,
        requests: total.requests + s.requests,
      }),
      { cpuMicros: ownCpu(), sql: 0, mongo: 0, requests: 0 },
    );
    process.send!({ type: 'stats-reply', id: message.id, ...sum });
  });
  process.once('SIGTERM', async () => {
    await Promise.all(
      forked.map(
        (worker) =>
          new Promise((resolve) => {
            worker.once('exit', resolve);
            worker.process.kill('SIGTERM');
          }),
      ),
    );
    process.exit(0);
  });
  process.send!({ type: 'ready' });
}

async function runServer(start: () => Promise<Started>, port: number): Promise<void> {
  const started = await start();
  let requests = 0;
  started.server.on('request', () => void (requests += 1));
  process.on('message', (message: Message) => {
    if (message.type !== 'stats') return;
    process.send!({ type: 'stats-reply', id: message.id, cpuMicros: ownCpu(), requests, ...started.counts() });
  });
  process.once('SIGTERM', async () => {
    await started.stop().catch(() => {});
    process.exit(0);
  });
  await new Promise<void>((resolve) => started.server.listen(port, '127.0.0.1', resolve));
  process.send!({ type: 'ready' });
}

/** The entry of a server process: BENCH_PORT and BENCH_WORKERS come from the benchmark. */
export async function host(start: () => Promise<Started>): Promise<void> {
  const port = Number(process.env.BENCH_PORT);
  const workers = Number(process.env.BENCH_WORKERS ?? 1);
  // Never outlive the benchmark (or, for a worker, its primary): the IPC channel closes when it goes.
  process.once('disconnect', () => process.exit(0));
  if (workers > 1 && cluster.isPrimary) await runPrimary(workers);
  else await runServer(start, port);
}
