// Applies prisma/migrations in order to a server or an embedded PGlite, recording them in Prisma's
// own `_prisma_migrations` table (same checksum), so `prisma migrate status` agrees with us.
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { PROJECT_ROOT } from './paths.js';
import type { PostgresTarget } from './postgres.js';

const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'prisma', 'migrations');

interface Executor {
  query(sql: string, params?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
  script(sql: string): Promise<void>;
}

const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** An arbitrary constant: one migrating process at a time per database. */
const ADVISORY_LOCK = 72707369;

export function listMigrations(): Array<{ name: string; sql: string; checksum: string }> {
  return readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** The migration and its history row in one transaction: applied and recorded, or neither. */
function migrationScript(migration: { name: string; sql: string; checksum: string }): string {
  if (!/^\d+_[a-z0-9_]+$/.test(migration.name)) throw new Error(`unexpected migration folder name ${migration.name}`);
  return `BEGIN;
${migration.sql}
INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
  VALUES ('${randomUUID()}', '${migration.checksum}', now(), '${migration.name}', 1);
COMMIT;`;
}

async function applyWith(executor: Executor): Promise<string[]> {
  await executor.script(HISTORY_TABLE);
  const { rows } = await executor.query(
    'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  );
  const applied = new Map(rows.map((row) => [row.migration_name as string, row.checksum as string]));
  const done: string[] = [];
  for (const migration of listMigrations()) {
    const previous = applied.get(migration.name);
    if (previous !== undefined) {
      if (previous !== migration.checksum) throw new Error(`migration ${migration.name} was changed after it was applied`);
      continue;
    }
    try {
      await executor.script(migrationScript(migration));
    } catch (error) {
      await executor.script('ROLLBACK').catch(() => {});
      throw error;
    }
    done.push(migration.name);
  }
  return done;
}

/** Brings the database up to date; returns the names of the migrations it applied. */
export async function migrate(target: PostgresTarget): Promise<string[]> {
  if (target.kind === 'embedded') {
    const pglite: PGlite = target.pglite;
    return applyWith({
      query: (sql, params) => pglite.query(sql, params) as Promise<{ rows: Array<Record<string, unknown>> }>,
      script: async (sql) => {
        await pglite.exec(sql);
      },
    });
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK]);
    return await applyWith({
      query: (sql, params) => client.query(sql, params as unknown[]),
      script: async (sql) => {
        await client.query(sql);
      },
    });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK]).catch(() => {});
    await client.end();
  }
}
