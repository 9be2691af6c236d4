// Medical history: reading it, and adding to it. Every write names who made it and when; an entry
// is validated whole before the one atomic write that stores it.
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../context/context.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../../errors/errors.js';
import { fromLocalDate } from '../../graphql/scalars.js';
import type { Patient } from '../patients/index.js';
import type {
  Allergy,
  AllergyInput,
  BloodType,
  ChronicCondition,
  ChronicConditionInput,
  FamilyHistoryEntry,
  FamilyHistoryInput,
  Immunization,
  ImmunizationInput,
  MedicalHistory,
  SocialHistory,
  SocialHistoryInput,
  Surgery,
  SurgeryInput,
} from './medical-history.types.js';
import { auditedWrite, writeTarget } from './record-writes.js';
import { toAllergy, toCondition, toFamilyEntry, toImmunization, toMedicalHistory, toSurgery } from './records.mapper.js';
import { DuplicateEntry, HISTORY_LISTS, type HistoryList, type RecordsRepository, type StoredEntry } from './records.repository.js';

const RESOURCE_OF: Record<HistoryList, string> = {
  allergies: 'Allergy',
  chronicConditions: 'ChronicCondition',
  immunizations: 'Immunization',
  surgeries: 'Surgery',
  familyHistory: 'FamilyHistoryEntry',
};
const substanceKey = (substance: string) => substance.trim().toLowerCase().replace(/\s+/g, ' ');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A correction that keeps losing the race to other writes of the record gives up after this many reads. */
const MAX_CORRECTION_ATTEMPTS = 3;

type Input = Record<string, unknown>;
const trimmed = (value: unknown) => String(value).trim();
const same = (value: unknown) => value;
const date = (value: unknown) => fromLocalDate(String(value));

/**
 * How each list stores its input fields, and which of them an entry cannot be without. One table
 * for recording and for correcting, so that a correction stores a field as recording would.
 */
const STORED: Record<HistoryList, { fields: Record<string, (value: unknown) => unknown>; required: string[] }> = {
  allergies: { fields: { substance: trimmed, severity: same, reaction: same, notedOn: date }, required: ['substance', 'severity'] },
  chronicConditions: {
    fields: { name: trimmed, icd10Code: same, status: same, diagnosedOn: date, notes: same },
    required: ['name', 'status'],
  },
  immunizations: {
    fields: { vaccine: trimmed, administeredOn: date, doseNumber: same, manufacturer: same, lotNumber: same },
    required: ['vaccine', 'administeredOn'],
  },
  surgeries: { fields: { procedure: trimmed, performedOn: date, facility: same, notes: same }, required: ['procedure'] },
  familyHistory: { fields: { relation: trimmed, condition: trimmed, ageAtDiagnosis: same }, required: ['relation', 'condition'] },
};

/** The stored form of the fields present in `input` (omitted: absent; null: null); BAD_USER_INPUT when a required one is null. */
function storedFields(list: HistoryList, input: Input): Record<string, unknown> {
  const { fields, required } = STORED[list];
  const stored: Record<string, unknown> = {};
  for (const [field, convert] of Object.entries(fields)) {
    const value = input[field];
    if (value === undefined) continue;
    if (value === null && required.includes(field)) throw new BadUserInputError([{ path: ['input', field], message: 'cannot be cleared' }]);
    stored[field] = value === null ? null : convert(value);
  }
  if (typeof stored.substance === 'string') stored.substanceKey = substanceKey(stored.substance);
  return stored;
}

/** An entry's value of a field, comparable (dates by instant). */
const comparable = (value: unknown) => (value instanceof Date ? value.getTime() : (value ?? null));

/** The new version of `entry` with `changes`, the earlier one kept in its history; null when nothing changes. */
function nextVersion(
  entry: StoredEntry,
  changes: Record<string, unknown>,
  by: string,
  at: Date,
): { entry: StoredEntry; changed: string[] } | null {
  const changed = Object.keys(changes).filter(
    (field) => field !== 'substanceKey' && comparable(entry[field]) !== comparable(changes[field]),
  );
  if (changed.length === 0) return null;
  const { history, ...current } = entry;
  return {
    entry: {
      ...current,
      ...changes,
      version: ((entry.version as number | undefined) ?? 1) + 1,
      updatedBy: by,
      updatedAt: at,
      changedFields: changed.sort(),
      history: [...((history as StoredEntry[] | undefined) ?? []), current],
    },
    changed,
  };
}

