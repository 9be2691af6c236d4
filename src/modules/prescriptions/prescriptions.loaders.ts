// Per-request batching: prescriptions by id (node, verification), by appointment (an encounter's
// prescriptions), and medicines by id (each item's medication): one statement per kind per request.
import DataLoader from 'dataloader';
import { byKey, groupByKey } from '../../context/batch.js';
import type { Medication } from './medication.types.js';
import type { MedicinesRepository } from './medicines.repository.js';
import type { Prescription } from './prescription.types.js';
import { toMedication, toPrescription } from './prescriptions.mapper.js';
import type { PrescriptionsRepository } from './prescriptions.repository.js';
import { localDate } from './prescription-dates.js';

export function createPrescriptionLoaders(prescriptions: PrescriptionsRepository, medicines: MedicinesRepository) {
  const today = localDate(new Date());
  return {
    prescriptionById: new DataLoader<string, Prescription | null>(async (ids) =>
      byKey(
        ids,
        (await prescriptions.byIds(ids)).map((row) => toPrescription(row, today)),
        (prescription) => prescription.dbId,
      ),
    ),
    prescriptionsByAppointmentId: new DataLoader<string, Prescription[]>(async (ids) =>
      groupByKey(
        ids,
        (await prescriptions.byAppointments(ids)).map((row) => toPrescription(row, today)),
        (prescription) => prescription.appointmentDbId!,
      ),
    ),
    medicationById: new DataLoader<string, Medication | null>(async (ids) =>
      byKey(ids, (await medicines.byIds(ids)).map(toMedication), (medication) => medication.dbId),
    ),
  };
}
