// A benchmarked server as seen from the benchmark: its own process (a node:cluster primary when
// `workers` > 1), reached over HTTP on `port` and asked for its counters over IPC.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/platform/paths.js';
import { freePort } from '../../test/harness/own-redis.js';
import type { Stats } from '../servers/host.js';
import { startChild, stopChild } from './processes.js';

export class ServerProcess {
  private nextId = 0;

  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  /** Starts bench/servers/<entry>.ts with `settings` (JSON in BENCH_SERVER); resolves once every process listens. */
  static async start(name: string, entry: string, settings: object, workers: number): Promise<ServerProcess> {
    const port = await freePort();
    const child = startChild(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'bench', 'servers', `${entry}.ts`)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, BENCH_SERVER: JSON.stringify(settings), BENCH_PORT: String(port), BENCH_WORKERS: String(workers) },
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s`)), 60_000);
      child.on('message', (message: { type?: string }) => {
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${code}) while starting`));
      });
    });
    return new ServerProcess(name, port, child);
  }

  stats(): Promise<Stats> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not report its counters`)), 10_000);
      const listen = (message: { type?: string; id?: number } & Stats) => {
        if (message.type !== 'stats-reply' || message.id !== id) return;
        clearTimeout(timer);
        this.child.off('message', listen);
        resolve(message);
      };
      this.child.on('message', listen);
      this.child.send({ type: 'stats', id });
    });
  }

  stop(): Promise<void> {
    return stopChild(this.child);
  }
}
