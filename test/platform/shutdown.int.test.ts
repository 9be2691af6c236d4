// The server as it runs in production (compiled to dist/ by npm test) stops cleanly on SIGTERM: it
// closes its stores and exits 0 (Apollo's own signal handlers once left it waiting forever).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../harness/postgres.js';

const servers = Boolean(inject('postgresTemplateUrl') && inject('redisUrl'));

describe('shutdown', () => {
  it.skipIf(!servers)('exits 0 soon after SIGTERM', async () => {
    const database = await createTestDatabase();
    if (database.target.kind !== 'server') throw new Error('expected a PostgreSQL server');
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      env: {
        ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info',
        DATABASE_URL: database.target.url, MONGODB_URL: inject('mongoUri'), MONGODB_DB: `shutdown_${randomBytes(4).toString('hex')}`,
        REDIS_URL: inject('redisUrl')!, TOKEN_SECRET: randomBytes(24).toString('hex'), APP_URL: 'https://app.example.org',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the server did not start within 30 s: ${stderr.slice(0, 500)}`)), 30_000);
        child.stdout!.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('API listening')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000))]);
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await database.drop();
    }
  }, 60_000);
});
