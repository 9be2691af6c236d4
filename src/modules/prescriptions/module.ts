// The prescriptions module: the medicine catalogue (the knowledge the safety checks read), and
// prescriptions from draft to signature and after, with their safety findings and overrides.
import { defineModule } from '../../platform/module.js';
import { MedicineCatalogueService } from './medicine-catalogue.service.js';
import { MedicinesRepository } from './medicines.repository.js';
import type { Prescription, PrescriptionVerification } from './prescription.types.js';
import { PrescriptionSigner, signingKeys } from './prescription-signature.js';
import { PrescriptionViewsService } from './prescription-views.service.js';
import { createPrescriptionLoaders } from './prescriptions.loaders.js';
import { prescriptionsPermissions } from './prescriptions.permissions.js';
import { PrescriptionsRepository } from './prescriptions.repository.js';
import {
  EncounterPrescriptionsResolver,
  FindingResolutionResolver,
  PatientPrescriptionsResolver,
  PrescriptionItemResolver,
  PrescriptionLinksResolver,
  PrescriptionsResolver,
  PrescriptionVerificationResolver,
  SafetyFindingResolver,
} from './prescriptions.resolver.js';
import { PrescriptionsService } from './prescriptions.service.js';
import { prescriptionExpiryJob } from './prescription-expiry.js';

declare module '../../graphql/global-id.js' {
  interface NodeTypes {
    Prescription: true;
    Medication: true;
    PrescriptionItem: true;
    SafetyFinding: true;
  }
}

export const prescriptionsModule = defineModule({
  name: 'prescriptions',
  resolvers: [
    PrescriptionsResolver,
    PrescriptionLinksResolver,
    PrescriptionItemResolver,
    SafetyFindingResolver,
    FindingResolutionResolver,
    PrescriptionVerificationResolver,
    PatientPrescriptionsResolver,
    EncounterPrescriptionsResolver,
  ],
  permissions: prescriptionsPermissions,
  repositories: ({ prisma, readThrough }) => ({
    prescriptionRecords: new PrescriptionsRepository(prisma),
    medicines: new MedicinesRepository(prisma, readThrough),
  }),
  services: (repositories, { settings }) => {
    const signer = new PrescriptionSigner(signingKeys(settings.prescriptionSigning));
    return {
      prescriptions: new PrescriptionsService(repositories.prescriptionRecords, repositories.medicines, signer),
      prescriptionViews: new PrescriptionViewsService(repositories.prescriptionRecords, repositories.medicines, signer),
      medicineCatalogue: new MedicineCatalogueService(repositories.medicines),
    };
  },
  start: (services) => services.medicineCatalogue.ensureLoaded(),
  loaders: (repositories) => createPrescriptionLoaders(repositories.prescriptionRecords, repositories.medicines),
  nodes: {
    Prescription: { load: (loaders) => loaders.prescriptionById },
    Medication: { load: (loaders) => loaders.medicationById },
  },
  idKinds: ['PrescriptionItem', 'SafetyFinding'],
  patientData: {
    Prescription: (prescription: Prescription) => prescription.patientDbId,
    PrescriptionVerification: (verification: PrescriptionVerification) => verification.patientDbId,
  },
  patientStores: { models: ['Prescription', 'PrescriptionItem', 'PrescriptionFinding'] },
  jobs: (services) => [prescriptionExpiryJob(services.prescriptions)],
});
