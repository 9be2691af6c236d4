// A PostgreSQL database of a test file's own: a copy of the run's migrated template on a server,
// or an in-memory PGlite (migrated here) when there is no server.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { withAdminClient } from '../../src/platform/discovery/postgres.js';
import { migrate } from '../../src/platform/migrations.js';
import { createPGlite } from '../../src/platform/pglite.js';
import type { PostgresTarget } from '../../src/platform/postgres.js';

const adminQuery = (serverUrl: string, sql: string) => withAdminClient(serverUrl, async (client) => void (await client.query(sql)));

export async function createTestDatabase(): Promise<{ target: PostgresTarget; drop(): Promise<void> }> {
  const templateUrl = inject('postgresTemplateUrl');
  if (!templateUrl) {
    const pglite = await createPGlite();
    const target: PostgresTarget = { kind: 'embedded', pglite };
    await migrate(target);
    return { target, drop: () => pglite.close() };
  }
  const template = new URL(templateUrl).pathname.slice(1);
  const name = `clinic_test_${randomBytes(6).toString('hex')}`;
  // Copies of one template may not start at the same instant: retry briefly when it is busy.
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(templateUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      break;
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    }
  }
  const url = new URL(templateUrl);
  url.pathname = `/${name}`;
  return {
    target: { kind: 'server', url: url.toString() },
    drop: () => adminQuery(templateUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
