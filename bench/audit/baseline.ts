// The audit writer as it was before chain heads, for the page benchmark's "before" side: not a copy
// kept here, but the code itself, taken from git at the last commit that had it (its audit module,
// extracted once into .data/ and loaded from there). It read each stream's tail from the log (one
// indexed findOne per stream, all in parallel) and then inserted the entries in one ordered
// insertMany: n + 1 commands for n patients.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Db } from 'mongodb';
import type { PreparedEvent } from '../../src/modules/audit/audit-event.js';
import type { StreamOutcome } from '../../src/modules/audit/audit-writer.js';
import { PROJECT_ROOT } from '../../src/platform/paths.js';

/** The last commit whose audit writer read one chain tail per stream. */
export const BASELINE_COMMIT = '2466980';

/** What the benchmark asks of either writer. */
export interface ChainWriter {
  writeStreams(byStream: ReadonlyMap<string, PreparedEvent[]>): Promise<StreamOutcome[]>;
}

type WriterModule = { AuditWriter: new (repository: unknown) => ChainWriter };
type RepositoryModule = { AuditRepository: new (db: Db) => unknown };

/** The baseline's writer over `db`, loaded from git (the checkout must have its history). */
export async function baselineWriter(): Promise<(db: Db) => ChainWriter> {
  const root = path.join(PROJECT_ROOT, '.data', 'bench-baseline', BASELINE_COMMIT);
  const audit = path.join(root, 'src', 'modules', 'audit');
  if (!existsSync(path.join(audit, 'audit-writer.ts'))) {
    let archive: Buffer;
    try {
      archive = execFileSync('git', ['archive', '--format=tar', BASELINE_COMMIT, 'src/modules/audit'], {
        cwd: PROJECT_ROOT,
        maxBuffer: 64 << 20,
      });
    } catch (error) {
      throw new Error(
        `the baseline writer comes from git commit ${BASELINE_COMMIT}, which this checkout does not have (a shallow clone?)`,
        { cause: error },
      );
    }
    mkdirSync(root, { recursive: true });
    execFileSync('tar', ['-x', '-C', root], { input: archive });
  }
  const load = <T>(file: string) => import(pathToFileURL(path.join(audit, file)).href) as Promise<T>;
  const [{ AuditWriter }, { AuditRepository }] = await Promise.all([
    load<WriterModule>('audit-writer.ts'),
    load<RepositoryModule>('audit.repository.ts'),
  ]);
  return (db) => new AuditWriter(new AuditRepository(db));
}