/** Another write to the record came between reading it and writing the correction. */
class RecordChanged extends Error {}

const duplicateAllergy = () =>
  new ConflictError('This allergy is already recorded for the patient.', [
    { path: ['input', 'substance'], message: 'is already recorded' },
  ]);

export class RecordsService {
  constructor(private readonly repository: RecordsRepository) {}

  async history(context: RequestContext, patient: Patient): Promise<MedicalHistory> {
    return toMedicalHistory(patient.dbId, await context.loaders.recordByPatientId.load(patient.dbId));
  }

  private async add<T>(
    context: RequestContext,
    patientId: string,
    list: HistoryList,
    fields: Record<string, unknown>,
    toEntry: (stored: StoredEntry) => T,
    uniqueBy?: string,
  ): Promise<T> {
    const target = writeTarget(context, patientId);
    const entry: StoredEntry = { id: randomUUID(), recordedBy: target.actor, recordedAt: new Date(), ...fields };
    const audited = Object.keys(fields).filter((field) => field !== 'substanceKey');
    await auditedWrite(context, target, RESOURCE_OF[list], audited, 'create', () =>
      this.repository.append(target.patient, list, entry, uniqueBy),
    );
    return toEntry(entry);
  }

  /** A new entry: every field of the list stored, those not given as null. */
  private record<T>(
    context: RequestContext,
    patientId: string,
    list: HistoryList,
    input: object,
    toEntry: (stored: StoredEntry) => T,
  ): Promise<T> {
    const fields = {
      ...Object.fromEntries(Object.keys(STORED[list].fields).map((field) => [field, null])),
      ...storedFields(list, input as Input),
    };
    // One allergy per substance: a second one in force is refused.
    return this.add(context, patientId, list, fields, toEntry, list === 'allergies' ? 'substanceKey' : undefined);
  }

  async recordAllergy(context: RequestContext, patientId: string, input: AllergyInput): Promise<Allergy> {
    try {
      return await this.record(context, patientId, 'allergies', input, toAllergy);
    } catch (error) {
      throw error instanceof DuplicateEntry ? duplicateAllergy() : error;
    }
  }

  recordChronicCondition(context: RequestContext, patientId: string, input: ChronicConditionInput): Promise<ChronicCondition> {
    return this.record(context, patientId, 'chronicConditions', input, toCondition);
  }

  recordImmunization(context: RequestContext, patientId: string, input: ImmunizationInput): Promise<Immunization> {
    return this.record(context, patientId, 'immunizations', input, toImmunization);
  }

  recordSurgery(context: RequestContext, patientId: string, input: SurgeryInput): Promise<Surgery> {
    return this.record(context, patientId, 'surgeries', input, toSurgery);
  }

  recordFamilyHistory(context: RequestContext, patientId: string, input: FamilyHistoryInput): Promise<FamilyHistoryEntry> {
    return this.record(context, patientId, 'familyHistory', input, toFamilyEntry);
  }

  /**
   * Corrects an entry: the fields given change (null clears an optional one), the earlier version
   * is kept in the entry's history, and the audit names the fields that changed.
   */
  async correct<T>(
    context: RequestContext,
    patientId: string,
    list: HistoryList,
    entryId: string,
    input: object,
    toEntry: (stored: StoredEntry) => T,
  ): Promise<T> {
    const changes = storedFields(list, input as Input);
    const stored = await this.change(context, patientId, list, entryId, (entry) => ({
      changes,
      refusal:
        entry.entryStatus === 'entered_in_error'
          ? new ConflictError('This entry was marked ENTERED_IN_ERROR; record a new one instead.', [], { entryStatus: 'ENTERED_IN_ERROR' })
          : undefined,
    }));
    return toEntry(stored);
  }

