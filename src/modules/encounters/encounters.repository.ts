// Consultation records in MongoDB (`encounters`). Writes are upserts keyed by the appointment:
// applying one twice changes nothing more.
import type { Collection, Db } from 'mongodb';
import { ENCOUNTERS } from './encounters.collections.js';

export interface EncounterDocument {
  _id: string;
  patientId: string;
  doctorId: string;
  clinicId: string;
  chiefComplaint?: string | null;
  vitals?: Record<string, unknown> | null;
  subjective?: string | null;
  objective?: string | null;
  assessment?: string | null;
  plan?: string | null;
  diagnoses?: Array<{ icd10Code: string; description: string; primary: boolean }>;
  treatmentPlan?: string | null;
  followUpInDays?: number | null;
  completedBy?: string | null;
  completedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface VisitKeys {
  appointmentId: string;
  patientId: string;
  doctorId: string;
  clinicId: string;
}

export class EncountersRepository {
  private readonly encounters: Collection<EncounterDocument>;

  constructor(db: Db) {
    this.encounters = db.collection<EncounterDocument>(ENCOUNTERS);
  }

  byIds(ids: readonly string[]): Promise<EncounterDocument[]> {
    return this.encounters.find({ _id: { $in: [...ids] } }).toArray();
  }

  /** A patient's encounters, newest first, after a (createdAt, id) key. */
  byPatient(patientId: string, after: [Date, string] | undefined, take: number): Promise<EncounterDocument[]> {
    const keyset = after ? { $or: [{ createdAt: { $lt: after[0] } }, { createdAt: after[0], _id: { $lt: after[1] } }] } : {};
    return this.encounters
      .find({ patientId, ...keyset })
      .sort({ createdAt: -1, _id: -1 })
      .limit(take)
      .toArray();
  }

  countByPatient(patientId: string): Promise<number> {
    return this.encounters.countDocuments({ patientId });
  }

  /** Sets fields of the visit's record (vitals, or the doctor's record on completion), creating it on the first write. */
  async upsert(keys: VisitKeys, fields: Partial<EncounterDocument>, at: Date): Promise<void> {
    await this.encounters.updateOne(
      { _id: keys.appointmentId },
      {
        $set: { ...fields, updatedAt: at },
        $setOnInsert: { patientId: keys.patientId, doctorId: keys.doctorId, clinicId: keys.clinicId, createdAt: at },
      },
      { upsert: true },
    );
  }
}
