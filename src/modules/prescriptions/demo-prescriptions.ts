// Demo prescriptions for development: written the way the API writes them (the starter catalogue,
// the real safety checks against the demo records, overrides with reasons, Ed25519 signatures), so
// that the explorer shows a signed prescription, one signed over an overridden finding, and a draft
// waiting on its findings, to the doctor, the nurse, the pharmacist and the patient.
import type { Db } from 'mongodb';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { memoryCache } from '../../platform/cache.js';
import { ReadThrough } from '../../platform/cache-aside.js';
import { PatientsRepository } from '../patients/index.js';
import { RecordsRepository, reproductiveStatusOn } from '../records/index.js';
import { starterCatalogue } from './knowledge/starter-catalogue.js';
import { recognise } from './medicine-knowledge.js';
import { MedicinesRepository } from './medicines.repository.js';
import { ageInMonths } from './patient-facts.js';
import { addDays, localDate } from './prescription-dates.js';
import { PrescriptionSigner, signingKeys } from './prescription-signature.js';
import { signedContent } from './prescriptions.mapper.js';
import { PrescriptionsRepository, type NewItem } from './prescriptions.repository.js';
import { runSafetyChecks } from './safety-checks.js';
import { fromLocalDate } from '../../graphql/scalars.js';

export interface DemoPrescription {
  patientId: string;
  prescriberId: string;
  clinicId: string;
  diagnoses: string[];
  /** Medicine codes of the starter catalogue, with what the doctor wrote. */
  items: Array<{
    code: string;
    dose: number;
    unit: string;
    frequency: string;
    durationDays: number;
    quantity: number;
    instructions: string;
  }>;
  /** Why the doctor went ahead over each high finding; null: left a draft with its findings open. */
  overrideReason: string | null;
}

/** Loads the catalogue, then writes the prescriptions given unless their prescribers have written any yet; how many it wrote. */
export async function seedDemoPrescriptions(
  prisma: PrismaClient,
  mongo: Db,
  signing: Parameters<typeof signingKeys>[0],
  prescriptions: DemoPrescription[],
): Promise<number> {
  const medicines = new MedicinesRepository(prisma, new ReadThrough(memoryCache()));
  await medicines.load(starterCatalogue());
  const knowledge = await medicines.snapshot();
  const byCode = new Map([...knowledge.medicines.values()].map((medicine) => [medicine.code, medicine]));
  const repository = new PrescriptionsRepository(prisma);
  const records = new RecordsRepository(mongo);
  const patients = new PatientsRepository(prisma);
  const signer = new PrescriptionSigner(signingKeys(signing));
  let written = 0;
  const prescribers = [...new Set(prescriptions.map((demo) => demo.prescriberId))];
  for (const prescriberId of prescribers) if ((await repository.count({ prescriberId, includeDrafts: true })) > 0) return 0;
  for (const demo of prescriptions) {
    const now = new Date();
    const today = localDate(now);
    const items: NewItem[] = demo.items.map((item, index) => {
      const medicine = byCode.get(item.code);
      if (!medicine) throw new Error(`the demo prescribes ${item.code}, which the starter catalogue does not have`);
      return {
        position: index + 1,
        medicineId: medicine.id,
        medicineName: medicine.genericName,
        strength: medicine.strengths[0],
        form: medicine.forms[0],
        route: medicine.routes[0],
        doseAmount: item.dose,
        doseUnit: item.unit,
        frequency: item.frequency,
        durationDays: item.durationDays,
        quantity: item.quantity,
        refillsAllowed: 0,
        substitutionAllowed: true,
        instructions: item.instructions,
      };
    });
    const draft = await repository.createDraft({
      patientId: demo.patientId,
      prescriberId: demo.prescriberId,
      clinicId: demo.clinicId,
      appointmentId: null,
      diagnoses: demo.diagnoses,
      notes: null,
      validityDays: 30,
      items,
      year: Number(today.slice(0, 4)),
    });
    const record = await records.findByPatientId(demo.patientId);
    const [patient] = await patients.findByIds([demo.patientId]);
    const profile = patient?.profile;
    const { pregnant, breastfeeding } = reproductiveStatusOn(record, now);
    const ageMonths = profile?.dateOfBirth ? ageInMonths(profile.dateOfBirth.toISOString().slice(0, 10), today) : null;
    const findings = runSafetyChecks({
      items: items.map((item) => ({ position: item.position, medicine: knowledge.medicines.get(item.medicineId)! })),
      others: [],
      patient: {
        ageMonths,
        allergies: (record?.allergies ?? []).map((entry) => ({
          substance: String(entry.substance),
          ...recognise(String(entry.substance), knowledge),
        })),
        conditionCodes: [
          ...(record?.chronicConditions ?? []).map((entry) => String(entry.icd10Code ?? '')).filter(Boolean),
          ...demo.diagnoses,
        ],
        pregnant,
        breastfeeding,
        ofChildbearingAge: profile?.gender === 'female' && ageMonths !== null && ageMonths >= 144 && ageMonths < 612,
      },
      knowledge,
    });
    const checked = await repository.saveFindings(draft.id, draft.updatedAt, findings, now);
    written++;
    if (!checked || demo.overrideReason === null) continue;
    for (const finding of checked.findings.filter((candidate) => candidate.severity !== 'low'))
      await repository.resolveFinding(finding.id, demo.prescriberId, now, finding.severity === 'high' ? demo.overrideReason : null);
    const signingFields = { signedAt: now, signedBy: demo.prescriberId, issuedOn: fromLocalDate(today), validUntil: addDays(today, 30) };
    await repository.sign(draft.id, checked.checkedAt!, signingFields, (locked) => signer.sign(signedContent(locked, signingFields)));
  }
  return written;
}
