// A Redis server of the test's own (so that freezing it disturbs no one else): started on a free
// port of 127.0.0.1 with no persistence, frozen and thawed with SIGSTOP / SIGCONT, stopped by pid.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A TCP port of 127.0.0.1 that nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface OwnRedis {
  url: string;
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

/** Whether a redis-server binary can be run here (CI machines have one; a laptop may not). */
export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error === undefined;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  // A failed spawn (ENOENT: no redis-server) is an 'error' event, uncaught without a listener.
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  // Never outlive the test process, even when it ends without calling stop().
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  probe.on('error', () => {}); // refused until the server listens: retried below
  for (let attempt = 0; ; attempt++) {
    const exited = child.exitCode ?? child.signalCode;
    if (spawnError || exited !== null || attempt > 50) {
      process.off('exit', killOnExit);
      child.kill('SIGKILL');
      const why = spawnError ? spawnError.message : exited !== null ? `it exited (${exited})` : 'it did not answer within 5 s';
      throw new Error(`startOwnRedis: could not start redis-server on port ${port}: ${why}`);
    }
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    freeze: () => void child.kill('SIGSTOP'),
    thaw: () => void child.kill('SIGCONT'),
    async stop() {
      process.off('exit', killOnExit);
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    },
  };
}
