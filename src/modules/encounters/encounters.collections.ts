// MongoDB `encounters`: one consultation record per appointment (its _id), so that applying the
// same outbox event twice still leaves one document.
import type { CollectionSpec } from '../../platform/mongo.js';
import { VITAL_RANGES } from './vital-ranges.js';

export const ENCOUNTERS = 'encounters';

const optionalText = (maxLength: number) => ({ bsonType: ['string', 'null'], maxLength });
const range = (type: string, minimum: number, maximum: number) => ({ bsonType: [type, 'null'], minimum, maximum });

export const encountersSpec: CollectionSpec = {
  name: ENCOUNTERS,
  validator: {
    $jsonSchema: {
      bsonType: 'object',
      required: ['_id', 'patientId', 'doctorId', 'clinicId', 'createdAt', 'updatedAt'],
      properties: {
        _id: { bsonType: 'string' },
        patientId: { bsonType: 'string' },
        doctorId: { bsonType: 'string' },
        clinicId: { bsonType: 'string' },
        chiefComplaint: optionalText(500),
        vitals: {
          bsonType: ['object', 'null'],
          properties: {
            ...Object.fromEntries(
              Object.entries(VITAL_RANGES).map(([sign, [minimum, maximum]]) => [sign, range('number', minimum, maximum)]),
            ),
            recordedBy: { bsonType: 'string' },
            recordedAt: { bsonType: 'date' },
          },
        },
        subjective: optionalText(4000),
        objective: optionalText(4000),
        assessment: optionalText(4000),
        plan: optionalText(4000),
        diagnoses: { bsonType: 'array', maxItems: 20, items: { bsonType: 'object', required: ['icd10Code', 'description', 'primary'] } },
        treatmentPlan: optionalText(4000),
        followUpInDays: range('number', 1, 365),
        completedBy: { bsonType: ['string', 'null'] },
        completedAt: { bsonType: ['date', 'null'] },
        createdAt: { bsonType: 'date' },
        updatedAt: { bsonType: 'date' },
      },
    },
  },
  indexes: [{ key: { patientId: 1, createdAt: -1 }, name: 'by_patient' }],
};
