// MongoDB `patient_records`: one document per patient (its _id is the patient's user id), holding
// the medical history. The validator is the last line of defence behind the service's checks.
import type { CollectionSpec } from '../../platform/mongo.js';

export const PATIENT_RECORDS = 'patient_records';

const text = (maxLength: number) => ({ bsonType: 'string', minLength: 1, maxLength });
const optionalText = (maxLength: number) => ({ bsonType: ['string', 'null'], maxLength });
const optionalDate = { bsonType: ['date', 'null'] };
const entry = (required: string[], properties: Record<string, unknown>) => ({
  bsonType: 'object',
  required: ['id', 'recordedBy', 'recordedAt', ...required],
  additionalProperties: false,
  properties: {
    id: { bsonType: 'string' },
    recordedBy: { bsonType: 'string' },
    recordedAt: { bsonType: 'date' },
    // Corrections: the current version's number, author and changed fields; earlier versions whole.
    entryStatus: { enum: ['active', 'entered_in_error'] },
    enteredInErrorReason: optionalText(500),
    version: { bsonType: 'int', minimum: 1 },
    updatedBy: { bsonType: 'string' },
    updatedAt: { bsonType: 'date' },
    changedFields: { bsonType: 'array', items: { bsonType: 'string' } },
    history: { bsonType: 'array', items: { bsonType: 'object' } },
    ...properties,
  },
});

/**
 * A status the record holds one of at a time (pregnancy, lactation): the current one, and in its
 * history the ones it replaced, each with the same fields and no history of its own.
 */
const currentStatus = (states: string[], properties: Record<string, unknown> = {}) => {
  const version = (history: Record<string, unknown>) => ({
    bsonType: 'object',
    required: ['status', 'recordedBy', 'recordedAt'],
    additionalProperties: false,
    properties: {
      status: { enum: states },
      since: optionalDate,
      recordedBy: { bsonType: 'string' },
      recordedAt: { bsonType: 'date' },
      ...properties,
      ...history,
    },
  });
  return { ...version({ history: { bsonType: 'array', items: version({}) } }), bsonType: ['object', 'null'] };
};

export const patientRecordsSpec: CollectionSpec = {
  name: PATIENT_RECORDS,
  validator: {
    $jsonSchema: {
      bsonType: 'object',
      required: ['_id', 'createdAt', 'updatedAt', 'version'],
      additionalProperties: false,
      properties: {
        _id: { bsonType: 'string' },
        bloodType: { enum: ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-', 'unknown', null] },
        allergies: {
          bsonType: 'array',
          items: entry(['substance', 'substanceKey', 'severity'], {
            substance: text(120),
            substanceKey: text(120),
            severity: { enum: ['mild', 'moderate', 'severe', 'life_threatening'] },
            reaction: optionalText(500),
            notedOn: optionalDate,
          }),
        },
        chronicConditions: {
          bsonType: 'array',
          items: entry(['name', 'status'], {
            name: text(200),
            icd10Code: optionalText(8),
            status: { enum: ['active', 'managed', 'resolved'] },
            diagnosedOn: optionalDate,
            notes: optionalText(2000),
          }),
        },
        immunizations: {
          bsonType: 'array',
          items: entry(['vaccine', 'administeredOn'], {
            vaccine: text(120),
            administeredOn: { bsonType: 'date' },
            doseNumber: { bsonType: ['int', 'null'], minimum: 1, maximum: 10 },
            manufacturer: optionalText(120),
            lotNumber: optionalText(64),
          }),
        },
        surgeries: {
          bsonType: 'array',
          items: entry(['procedure'], {
            procedure: text(200),
            performedOn: optionalDate,
            facility: optionalText(200),
            notes: optionalText(2000),
          }),
        },
        familyHistory: {
          bsonType: 'array',
          items: entry(['relation', 'condition'], {
            relation: text(60),
            condition: text(200),
            ageAtDiagnosis: { bsonType: ['int', 'null'], minimum: 0, maximum: 120 },
          }),
        },
        socialHistory: {
          bsonType: ['object', 'null'],
          additionalProperties: false,
          properties: {
            smoking: { enum: ['never', 'former', 'current', null] },
            alcohol: { enum: ['none', 'occasional', 'regular', null] },
            occupation: optionalText(120),
            notes: optionalText(2000),
            updatedBy: { bsonType: 'string' },
            updatedAt: { bsonType: 'date' },
          },
        },
        pregnancy: currentStatus(['pregnant', 'not_pregnant', 'unknown'], { expectedDelivery: optionalDate }),
        lactation: currentStatus(['breastfeeding', 'not_breastfeeding', 'unknown']),
        createdAt: { bsonType: 'date' },
        updatedAt: { bsonType: 'date' },
        version: { bsonType: 'int', minimum: 0 },
      },
    },
  },
  // Every read and write finds the record by _id: no other index earns its cost on each write.
  indexes: [],
};
