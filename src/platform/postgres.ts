// PostgreSQL through Prisma: over a server (pg pool) or an embedded PGlite. Counts the SQL
// statements it sends, so tests and benchmarks can prove constant round trips.
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';

export type PostgresTarget = { kind: 'server'; url: string } | { kind: 'embedded'; pglite: PGlite };

export interface Database {
  prisma: PrismaClient;
  /** Where it is (the job queue connects there too). */
  readonly target: PostgresTarget;
  /** SQL statements sent so far (Prisma's query events). */
  readonly statementCount: number;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function openDatabase(
  target: PostgresTarget,
  options: { poolSize?: number; onConnectionError?: (error: Error) => void } = {},
): Database {
  const pool = target.kind === 'server' ? new pg.Pool({ connectionString: target.url, max: options.poolSize ?? 10 }) : undefined;
  // An idle connection the server closes (restart, failover) must not crash the process: the pool
  // drops it and opens another when needed.
  pool?.on('error', (error) => options.onConnectionError?.(error));
  const adapter = target.kind === 'server' ? new PrismaPg(pool!) : new PrismaPGlite(target.pglite);
  const prisma = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  let statementCount = 0;
  prisma.$on('query' as never, () => {
    statementCount += 1;
  });
  return {
    prisma,
    target,
    get statementCount() {
      return statementCount;
    },
    async ping() {
      await prisma.$queryRaw`SELECT 1`;
    },
    async close() {
      await prisma.$disconnect();
      await pool?.end();
    },
  };
}
