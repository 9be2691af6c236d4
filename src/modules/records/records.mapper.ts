// Stored record documents to graph objects (missing lists are empty; entries stored before
// corrections existed are version 1, active, without history).
import { toLocalDate } from '../../graphql/scalars.js';
import {
  HistoryEntryStatus,
  type Allergy,
  type BloodType,
  type ChronicCondition,
  type FamilyHistoryEntry,
  type Immunization,
  type MedicalHistory,
  type SocialHistory,
  type Surgery,
} from './medical-history.types.js';
import type { PatientRecord, StoredEntry, StoredLactation, StoredPregnancy } from './records.repository.js';
import type { LactationStatus, PregnancyStatus } from './reproductive-status.types.js';

const text = (value: unknown) => (typeof value === 'string' ? value : null);
const int = (value: unknown) => (typeof value === 'number' ? value : null);
const date = (value: unknown) => (value instanceof Date ? toLocalDate(value) : null);
/** The fields every entry has, its earlier versions mapped like itself. */
function base<T>(entry: StoredEntry, self: (e: StoredEntry) => T) {
  return {
    id: entry.id,
    recordedAt: entry.recordedAt,
    entryStatus: (entry.entryStatus ?? HistoryEntryStatus.ACTIVE) as HistoryEntryStatus,
    enteredInErrorReason: text(entry.enteredInErrorReason),
    version: int(entry.version) ?? 1,
    updatedAt: entry.updatedAt instanceof Date ? entry.updatedAt : null,
    changedFields: Array.isArray(entry.changedFields) ? entry.changedFields.map(String) : [],
    history: (Array.isArray(entry.history) ? (entry.history as StoredEntry[]) : []).map(self),
  };
}

export const toAllergy = (e: StoredEntry): Allergy => ({
  ...base(e, toAllergy),
  substance: String(e.substance),
  severity: e.severity as Allergy['severity'],
  reaction: text(e.reaction),
  notedOn: date(e.notedOn),
});
export const toCondition = (e: StoredEntry): ChronicCondition => ({
  ...base(e, toCondition),
  name: String(e.name),
  icd10Code: text(e.icd10Code),
  status: e.status as ChronicCondition['status'],
  diagnosedOn: date(e.diagnosedOn),
  notes: text(e.notes),
});
export const toImmunization = (e: StoredEntry): Immunization => ({
  ...base(e, toImmunization),
  vaccine: String(e.vaccine),
  administeredOn: date(e.administeredOn) ?? '',
  doseNumber: int(e.doseNumber),
  manufacturer: text(e.manufacturer),
  lotNumber: text(e.lotNumber),
});
export const toSurgery = (e: StoredEntry): Surgery => ({
  ...base(e, toSurgery),
  procedure: String(e.procedure),
  performedOn: date(e.performedOn),
  facility: text(e.facility),
  notes: text(e.notes),
});
export const toFamilyEntry = (e: StoredEntry): FamilyHistoryEntry => ({
  ...base(e, toFamilyEntry),
  relation: String(e.relation),
  condition: String(e.condition),
  ageAtDiagnosis: int(e.ageAtDiagnosis),
});

function toSocialHistory(value: PatientRecord['socialHistory']): SocialHistory | null {
  if (!value) return null;
  return {
    smoking: (value.smoking ?? null) as SocialHistory['smoking'],
    alcohol: (value.alcohol ?? null) as SocialHistory['alcohol'],
    occupation: text(value.occupation),
    notes: text(value.notes),
    updatedAt: value.updatedAt as Date,
  };
}

const toPregnancy = (stored: StoredPregnancy): PregnancyStatus => ({
  status: stored.status as PregnancyStatus['status'],
  since: date(stored.since),
  expectedDelivery: date(stored.expectedDelivery),
  recordedAt: stored.recordedAt,
  history: (stored.history ?? []).map(toPregnancy),
});
const toLactation = (stored: StoredLactation): LactationStatus => ({
  status: stored.status as LactationStatus['status'],
  since: date(stored.since),
  recordedAt: stored.recordedAt,
  history: (stored.history ?? []).map(toLactation),
});

export function toMedicalHistory(patientDbId: string, record: PatientRecord | null): MedicalHistory {
  return {
    patientDbId,
    bloodType: (record?.bloodType ?? null) as BloodType | null,
    entries: {
      allergies: (record?.allergies ?? []).map(toAllergy),
      chronicConditions: (record?.chronicConditions ?? []).map(toCondition),
      immunizations: (record?.immunizations ?? []).map(toImmunization),
      surgeries: (record?.surgeries ?? []).map(toSurgery),
      familyHistory: (record?.familyHistory ?? []).map(toFamilyEntry),
    },
    socialHistory: toSocialHistory(record?.socialHistory),
    pregnancy: record?.pregnancy ? toPregnancy(record.pregnancy) : null,
    lactation: record?.lactation ? toLactation(record.lactation) : null,
    updatedAt: record?.updatedAt ?? null,
  };
}
