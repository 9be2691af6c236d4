// The outbox topic the encounters module applies: a visit completed with its record (written by
// scheduling in the appointment's transaction, applied to MongoDB by the relay).
import { z } from 'zod';
import { defineTopic } from '../../platform/outbox-topics.js';

const text = z.string().nullable();
const measure = z.number().nullish();

export const encounterCompleted = defineTopic(
  'encounter.completed',
  z.object({
    keys: z.object({ appointmentId: z.uuid(), patientId: z.uuid(), doctorId: z.uuid(), clinicId: z.uuid() }),
    fields: z.object({
      chiefComplaint: text,
      subjective: text,
      objective: text,
      assessment: text,
      plan: text,
      diagnoses: z.array(z.object({ icd10Code: z.string(), description: z.string(), primary: z.boolean() })),
      treatmentPlan: text,
      followUpInDays: z.number().int().nullable(),
      completedBy: z.uuid(),
      completedAt: z.iso.datetime(),
      // The measurements (numbers named with their units), who took them and when.
      vitals: z
        .object({
          temperatureC: measure,
          systolicMmHg: measure,
          diastolicMmHg: measure,
          heartRateBpm: measure,
          respiratoryRatePerMin: measure,
          oxygenSaturationPct: measure,
          weightKg: measure,
          heightCm: measure,
          recordedBy: z.uuid(),
          recordedAt: z.iso.datetime(),
        })
        .optional(),
    }),
  }),
);

export type EncounterCompletion = z.infer<typeof encounterCompleted.schema>['fields'];
