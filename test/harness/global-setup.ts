// Runs once per test run: finds PostgreSQL, MongoDB and Redis exactly as the server does (one
// discovery module), prepares a migrated template database, and says what it chose and why.
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { findMongo } from '../../src/platform/discovery/mongo.js';
import { findPostgres, withAdminClient } from '../../src/platform/discovery/postgres.js';
import { findRedis } from '../../src/platform/discovery/redis.js';
import { migrate } from '../../src/platform/migrations.js';
import { connectMongo, describeServer } from '../../src/platform/mongo.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const template = `clinic_test_${randomBytes(4).toString('hex')}_template`;
  const [postgres, mongo, redis] = await Promise.all([
    findPostgres({ url: process.env.DATABASE_URL, database: template }),
    findMongo({ url: process.env.MONGODB_URL, ttlMonitorIntervalMs: 200 }),
    findRedis({ url: process.env.REDIS_URL }),
  ]);
  const probe = await connectMongo(mongo.uri, 'admin');
  const mongoLabel = await describeServer(probe.client).finally(() => probe.close());
  console.log(`[test harness] PostgreSQL: ${postgres.label} (${postgres.reason})`);
  console.log(`[test harness] MongoDB: ${mongoLabel} (${mongo.reason})`);
  console.log(`[test harness] Redis: ${redis.label} (${redis.reason})`);

  // Without a server, each test file opens and migrates its own in-memory PGlite instead.
  const templateUrl = postgres.url ?? '';
  if (templateUrl) await migrate({ kind: 'server', url: templateUrl });
  project.provide('postgresTemplateUrl', templateUrl);
  project.provide('mongoUri', mongo.uri);
  project.provide('mongoLabel', mongoLabel);
  project.provide('redisUrl', redis.url ?? '');

  return async () => {
    if (templateUrl) await withAdminClient(templateUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`));
    await mongo.stop();
    await postgres.stop();
    await redis.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresTemplateUrl: string;
    mongoUri: string;
    mongoLabel: string;
    redisUrl: string;
  }
}
