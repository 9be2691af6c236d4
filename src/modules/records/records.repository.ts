// The only code that touches `patient_records`. Each change is one atomic update of the patient's
// document (created on first write), so a history entry is written whole or not at all.
import { MongoServerError, type Collection, type Db } from 'mongodb';
import { PATIENT_RECORDS } from './records.collections.js';

export type HistoryList = 'allergies' | 'chronicConditions' | 'immunizations' | 'surgeries' | 'familyHistory';

export interface StoredEntry {
  id: string;
  recordedBy: string;
  recordedAt: Date;
  [field: string]: unknown;
}

export interface PatientRecord {
  _id: string;
  bloodType?: string | null;
  allergies?: StoredEntry[];
  chronicConditions?: StoredEntry[];
  immunizations?: StoredEntry[];
  surgeries?: StoredEntry[];
  familyHistory?: StoredEntry[];
  socialHistory?: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** The write was refused because a matching entry exists (see `unlessMatching` in append). */
export class DuplicateEntry extends Error {}

const DUPLICATE_KEY = 11000;

export class RecordsRepository {
  private readonly records: Collection<PatientRecord>;

  constructor(db: Db) {
    this.records = db.collection<PatientRecord>(PATIENT_RECORDS);
  }

  findByPatientIds(patientIds: readonly string[]): Promise<PatientRecord[]> {
    return this.records.find({ _id: { $in: [...patientIds] } }).toArray();
  }

  /**
   * Appends an entry. With `unlessMatching`, an entry already matching it (e.g. the same allergy
   * substance) refuses the write atomically: DuplicateEntry.
   */
  async append(patientId: string, list: HistoryList, entry: StoredEntry, unlessMatching?: Record<string, unknown>): Promise<void> {
    const now = entry.recordedAt;
    const filter = unlessMatching ? { _id: patientId, [list]: { $not: { $elemMatch: unlessMatching } } } : { _id: patientId };
    const update = { $push: { [list]: entry } as never, $set: { updatedAt: now }, $inc: { version: 1 }, $setOnInsert: { createdAt: now } };
    // An upsert races another one creating the same first record (11000 on _id); the retry then
    // finds the document, and only a document that already holds a matching entry still misses.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.records.updateOne(filter, update, { upsert: true });
        return;
      } catch (error) {
        if (!(error instanceof MongoServerError) || error.code !== DUPLICATE_KEY) throw error;
        if (attempt >= 2) {
          if (unlessMatching) throw new DuplicateEntry();
          throw error;
        }
      }
    }
  }

  async setFields(patientId: string, fields: Partial<Pick<PatientRecord, 'bloodType' | 'socialHistory'>>, at: Date): Promise<void> {
    await this.records.updateOne(
      { _id: patientId },
      { $set: { ...fields, updatedAt: at }, $inc: { version: 1 }, $setOnInsert: { createdAt: at } },
      { upsert: true },
    );
  }
}
