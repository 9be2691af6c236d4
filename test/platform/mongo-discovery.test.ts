// Discovery's MongoDB choices at both ends: an explicit MONGODB_URL is taken as it is, and the last
// resort, the stand-in workspace package, is found by the compiled server (dist/, as `npm run dev`
// runs it: the package's own dist/ through node_modules) as well as by the tests (its source); where
// it is not installed, the error says what to set.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findMongo, startEmbeddedStandin } from '../../src/platform/discovery/mongo.js';
import { connectMongo, describeServer } from '../../src/platform/mongo.js';
import { PROJECT_ROOT } from '../../src/platform/paths.js';

async function serverAt(uri: string): Promise<string> {
  const mongo = await connectMongo(uri, 'admin');
  return describeServer(mongo.client).finally(() => mongo.close());
}

describe('MongoDB discovery', () => {
  it('takes MONGODB_URL as it is, probing nothing', async () => {
    const found = await findMongo({ url: 'mongodb://db.invalid:27017/?replicaSet=rs0' });
    expect(found).toMatchObject({ uri: 'mongodb://db.invalid:27017/?replicaSet=rs0', reason: 'MONGODB_URL is set' });
  });

  it('starts the stand-in in-process from its source under the tests', async () => {
    const standin = await startEmbeddedStandin({});
    try {
      expect(await serverAt(standin.uri)).toMatch(/^mongo-standin /);
    } finally {
      await standin.stop();
    }
  });

  it('starts the stand-in from the compiled server, as npm run dev does', async () => {
    const script = [
      "const { startEmbeddedStandin } = await import('./dist/src/platform/discovery/mongo.js');",
      'const standin = await startEmbeddedStandin({});',
      'console.log(standin.uri);',
      'process.stdin.once("data", () => standin.stop());',
    ].join('\n');
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: PROJECT_ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const uri = await Promise.race([
        new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()))),
        exited.then((code) => Promise.reject(new Error(`exited (${code}) before printing a URI`))),
      ]);
      expect(await serverAt(uri)).toMatch(/^mongo-standin /);
      child.stdin.end('stop\n');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('names MONGODB_URL where the stand-in is not installed (a production install)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clinic-no-standin-'));
    try {
      cpSync(path.join(PROJECT_ROOT, 'dist', 'src', 'platform', 'discovery'), dir, { recursive: true });
      writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }');
      const script = "const { startEmbeddedStandin } = await import('./mongo.js'); await startEmbeddedStandin({});";
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain('the MongoDB stand-in is not installed here');
      expect(run.stderr).toContain('set MONGODB_URL');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
