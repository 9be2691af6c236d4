// Every field of a patient is checked against the caller's ties to that patient, wherever the
// patient is reached from (patient(id:), node(id:), a mutation's result, a nested edge).
import { hasRole, onPatient } from '../../authz/rules.js';
import { allow } from '../../authz/shield.js';
import type { ModulePermissions } from '../../platform/module.js';

/** Contact details: the patient, their care team and their clinic's front desk (receptionists, admins). */
const contact = onPatient('contact');

export const patientsPermissions: ModulePermissions = {
  Query: {
    patient: onPatient('identity'),
    // The service checks the caller works at the clinic, and who may search by phone or national id.
    patients: hasRole('receptionist', 'admin', 'nurse', 'doctor', 'pharmacist', 'lab_technician'),
  },
  Mutation: {
    registerPatient: hasRole('receptionist', 'admin', 'doctor', 'nurse'),
    updatePatient: onPatient('contactWrite'),
  },
  Patient: {
    '*': onPatient('identity'),
    nationalId: contact,
    email: contact,
    phone: contact,
    address: contact,
    emergencyContact: contact,
    insurance: contact,
  },
  EmergencyContact: allow,
  Insurance: allow,
  PatientConnection: allow,
  PatientEdge: allow,
};
