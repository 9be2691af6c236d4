// Migrations: applied once, in order, recorded as Prisma records them; a changed migration is refused.
import { describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { listMigrations, migrate } from '../../src/platform/migrations.js';
import { createTestDatabase } from '../harness/postgres.js';

/** Checks that read the database through pg need a server (PGlite runs the same migrations in-process). */
const onServer = Boolean(inject('postgresTemplateUrl'));

describe('migrations', () => {
  it('are already applied to a fresh test database, so applying again changes nothing', async () => {
    const { target, drop } = await createTestDatabase();
    try {
      expect(await migrate(target)).toEqual([]);
    } finally {
      await drop();
    }
  });

  it.skipIf(!onServer)('record each migration with its sha256 checksum in _prisma_migrations', async () => {
    const { target, drop } = await createTestDatabase();
    try {
      if (target.kind !== 'server') throw new Error('expected a server');
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      const { rows } = await client.query('SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name');
      await client.end();
      expect(rows).toEqual(listMigrations().map(({ name, checksum }) => ({ migration_name: name, checksum })));
    } finally {
      await drop();
    }
  });

  it.skipIf(!onServer)('refuse to run when an applied migration was edited afterwards', async () => {
    const { target, drop } = await createTestDatabase();
    try {
      if (target.kind !== 'server') throw new Error('expected a server');
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      await client.query(`UPDATE "_prisma_migrations" SET checksum = repeat('0', 64)`);
      await client.end();
      await expect(migrate(target)).rejects.toThrow(/was changed after it was applied/);
    } finally {
      await drop();
    }
  });

  it.skipIf(!onServer)('hold invariants in the database itself (lower-case email, E.164 phone, fee >= 0)', async () => {
    const { target, drop } = await createTestDatabase();
    try {
      if (target.kind !== 'server') throw new Error('expected a server');
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      await expect(client.query(`INSERT INTO users (id, email, role, updated_at) VALUES (gen_random_uuid(), 'Upper@X.cm', 'patient', now())`)).rejects.toThrow(/users_email_lower_case/);
      await expect(client.query(`INSERT INTO users (id, email, phone, role, updated_at) VALUES (gen_random_uuid(), 'a@x.cm', '0612', 'patient', now())`)).rejects.toThrow(/users_phone_e164/);
      await client.end();
    } finally {
      await drop();
    }
  });
});
