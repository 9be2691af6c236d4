// Stored record documents to graph objects (missing lists are empty).
import { toLocalDate } from '../../graphql/scalars.js';
import type { Allergy, BloodType, ChronicCondition, FamilyHistoryEntry, Immunization, MedicalHistory, SocialHistory, Surgery } from './medical-history.types.js';
import type { PatientRecord, StoredEntry } from './records.repository.js';

const text = (value: unknown) => (typeof value === 'string' ? value : null);
const int = (value: unknown) => (typeof value === 'number' ? value : null);
const date = (value: unknown) => (value instanceof Date ? toLocalDate(value) : null);
const base = (entry: StoredEntry) => ({ id: entry.id, recordedAt: entry.recordedAt });

export const toAllergy = (e: StoredEntry): Allergy => ({ ...base(e), substance: String(e.substance), severity: e.severity as Allergy['severity'], reaction: text(e.reaction), notedOn: date(e.notedOn) });
export const toCondition = (e: StoredEntry): ChronicCondition => ({ ...base(e), name: String(e.name), icd10Code: text(e.icd10Code), status: e.status as ChronicCondition['status'], diagnosedOn: date(e.diagnosedOn), notes: text(e.notes) });
export const toImmunization = (e: StoredEntry): Immunization => ({ ...base(e), vaccine: String(e.vaccine), administeredOn: date(e.administeredOn) ?? '', doseNumber: int(e.doseNumber), manufacturer: text(e.manufacturer), lotNumber: text(e.lotNumber) });
export const toSurgery = (e: StoredEntry): Surgery => ({ ...base(e), procedure: String(e.procedure), performedOn: date(e.performedOn), facility: text(e.facility), notes: text(e.notes) });
export const toFamilyEntry = (e: StoredEntry): FamilyHistoryEntry => ({ ...base(e), relation: String(e.relation), condition: String(e.condition), ageAtDiagnosis: int(e.ageAtDiagnosis) });

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

export function toMedicalHistory(patientDbId: string, record: PatientRecord | null): MedicalHistory {
  return {
    patientDbId,
    bloodType: (record?.bloodType ?? null) as BloodType | null,
    allergies: (record?.allergies ?? []).map(toAllergy),
    chronicConditions: (record?.chronicConditions ?? []).map(toCondition),
    immunizations: (record?.immunizations ?? []).map(toImmunization),
    surgeries: (record?.surgeries ?? []).map(toSurgery),
    familyHistory: (record?.familyHistory ?? []).map(toFamilyEntry),
    socialHistory: toSocialHistory(record?.socialHistory),
    updatedAt: record?.updatedAt ?? null,
  };
}
