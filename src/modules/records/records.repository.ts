// Medical histories in MongoDB (`patient_records`). Each change is one atomic update of the
// patient's document (created on first write), so a history entry is written whole or not at all.
import { MongoServerError, type Collection, type Db } from 'mongodb';
import { PATIENT_RECORDS } from './records.collections.js';

export const HISTORY_LISTS = ['allergies', 'chronicConditions', 'immunizations', 'surgeries', 'familyHistory'] as const;
export type HistoryList = (typeof HISTORY_LISTS)[number];

export interface StoredEntry {
  id: string;
  recordedBy: string;
  recordedAt: Date;
  [field: string]: unknown;
}

/** A pregnancy or lactation status as stored; `history` holds the statuses it replaced, oldest first. */
interface StoredStatus<State extends string> {
  status: State;
  /** Since when (for a pregnancy: its start, e.g. the last menstrual period). */
  since: Date | null;
  recordedBy: string;
  recordedAt: Date;
}
export interface StoredPregnancy extends StoredStatus<'pregnant' | 'not_pregnant' | 'unknown'> {
  expectedDelivery: Date | null;
  history?: Array<Omit<StoredPregnancy, 'history'>>;
}
export interface StoredLactation extends StoredStatus<'breastfeeding' | 'not_breastfeeding' | 'unknown'> {
  history?: Array<Omit<StoredLactation, 'history'>>;
}

/** The statuses a record holds one of at a time, each with the fields a version of it keeps. */
const STATUS_FIELDS = {
  pregnancy: ['status', 'since', 'expectedDelivery', 'recordedBy', 'recordedAt'],
  lactation: ['status', 'since', 'recordedBy', 'recordedAt'],
} as const;
export type CurrentStatus = keyof typeof STATUS_FIELDS;

export interface PatientRecord {
  _id: string;
  bloodType?: string | null;
  allergies?: StoredEntry[];
  chronicConditions?: StoredEntry[];
  immunizations?: StoredEntry[];
  surgeries?: StoredEntry[];
  familyHistory?: StoredEntry[];
  socialHistory?: Record<string, unknown> | null;
  pregnancy?: StoredPregnancy | null;
  lactation?: StoredLactation | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** The write was refused because a matching entry exists (see `uniqueBy` in append). */
export class DuplicateEntry extends Error {}

const DUPLICATE_KEY = 11000;

export class RecordsRepository {
  private readonly records: Collection<PatientRecord>;

  constructor(db: Db) {
    this.records = db.collection<PatientRecord>(PATIENT_RECORDS);
  }

  findByPatientId(patientId: string): Promise<PatientRecord | null> {
    return this.records.findOne({ _id: patientId });
  }

  findByPatientIds(patientIds: readonly string[]): Promise<PatientRecord[]> {
    return this.records.find({ _id: { $in: [...patientIds] } }).toArray();
  }

  /**
   * Appends an entry. With `uniqueBy` (a field, e.g. the allergy's substance key), an entry of the
   * list still in force (not entered in error) with the same value refuses the write atomically:
   * DuplicateEntry.
   */
  async append(patientId: string, list: HistoryList, entry: StoredEntry, uniqueBy?: string): Promise<void> {
    const now = entry.recordedAt;
    const unlessMatching = uniqueBy ? { [uniqueBy]: entry[uniqueBy], entryStatus: { $ne: 'entered_in_error' } } : undefined;
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

  /**
   * Replaces one list of the record, if the record is still at `version` (what the caller read):
   * false when another write came first, so that a correction never overwrites one it did not see.
   */
  async replaceList(patientId: string, list: HistoryList, entries: StoredEntry[], version: number, at: Date): Promise<boolean> {
    const result = await this.records.updateOne(
      { _id: patientId, version },
      { $set: { [list]: entries, updatedAt: at }, $inc: { version: 1 } },
    );
    return result.matchedCount === 1;
  }

  /** Sets the given social history fields only (the others keep their values). */
  async setSocialHistory(patientId: string, changes: Record<string, unknown>, by: string, at: Date): Promise<void> {
    const fields = Object.fromEntries(
      Object.entries({ ...changes, updatedBy: by, updatedAt: at }).map(([key, value]) => [`socialHistory.${key}`, value]),
    );
    await this.records.updateOne(
      { _id: patientId },
      { $set: { ...fields, updatedAt: at }, $inc: { version: 1 }, $setOnInsert: { createdAt: at } },
      { upsert: true },
    );
  }

  async setFields(patientId: string, fields: Partial<Pick<PatientRecord, 'bloodType' | 'socialHistory'>>, at: Date): Promise<void> {
    await this.records.updateOne(
      { _id: patientId },
      { $set: { ...fields, updatedAt: at }, $inc: { version: 1 }, $setOnInsert: { createdAt: at } },
      { upsert: true },
    );
  }

  /**
   * Replaces the patient's current pregnancy or lactation status, the one it replaces (without its
   * own history) appended to the history: one pipeline update, so that two clinicians writing at
   * once both land in order and none is lost (the record is created on the first write).
   */
  async setStatus<Which extends CurrentStatus>(
    patientId: string,
    which: Which,
    status: Omit<NonNullable<PatientRecord[Which]>, 'history'>,
  ): Promise<void> {
    const current = `$${which}`;
    const previous = Object.fromEntries(STATUS_FIELDS[which].map((field) => [field, { $ifNull: [`${current}.${field}`, null] }]));
    const history = {
      $cond: {
        if: { $eq: [{ $type: current }, 'object'] },
        then: { $concatArrays: [{ $ifNull: [`${current}.history`, []] }, [previous]] },
        else: [],
      },
    };
    const at = status.recordedAt;
    await this.records.updateOne(
      { _id: patientId },
      [
        {
          $set: {
            // $literal: stored values are data, never field paths or operators.
            [which]: { $mergeObjects: [{ $literal: status }, { history }] },
            updatedAt: { $literal: at },
            createdAt: { $ifNull: ['$createdAt', { $literal: at }] },
            version: { $add: [{ $ifNull: ['$version', 0] }, 1] },
          },
        },
      ],
      { upsert: true },
    );
  }
}
