// Consultation records: clinical data, seen by those with clinical access to the patient.
import { onPatient } from '../../authz/rules.js';
import { allow } from '../../authz/shield.js';
import type { ModulePermissions } from '../../platform/module.js';

export const encountersPermissions: ModulePermissions = {
  Patient: { encounters: onPatient('clinicalRead') },
  // Reached from a patient, an appointment or node(id:): every field checks the patient's clinical access.
  Encounter: onPatient('clinicalRead'),
  EncounterConnection: allow,
  EncounterEdge: allow,
  Vitals: allow,
  Diagnosis: allow,
};
