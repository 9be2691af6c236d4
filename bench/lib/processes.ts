// Child processes of a benchmark run: started here, each stopped by its pid when the run ends,
// fails or is interrupted (Ctrl-C), so that nothing outlives the run.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';

const running = new Set<ChildProcess>();

function killAll(): void {
  for (const child of running) {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) continue;
    try {
      process.kill(child.pid, 'SIGCONT'); // a frozen child must be able to die
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

let installed = false;

/** Stops every child on exit, on an uncaught error and on SIGINT / SIGTERM (then exits 130 / 143). */
function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.once('exit', killAll);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping the processes this run started\n`);
      killAll();
      process.exit(code);
    });
  }
}

export function startChild(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  installCleanup();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], ...options });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGCONT');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Resolves with the first match of `pattern` on the child's stdout; rejects if it exits first or after `timeoutMs`. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} from pid ${child.pid} within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stdout?.resume(); // keep draining what follows
      resolve(match);
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`pid ${child.pid} exited (${code ?? signal}) before printing ${pattern}`));
    });
  });
}

/** Resident memory of a process in MiB (Linux /proc), or null where it cannot be read. */
export async function residentMiB(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/**
 * The project's MongoDB stand-in as its own process; `dataDir` keeps its data across runs (emptied
 * first when `fresh`). Its TTL monitor looks at every document of a TTL-indexed collection each
 * time it runs (1 s by default): with the audit trail loaded that is most of a core, so it runs
 * hourly here (nothing the benchmark reads expires within a run).
 */
export async function startStandin(dataDir: string, options: { fresh?: boolean } = {}): Promise<{ uri: string; child: ChildProcess }> {
  if (options.fresh) await rm(dataDir, { recursive: true, force: true });
  const args = [
    '--import',
    'tsx',
    'packages/mongo-standin/src/cli.ts',
    '--port',
    '0',
    '--ttl-interval-ms',
    '3600000',
    '--data-dir',
    dataDir,
  ];
  const child = startChild(process.execPath, ['--max-old-space-size=16384', ...args]);
  const [uri] = await waitForOutput(child, /mongodb:\/\/\S+/, 600_000);
  return { uri, child };
}

/** CPU time (user + system) a process has used, in microseconds (Linux /proc; clock ticks of 10 ms). */
export async function cpuMicrosOf(pid: number): Promise<number | null> {
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return null;
  }
}
