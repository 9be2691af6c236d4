// Redis frozen mid-run: the API (one process, cache on a Redis of the benchmark's own) under a
// fixed arrival rate of a mix of operations; the Redis is stopped with SIGSTOP after `before`
// seconds and resumed with SIGCONT `frozen` seconds later (after a 3-second warm-up). Latency and
// errors per phase.
import { startOwnRedis } from '../test/harness/own-redis.js';
import { LoadClient, openLoop, percentile, type Request } from './lib/load.js';
import { ServerProcess } from './lib/server-process.js';
import { BENCH_CLIENT } from './settings.js';

export interface FreezeOptions {
  rate: number;
  before: number;
  frozen: number;
  after: number;
}

const CLINICS = JSON.stringify({ operationName: 'Clinics', query: 'query Clinics { clinics { id name city } }', variables: {} });

export async function redisFreeze(apiSettings: object, sources: Array<() => Request>, options: FreezeOptions): Promise<void> {
  const redis = await startOwnRedis();
  let api: ServerProcess | undefined;
  try {
    api = await ServerProcess.start('api (own Redis)', 'api-server', { ...apiSettings, redisUrl: redis.url, cache: true }, 1);
    const mix = [() => ({ client: BENCH_CLIENT, body: CLINICS }), ...sources];
    let turn = 0;
    const next = () => mix[turn++ % mix.length]();
    const client = new LoadClient(api.port, 256);
    const phases = [
      { name: 'before', until: options.before * 1000, latencies: [] as number[], errors: new Map<string, number>() },
      { name: 'frozen', until: (options.before + options.frozen) * 1000, latencies: [] as number[], errors: new Map<string, number>() },
      { name: 'after', until: Infinity, latencies: [] as number[], errors: new Map<string, number>() },
    ];
    await openLoop(client, next, options.rate, 3); // warm-up: a fresh process's first requests are slow
    const freezeTimer = setTimeout(() => redis.freeze(), options.before * 1000);
    const thawTimer = setTimeout(() => redis.thaw(), (options.before + options.frozen) * 1000);
    await openLoop(client, next, options.rate, options.before + options.frozen + options.after, (due, latency, kind) => {
      const phase = phases.find((p) => due < p.until)!;
      phase.latencies.push(latency);
      if (kind !== 'ok') phase.errors.set(kind, (phase.errors.get(kind) ?? 0) + 1);
    });
    clearTimeout(freezeTimer);
    clearTimeout(thawTimer);
    redis.thaw();
    client.close();
    console.log(
      `\nRedis frozen mid-run (SIGSTOP ${options.before}s in, SIGCONT ${options.frozen}s later): ${options.rate} requests/s, a mix of clinics (cached directory) and the operations above`,
    );
    console.log(`${'phase'.padEnd(8)} ${'requests'.padEnd(9)} ${'p50 ms'.padEnd(8)} ${'p99 ms'.padEnd(8)} ${'max ms'.padEnd(8)} errors`);
    for (const phase of phases) {
      const sorted = phase.latencies.sort((a, b) => a - b);
      const errors = [...phase.errors].map(([kind, count]) => `${kind} ${count}`).join(', ') || '0';
      console.log(
        `${phase.name.padEnd(8)} ${String(sorted.length).padEnd(9)} ${percentile(sorted, 50).toFixed(1).padEnd(8)} ${percentile(sorted, 99).toFixed(1).padEnd(8)} ${(sorted[sorted.length - 1] ?? NaN).toFixed(1).padEnd(8)} ${errors}`,
      );
    }
  } finally {
    await api?.stop();
    await redis.stop();
  }
}