  /** Marks an entry recorded by mistake: hidden from the default view, kept with its history. */
  async markEnteredInError(context: RequestContext, patientId: string, entryId: string, reasonInput: string): Promise<MedicalHistory> {
    const reason = reasonInput.trim();
    if (reason.length === 0 || reason.length > 500)
      throw new BadUserInputError([{ path: ['reason'], message: 'give the reason, at most 500 characters' }]);
    const target = writeTarget(context, patientId);
    const record = await this.repository.findByPatientId(target.patient);
    const list = HISTORY_LISTS.find((name) => record?.[name]?.some((entry) => entry.id === entryId));
    if (!list) throw new NotFoundError('History entry');
    await this.change(context, patientId, list, entryId, (entry) => ({
      changes: entry.entryStatus === 'entered_in_error' ? {} : { entryStatus: 'entered_in_error', enteredInErrorReason: reason },
    }));
    return toMedicalHistory(target.patient, await context.loaders.recordByPatientId.load(target.patient));
  }

  /**
   * Applies `changesOf(entry)` to one entry as a new version, audited with the changed field
   * names; re-read and retried when another write to the record came first. A refusal is thrown
   * inside the audited work, so that the audit records it as a failure.
   */
  private async change(
    context: RequestContext,
    patientId: string,
    list: HistoryList,
    entryId: string,
    changesOf: (entry: StoredEntry) => { changes: Record<string, unknown>; refusal?: Error },
  ): Promise<StoredEntry> {
    if (!UUID.test(entryId)) throw new BadUserInputError([{ path: ['entryId'], message: 'is not an entry id' }]);
    const target = writeTarget(context, patientId);
    for (let attempt = 1; attempt <= MAX_CORRECTION_ATTEMPTS; attempt++) {
      const record = await this.repository.findByPatientId(target.patient);
      const entries = record?.[list] ?? [];
      const entry = entries.find((candidate) => candidate.id === entryId);
      if (!record || !entry) throw new NotFoundError('History entry');
      const { changes, refusal } = changesOf(entry);
      if (refusal) {
        await auditedWrite(context, target, RESOURCE_OF[list], Object.keys(changes), 'update', () => Promise.reject(refusal));
      }
      const next = nextVersion(entry, changes, target.actor, new Date());
      if (!next) return entry;
      const duplicate =
        list === 'allergies' &&
        next.changed.includes('substance') &&
        entries.some(
          (other) => other.id !== entryId && other.entryStatus !== 'entered_in_error' && other.substanceKey === next.entry.substanceKey,
        );
      const replaced = entries.map((candidate) => (candidate.id === entryId ? next.entry : candidate));
      try {
        // Refusals are thrown inside the audited work, so that the audit records them as failures.
        await auditedWrite(context, target, RESOURCE_OF[list], next.changed, 'update', async () => {
          if (duplicate) throw duplicateAllergy();
          if (!(await this.repository.replaceList(target.patient, list, replaced, record.version, next.entry.updatedAt as Date)))
            throw new RecordChanged();
        });
        return next.entry;
      } catch (error) {
        if (!(error instanceof RecordChanged)) throw error;
      }
    }
    throw new ConflictError('The record kept changing meanwhile; try again.');
  }

  async setBloodType(context: RequestContext, patientId: string, bloodType: BloodType): Promise<MedicalHistory> {
    const target = writeTarget(context, patientId);
    await auditedWrite(context, target, 'MedicalHistory', ['bloodType'], 'update', () =>
      this.repository.setFields(target.patient, { bloodType }, new Date()),
    );
    return toMedicalHistory(target.patient, await context.loaders.recordByPatientId.load(target.patient));
  }

  /** Sets the fields given (null clears one); the others keep their values. */
  async updateSocialHistory(context: RequestContext, patientId: string, input: SocialHistoryInput): Promise<SocialHistory> {
    const target = writeTarget(context, patientId);
    const changes = Object.fromEntries(
      (['smoking', 'alcohol', 'occupation', 'notes'] as const)
        .filter((field) => input[field] !== undefined)
        .map((field) => [field, input[field]]),
    );
    if (Object.keys(changes).length === 0) throw new BadUserInputError([{ path: ['input'], message: 'give at least one field' }]);
    const updatedAt = new Date();
    await auditedWrite(context, target, 'SocialHistory', Object.keys(changes), 'update', () =>
      this.repository.setSocialHistory(target.patient, changes, target.actor, updatedAt),
    );
    const social = toMedicalHistory(target.patient, await context.loaders.recordByPatientId.load(target.patient)).socialHistory;
    if (!social) throw new NotFoundError('Social history');
    return social;
  }
}
