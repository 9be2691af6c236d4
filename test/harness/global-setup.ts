// Runs once per test run: finds PostgreSQL, MongoDB and Redis exactly as the server does (one
// discovery module), prepares a migrated template database, and says what it chose and why.
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { findMongo } from '../../src/platform/discovery/mongo.js';
import { findPostgres, withAdminClient } from '../../src/platform/discovery/postgres.js';
import { findRedis } from '../../src/platform/discovery/redis.js';
import { migrate } from '../../src/platform/migrations.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const template = `clinic_test_${randomBytes(4).toString('hex')}_template`;
  const [postgres, mongo, redis] = await Promise.all([
    findPostgres({ url: process.env.DATABASE_URL, database: template }),
    findMongo({ url: process.env.MONGODB_URL, ttlMonitorIntervalMs: 200 }),
    findRedis({ url: process.env.REDIS_URL }),
  ]);
  console.log(`[test harness] PostgreSQL: ${postgres.label} (${postgres.reason})`);
  console.log(`[test harness] MongoDB: ${mongo.label} (${mongo.reason})`);
  console.log(`[test harness] Redis: ${redis.label} (${redis.reason})`);

  let templateUrl = '';
  if (postgres.target.kind === 'server') {
    await migrate(postgres.target);
    templateUrl = postgres.target.url;
  } else {
    await postgres.stop(); // each test file runs its own in-memory PGlite instead
  }
  project.provide('postgresTemplateUrl', templateUrl);
  project.provide('mongoUri', mongo.uri);
  project.provide('mongoLabel', mongo.label);
  project.provide('redisUrl', redis.url ?? '');

  return async () => {
    if (templateUrl) await withAdminClient(templateUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`));
    await mongo.stop();
    if (postgres.target.kind === 'server') await postgres.stop();
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
