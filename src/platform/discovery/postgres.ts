// Finding PostgreSQL: DATABASE_URL; else a server on 127.0.0.1:5432 (the named database is created
// there if missing); else a testcontainers container; else PGlite in-process (real PostgreSQL in
// Wasm), kept in a folder when one is given. PGlite takes seconds to start, so discovery only
// names it: whoever uses it opens it (the test harness opens one per test file instead).
import pg from 'pg';
import { containerRuntimeAvailable, portAnswers, type Choice } from './probes.js';

export interface FoundPostgres extends Choice {
  /** The server's URL; undefined: no server, use an embedded PGlite. */
  url?: string;
}

/** Runs `work` on the server's maintenance database (where databases are created and dropped). */
export async function withAdminClient<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  return withAdminClient(serverUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  });
}

export async function findPostgres(options: { url?: string; database: string; embeddedDir?: string }): Promise<FoundPostgres> {
  const none = async () => {};
  if (options.url) {
    return { url: options.url, label: 'PostgreSQL server', reason: 'DATABASE_URL is set', stop: none };
  }
  if (await portAnswers(5432)) {
    const url = `postgresql://postgres@127.0.0.1:5432/${options.database}`;
    await ensureDatabase(url, options.database);
    return { url, label: `PostgreSQL on 127.0.0.1:5432/${options.database}`, reason: 'a server answers on its standard port', stop: none };
  }
  if (await containerRuntimeAvailable()) {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer('postgres:16-alpine')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: options.database })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start();
    const url = `postgresql://postgres@${container.getHost()}:${container.getMappedPort(5432)}/${options.database}`;
    return {
      url,
      label: 'PostgreSQL 16 in a container',
      reason: 'no server found; a container runtime answers',
      stop: async () => {
        await container.stop();
      },
    };
  }
  return {
    label: `PGlite (embedded PostgreSQL${options.embeddedDir ? ` in ${options.embeddedDir}` : ', in memory'})`,
    reason: 'no DATABASE_URL, nothing on 127.0.0.1:5432, no container runtime',
    stop: none,
  };
}
