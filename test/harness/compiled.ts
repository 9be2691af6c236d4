// The compiled commands (dist/, built by npm test) run as a user runs them, in development, against a
// PostgreSQL database, a MongoDB database and a data directory of the test's own.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { createTestDatabase } from './postgres.js';

export interface CompiledEnvironment {
  env: NodeJS.ProcessEnv;
  databaseUrl: string;
  drop(): Promise<void>;
}

export const hasServers = () => Boolean(inject('postgresTemplateUrl') && inject('redisUrl'));

export async function compiledEnvironment(overrides: NodeJS.ProcessEnv = {}): Promise<CompiledEnvironment> {
  const database = await createTestDatabase();
  if (database.target.kind !== 'server') throw new Error('expected a PostgreSQL server');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'clinic-compiled-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DATABASE_URL: database.target.url,
    MONGODB_URL: inject('mongoUri'),
    MONGODB_DB: `compiled_${randomBytes(4).toString('hex')}`,
    REDIS_URL: inject('redisUrl')!,
    ...overrides,
  };
  return {
    env,
    databaseUrl: database.target.url,
    async drop() {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The same, as production runs the server: NODE_ENV=production with the settings it requires. */
export const productionEnvironment = (): Promise<CompiledEnvironment> =>
  compiledEnvironment({
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    TOKEN_SECRET: randomBytes(24).toString('hex'),
    APP_URL: 'https://app.example.org',
    PRESCRIPTION_SIGNING_KEY: 'rx-test-1:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc',
  });

/** One statement on a compiled command's database, to check what it left there. */
export async function sql<T>(databaseUrl: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/src/scripts/<script>.js ...args` to its end (killed after `timeoutMs`). */
export function runCompiled(script: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`dist/src/scripts/${script}.js`, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234/graphql */
  url: string;
  /** What it printed until it said where it listens, and the lines after (the demo accounts). */
  stdout(): string;
  stop(): Promise<void>;
}

/** Starts `node dist/src/main.js` on a free port and waits until it has printed its banner. */
export function startCompiledServer(env: NodeJS.ProcessEnv, timeoutMs = 45_000): Promise<RunningServer> {
  const child = spawn(process.execPath, ['dist/src/main.js'], { env: { ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the server printed no banner within ${timeoutMs} ms: ${stderr.slice(0, 1000)}`));
    }, timeoutMs);
    child.once('exit', (code) => reject(new Error(`the server exited (${code}): ${stderr.slice(0, 1000)}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /running at (http:\/\/\S+\/graphql)[\s\S]*New tokens:/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      resolve({ url: match[1], stdout: () => stdout, stop });
    });
  });
}

export interface ProductionServer {
  child: ChildProcess;
  /** Its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** SIGKILL if it still runs. */
  kill(): void;
}

/** Starts `node [...nodeArgs] dist/src/main.js` on a free port; resolves once it logs that it listens. */
export async function startProductionServer(
  env: NodeJS.ProcessEnv,
  nodeArgs: string[] = [],
  timeoutMs = 30_000,
): Promise<ProductionServer> {
  const child = spawn(process.execPath, [...nodeArgs, 'dist/src/main.js'], {
    env: { ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const kill = () => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the server did not start within ${timeoutMs} ms: ${stderr.slice(0, 500)}`)),
        timeoutMs,
      );
      void exited.then((code) => (clearTimeout(timer), reject(new Error(`the server exited (${code}): ${stderr.slice(0, 500)}`))));
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('API listening')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  } catch (error) {
    kill();
    throw error;
  }
  return { child, exited, kill };
}
