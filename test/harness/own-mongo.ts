// A MongoDB stand-in of the test's own (so that freezing it disturbs no one else): the project's
// stand-in CLI on a free port of 127.0.0.1, in memory, frozen and thawed with SIGSTOP / SIGCONT,
// stopped by pid (and killed when the test process exits, whatever happens).
import { spawn, type ChildProcess } from 'node:child_process';
import { PROJECT_ROOT } from '../../src/platform/paths.js';

export interface OwnMongo {
  uri: string;
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

export async function startOwnMongo(): Promise<OwnMongo> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'packages/mongo-standin/src/cli.ts', '--port', '0'], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`startOwnMongo: the stand-in did not start within 20 s: ${output.slice(0, 300)}`)),
      20_000,
    );
    child.once('error', (error) => (clearTimeout(timer), reject(error)));
    child.once(
      'exit',
      (code) => (clearTimeout(timer), reject(new Error(`startOwnMongo: the stand-in exited (${code}): ${output.slice(0, 300)}`))),
    );
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /mongodb:\/\/\S+/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[0]);
      }
    });
  }).catch((error: Error) => {
    process.off('exit', killOnExit);
    child.kill('SIGKILL');
    throw error;
  });
  child.removeAllListeners('exit');
  return {
    uri,
    freeze: () => void child.kill('SIGSTOP'),
    thaw: () => void child.kill('SIGCONT'),
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited;
    },
  };
}
