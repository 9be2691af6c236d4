// Who may prescribe and who may read a prescription. Prescribing is a doctor's (the service then
// requires the `prescribe` capability on the patient: a doctor who treats them); nurses and the
// front desk never prescribe. A prescription is read by the patient (once signed), by those with
// clinical access to the patient, and by the pharmacists of its clinic or of a pharmacy it was
// presented at (once signed).
import type { RequestContext } from '../../context/context.js';
import { UnauthenticatedError } from '../../errors/errors.js';
import { hasRole, isAuthenticated, onPatient } from '../../authz/rules.js';
import { allow, rule } from '../../authz/shield.js';
import type { ModulePermissions } from '../../platform/module.js';

const prescriber = hasRole('doctor');
const clinicalStaff = hasRole('doctor', 'nurse', 'pharmacist');

export const canReadPrescription = rule('canReadPrescription', { cache: 'no_cache' })(async (
  parent: { dbId?: string; patientDbId?: string; clinicDbId?: string; signature?: unknown },
  _args,
  context: RequestContext,
) => {
  const principal = context.principal;
  if (!principal) return new UnauthenticatedError();
  // Signed: a draft, and a draft cancelled or marked in error unsigned, are the prescriber's work only.
  const signed = Boolean(parent.signature);
  if (principal.patientId && principal.patientId === parent.patientDbId) return signed;
  if (principal.role === 'pharmacist')
    return (
      signed &&
      (principal.clinicIds.includes(parent.clinicDbId ?? '') ||
        // Presented at a pharmacy the pharmacist works at (a partner pharmacy's, say): the pharmacy module knows.
        (await context.loaders.presentedToPharmacist.load(`${principal.userId}:${parent.dbId}`)))
    );
  return parent.patientDbId ? context.patients.can(parent.patientDbId, 'clinicalRead') : false;
});

export const prescriptionsPermissions: ModulePermissions = {
  Query: {
    medications: clinicalStaff,
    medicationCatalogue: clinicalStaff,
    // The type's rule decides who sees the prescription found.
    prescription: isAuthenticated,
    myPrescriptions: hasRole('patient'),
    prescribedByMe: prescriber,
    verifyPrescription: hasRole('doctor', 'nurse', 'pharmacist', 'admin'),
  },
  Mutation: {
    createPrescription: prescriber,
    updatePrescriptionDraft: prescriber,
    checkPrescription: prescriber,
    overrideSafetyFinding: prescriber,
    acknowledgeSafetyFinding: prescriber,
    signPrescription: prescriber,
    cancelPrescription: prescriber,
    holdPrescription: prescriber,
    resumePrescription: prescriber,
    markPrescriptionEnteredInError: prescriber,
    reissuePrescription: prescriber,
  },
  Patient: { prescriptions: onPatient('clinicalRead') },
  Encounter: { prescriptions: onPatient('clinicalRead') },
  Prescription: canReadPrescription,
  // Reached only through a prescription, whose rule has decided.
  PrescriptionItem: allow,
  Dose: allow,
  SafetyFinding: allow,
  FindingResolution: allow,
  PrescriptionSignature: allow,
  PrescriptionConnection: allow,
  PrescriptionEdge: allow,
  PrescriptionVerification: allow,
  // The catalogue is reference data: anyone signed in who reaches a medicine (through an item) may read it.
  Medication: isAuthenticated,
  MedicationConnection: allow,
  MedicationEdge: allow,
  MedicationCatalogue: allow,
};
