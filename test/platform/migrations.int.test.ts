// Migrations: applied once, in order, recorded as Prisma records them; a changed migration is
// refused; the hand-written constraints hold in the database itself.
import { describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { listMigrations, migrate } from '../../src/platform/migrations.js';
import type { PostgresTarget } from '../../src/platform/postgres.js';
import { createTestDatabase } from '../harness/postgres.js';

/** Checks that read the database through pg need a server (PGlite runs the same migrations in-process). */
const onServer = Boolean(inject('postgresTemplateUrl'));

/** A fresh migrated database for one test, with a pg client on it when it is a server. */
async function withDatabase(work: (target: PostgresTarget, client?: pg.Client) => Promise<void>): Promise<void> {
  const { target, drop } = await createTestDatabase();
  const client = target.kind === 'server' ? new pg.Client({ connectionString: target.url }) : undefined;
  await client?.connect();
  try {
    await work(target, client);
  } finally {
    await client?.end();
    await drop();
  }
}

describe('migrations', () => {
  it('are already applied to a fresh test database, so applying again changes nothing', () =>
    withDatabase(async (target) => {
      expect(await migrate(target)).toEqual([]);
    }));

  it.skipIf(!onServer)('record each migration with its sha256 checksum in _prisma_migrations', () =>
    withDatabase(async (_target, client) => {
      const { rows } = await client!.query('SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name');
      expect(rows).toEqual(listMigrations().map(({ name, checksum }) => ({ migration_name: name, checksum })));
    }),
  );

  it.skipIf(!onServer)('refuse to run when an applied migration was edited afterwards', () =>
    withDatabase(async (target, client) => {
      await client!.query(`UPDATE "_prisma_migrations" SET checksum = repeat('0', 64)`);
      await expect(migrate(target)).rejects.toThrow(/was changed after it was applied/);
    }),
  );

  it.skipIf(!onServer)('hold invariants in the database itself (lower-case email, E.164 phone)', () =>
    withDatabase(async (_target, client) => {
      const insert = (email: string, phone: string | null) =>
        client!.query(`INSERT INTO users (id, email, phone, role, updated_at) VALUES (gen_random_uuid(), $1, $2, 'patient', now())`, [
          email,
          phone,
        ]);
      await expect(insert('Upper@X.cm', null)).rejects.toThrow(/users_email_lower_case/);
      await expect(insert('a@x.cm', '0612')).rejects.toThrow(/users_phone_e164/);
      await expect(insert('b@x.cm', '+237612345678')).resolves.toBeDefined();
    }),
  );
});
