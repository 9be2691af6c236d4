// Optional persistence: every change is appended to a journal before the command replies; at
// start the snapshot and then the journal are replayed, and the two are compacted into a new
// snapshot (written aside, then renamed, so a crash leaves either the old or the new one).
import fs from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'bson';
import type { Doc } from '../bson-values.js';
import type { IndexSpec } from './index.js';
import type { CollectionOptions } from './collection.js';

export type Change =
  | { op: 'create'; db: string; coll: string }
  | { op: 'drop'; db: string; coll: string }
  | { op: 'dropDb'; db: string }
  | { op: 'options'; db: string; coll: string; options: CollectionOptions }
  | { op: 'index'; db: string; coll: string; spec: IndexSpec }
  | { op: 'indexSpec'; db: string; coll: string; spec: IndexSpec }
  | { op: 'dropIndex'; db: string; coll: string; name: string }
  | { op: 'put'; db: string; coll: string; doc: Doc }
  | { op: 'del'; db: string; coll: string; id: unknown };

export interface ChangeLog {
  record(change: Change): void;
}

export const NO_CHANGE_LOG: ChangeLog = { record: () => {} };

const READ_OPTIONS = { promoteLongs: true, promoteValues: true, promoteBuffers: false, bsonRegExp: false } as const;
const WRITE_OPTIONS = { ignoreUndefined: true, checkKeys: false } as const;

function* readRecords(file: string): Generator<Change> {
  if (!fs.existsSync(file)) return;
  const data = fs.readFileSync(file);
  let offset = 0;
  while (offset + 4 <= data.length) {
    const size = data.readInt32LE(offset);
    // A record cut short by a crash mid-append is the end of what was acknowledged.
    if (size < 5 || offset + size > data.length) break;
    yield deserialize(data.subarray(offset, offset + size), READ_OPTIONS) as Change;
    offset += size;
  }
}

export class Journal implements ChangeLog {
  private fd: number | undefined;
  private readonly snapshotFile: string;
  private readonly journalFile: string;

  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    this.snapshotFile = path.join(dir, 'snapshot.bson');
    this.journalFile = path.join(dir, 'journal.bson');
  }

  /** Everything stored so far, in the order it happened. */
  *replay(): Generator<Change> {
    yield* readRecords(this.snapshotFile);
    yield* readRecords(this.journalFile);
  }

  /** Replaces snapshot and journal with `state` (the catalog's current contents as changes). */
  compact(state: Iterable<Change>): void {
    this.closeFile();
    const temporary = `${this.snapshotFile}.tmp`;
    const fd = fs.openSync(temporary, 'w');
    for (const change of state) fs.writeSync(fd, serialize(change, WRITE_OPTIONS));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(temporary, this.snapshotFile);
    fs.rmSync(this.journalFile, { force: true });
    this.fd = fs.openSync(this.journalFile, 'a');
  }

  record(change: Change): void {
    if (this.fd === undefined) this.fd = fs.openSync(this.journalFile, 'a');
    fs.writeSync(this.fd, serialize(change, WRITE_OPTIONS));
  }

  close(): void {
    this.closeFile();
  }

  private closeFile(): void {
    if (this.fd === undefined) return;
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
