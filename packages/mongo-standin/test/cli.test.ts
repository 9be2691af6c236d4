// The command-line server: prints its URI, serves the driver, stops cleanly on SIGINT and SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';

const packageDir = new URL('../', import.meta.url).pathname;

function startCli(args: string[]): { child: ChildProcess; uri: Promise<string>; exit: Promise<number | null>; stderr: () => string } {
  const child = spawn('npm', ['run', '--silent', 'start', '--', ...args], { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const uri = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /mongodb:\/\/\S+/.exec(stdout);
      if (match) resolve(match[0]);
    });
    child.once('exit', () => reject(new Error(`exited before printing a URI: ${stderr}`)));
  });
  uri.catch(() => {}); // a run that is expected to fail never prints one
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, uri, exit, stderr: () => stderr };
}

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('npm start (the command-line server)', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`prints its mongodb:// URI, serves the driver and stops with exit code 0 on ${signal}`, async () => {
      const run = startCli(['--port', '0']);
      const uri = await run.uri;
      expect(uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+$/);
      const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 3000 });
      await client.db('cli').collection('c').insertOne({ ok: true });
      expect(await client.db('cli').collection('c').countDocuments()).toBe(1);
      await client.close();
      run.child.kill(signal);
      expect(await run.exit).toBe(0);
      expect(await portIsClosed(Number(new URL(uri).port))).toBe(true);
    });
  }

  it('refuses a bad port with a usage message and exit code 2', async () => {
    const run = startCli(['--port', 'seventy']);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toMatch(/--port must be an integer/);
  });
});
