// A patient's medical history: read and written by those with clinical access to the patient.
import { onPatient } from '../../authz/rules.js';
import { allow } from '../../authz/shield.js';
import type { ModulePermissions } from '../../platform/module.js';

const clinicalWrite = onPatient('clinicalWrite');

export const recordsPermissions: ModulePermissions = {
  Mutation: {
    recordAllergy: clinicalWrite,
    recordChronicCondition: clinicalWrite,
    recordImmunization: clinicalWrite,
    recordSurgery: clinicalWrite,
    recordFamilyHistory: clinicalWrite,
    setBloodType: clinicalWrite,
    updateSocialHistory: clinicalWrite,
    updateAllergy: clinicalWrite,
    updateChronicCondition: clinicalWrite,
    updateImmunization: clinicalWrite,
    updateSurgery: clinicalWrite,
    updateFamilyHistory: clinicalWrite,
    markHistoryEntryEnteredInError: clinicalWrite,
    recordPregnancyStatus: clinicalWrite,
    recordLactationStatus: clinicalWrite,
  },
  Patient: { medicalHistory: onPatient('clinicalRead') },
  // Reached only through Patient.medicalHistory, which checks the patient's clinical access.
  MedicalHistory: allow,
  Allergy: allow,
  ChronicCondition: allow,
  Immunization: allow,
  Surgery: allow,
  FamilyHistoryEntry: allow,
  SocialHistory: allow,
  PregnancyStatus: allow,
  LactationStatus: allow,
};
