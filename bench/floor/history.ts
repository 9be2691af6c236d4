// A stored medical history as the PatientChart operation selects it (GraphQL enum names, dates as
// YYYY-MM-DD, instants as ISO 8601): what src/modules/records/records.mapper.ts and the schema make of it.
type Doc = Record<string, unknown>;

const BLOOD_TYPES: Record<string, string> = {
  'A+': 'A_POSITIVE',
  'A-': 'A_NEGATIVE',
  'B+': 'B_POSITIVE',
  'B-': 'B_NEGATIVE',
  'AB+': 'AB_POSITIVE',
  'AB-': 'AB_NEGATIVE',
  'O+': 'O_POSITIVE',
  'O-': 'O_NEGATIVE',
  unknown: 'UNKNOWN',
};

const text = (value: unknown) => (typeof value === 'string' ? value : null);
const int = (value: unknown) => (typeof value === 'number' ? value : null);
const date = (value: unknown) => (value instanceof Date ? value.toISOString().slice(0, 10) : null);
const upper = (value: unknown) => (typeof value === 'string' ? value.toUpperCase() : null);
const list = (record: Doc | null, name: string) => (record?.[name] as Doc[] | undefined) ?? [];

/** `typenames`: the document asks for __typename on every object (as Apollo Client's documents do). */
export function toMedicalHistory(record: Doc | null, typenames: boolean) {
  const typed = <T extends object>(name: string, value: T) => (typenames ? { ...value, __typename: name } : value);
  const social = record?.socialHistory as Doc | null | undefined;
  return typed('MedicalHistory', {
    bloodType: typeof record?.bloodType === 'string' ? BLOOD_TYPES[record.bloodType] : null,
    allergies: list(record, 'allergies').map((e) =>
      typed('Allergy', {
        id: e.id,
        substance: String(e.substance),
        severity: upper(e.severity),
        reaction: text(e.reaction),
        notedOn: date(e.notedOn),
      }),
    ),
    chronicConditions: list(record, 'chronicConditions').map((e) =>
      typed('ChronicCondition', {
        id: e.id,
        name: String(e.name),
        icd10Code: text(e.icd10Code),
        status: upper(e.status),
        diagnosedOn: date(e.diagnosedOn),
      }),
    ),
    immunizations: list(record, 'immunizations').map((e) =>
      typed('Immunization', {
        id: e.id,
        vaccine: String(e.vaccine),
        administeredOn: date(e.administeredOn) ?? '',
        doseNumber: int(e.doseNumber),
      }),
    ),
    surgeries: list(record, 'surgeries').map((e) =>
      typed('Surgery', { id: e.id, procedure: String(e.procedure), performedOn: date(e.performedOn) }),
    ),
    familyHistory: list(record, 'familyHistory').map((e) =>
      typed('FamilyHistoryEntry', {
        id: e.id,
        relation: String(e.relation),
        condition: String(e.condition),
        ageAtDiagnosis: int(e.ageAtDiagnosis),
      }),
    ),
    socialHistory: social
      ? typed('SocialHistory', { smoking: upper(social.smoking), alcohol: upper(social.alcohol), occupation: text(social.occupation) })
      : null,
    updatedAt: record?.updatedAt instanceof Date ? record.updatedAt.toISOString() : null,
  });
}
