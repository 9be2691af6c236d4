// Fast bulk inserts through `pg`: each batch is one INSERT ... SELECT FROM unnest($1::text[], ...)
// statement, every column sent as text and cast to its type by PostgreSQL.
import type pg from 'pg';
import type { Progress } from '../lib/progress.js';

/** [column, SQL type it is cast to]. */
export type Column = readonly [string, string];
export type Cell = string | number | boolean | null;

const BATCH_ROWS = 5_000;

export class RowWriter {
  private rows: Cell[][] = [];
  private readonly sql: string;
  written = 0;

  /** `dependsOn`: writers whose rows this table references, flushed before each of its batches. */
  constructor(
    private readonly client: pg.ClientBase,
    table: string,
    private readonly columns: readonly Column[],
    private readonly progress?: Progress,
    private readonly dependsOn: RowWriter[] = [],
  ) {
    const names = columns.map(([name]) => `"${name}"`).join(', ');
    const params = columns.map((_, i) => `$${i + 1}::text[]`).join(', ');
    const aliases = columns.map((_, i) => `c${i}`);
    const casts = columns.map(([, type], i) => `${aliases[i]}::${type}`).join(', ');
    this.sql = `INSERT INTO "${table}" (${names}) SELECT ${casts} FROM unnest(${params}) AS u(${aliases.join(', ')})`;
  }

  async add(row: Cell[]): Promise<void> {
    this.rows.push(row);
    if (this.rows.length >= BATCH_ROWS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.rows.length === 0) return;
    for (const writer of this.dependsOn) await writer.flush();
    const rows = this.rows;
    this.rows = [];
    const columns = this.columns.map((_, i) => rows.map((row) => (row[i] === null ? null : String(row[i]))));
    await this.client.query(this.sql, columns);
    this.written += rows.length;
    this.progress?.add(rows.length);
  }
}
