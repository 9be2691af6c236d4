export { Prescription, PrescriptionStatus } from './prescription.types.js';
export { Medication } from './medication.types.js';
export { MedicinesRepository } from './medicines.repository.js';
export { PrescriptionsRepository } from './prescriptions.repository.js';
export { starterCatalogue } from './knowledge/starter-catalogue.js';
export { type Catalogue } from './knowledge/catalogue-schema.js';
export { canonicalForm } from './prescription-signature.js';
export { seedDemoPrescriptions, type DemoPrescription } from './demo-prescriptions.js';
