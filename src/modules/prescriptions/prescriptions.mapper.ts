// Rows to the graph's objects, and a row to the content its signature covers.
import { toGlobalId } from '../../graphql/global-id.js';
import { toLocalDate } from '../../graphql/scalars.js';
import type { MedicationRoute, MedicationFrequency } from './prescription.types.js';
import {
  FindingResolutionKind,
  PrescriptionStatus,
  type Prescription,
  type PrescriptionItem,
  type SafetyFinding,
  type SafetyFindingKind,
  type SafetyFindingSeverity,
} from './prescription.types.js';
import type { Medication, ReproductiveRisk } from './medication.types.js';
import type { MedicineRow } from './medicines.repository.js';
import type { SignedContent } from './prescription-signature.js';
import type { FindingRow, NewItem, PrescriptionRow } from './prescriptions.repository.js';

const SEVERITY_ORDER: Record<string, number> = { high: 0, moderate: 1, low: 2 };

/** The status the world should see on `today` (YYYY-MM-DD): a signed one past its last day is expired, job or no job. */
export function effectiveStatus(row: Pick<PrescriptionRow, 'status' | 'validUntil'>, today: string): PrescriptionStatus {
  const validUntil = toLocalDate(row.validUntil);
  if ((row.status === 'active' || row.status === 'on_hold') && validUntil !== null && validUntil < today) return PrescriptionStatus.EXPIRED;
  return row.status as PrescriptionStatus;
}

export function toFinding(row: FindingRow): SafetyFinding {
  return {
    dbId: row.id,
    prescriptionDbId: row.prescriptionId,
    id: toGlobalId('SafetyFinding', row.id),
    kind: row.kind as SafetyFindingKind,
    severity: row.severity as SafetyFindingSeverity,
    itemPositions: row.itemPositions,
    messageEn: row.messageEn,
    messageFr: row.messageFr,
    detectedAt: row.detectedAt,
    resolution:
      row.resolvedAt && row.resolvedBy
        ? {
            resolvedByDbId: row.resolvedBy,
            kind: row.overrideReason ? FindingResolutionKind.OVERRIDDEN : FindingResolutionKind.ACKNOWLEDGED,
            at: row.resolvedAt,
            reason: row.overrideReason,
          }
        : null,
  };
}

function toItem(row: PrescriptionRow['items'][number]): PrescriptionItem {
  return {
    medicineDbId: row.medicineId,
    id: toGlobalId('PrescriptionItem', row.id),
    position: row.position,
    medicationName: row.medicineName,
    strength: row.strength,
    form: row.form,
    route: row.route as MedicationRoute,
    dose: { amount: Number(row.doseAmount), unit: row.doseUnit },
    frequency: row.frequency as MedicationFrequency,
    durationDays: row.durationDays,
    quantity: row.quantity,
    refillsAllowed: row.refillsAllowed,
    substitutionAllowed: row.substitutionAllowed,
    instructions: row.instructions,
  };
}

export function toPrescription(row: PrescriptionRow, today: string): Prescription {
  return {
    dbId: row.id,
    patientDbId: row.patientId,
    clinicDbId: row.clinicId,
    prescriberDbId: row.prescriberId,
    prescriberDoctorDbId: row.prescriber.doctorProfile?.id ?? null,
    appointmentDbId: row.appointmentId,
    replacesDbId: row.replacesId,
    replacedByDbId: row.replacedBy?.id ?? null,
    storedStatus: row.status as PrescriptionStatus,
    id: toGlobalId('Prescription', row.id),
    number: row.number,
    status: effectiveStatus(row, today),
    diagnoses: row.diagnoses,
    notes: row.notes,
    issuedOn: toLocalDate(row.issuedOn),
    validUntil: toLocalDate(row.validUntil),
    validityDays: row.validityDays,
    items: row.items.map(toItem),
    safetyFindings: [...row.findings]
      .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.detectedAt.getTime() - b.detectedAt.getTime())
      .map(toFinding),
    checkedAt: row.checkedAt,
    signature:
      row.signature && row.signatureKeyId && row.signedAt
        ? { algorithm: 'Ed25519', keyId: row.signatureKeyId, value: row.signature, signedAt: row.signedAt }
        : null,
    statusReason: row.statusReason,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** What the signature of `row` covers (its signing fields as given, e.g. about to be written). */
export function signedContent(
  row: PrescriptionRow,
  signing: { signedAt: Date; signedBy: string; issuedOn: Date; validUntil: Date } = {
    signedAt: row.signedAt!,
    signedBy: row.signedBy!,
    issuedOn: row.issuedOn!,
    validUntil: row.validUntil!,
  },
): SignedContent {
  return {
    id: row.id,
    number: row.number,
    clinicId: row.clinicId,
    patientId: row.patientId,
    prescriberId: row.prescriberId,
    appointmentId: row.appointmentId,
    diagnoses: row.diagnoses,
    notes: row.notes,
    issuedOn: toLocalDate(signing.issuedOn)!,
    validUntil: toLocalDate(signing.validUntil)!,
    replacesId: row.replacesId,
    signedAt: signing.signedAt,
    signedBy: signing.signedBy,
    items: itemContents(row).map((item) => ({ ...item, doseAmount: item.doseAmount.toFixed(3) })),
    findings: row.findings.map((finding) => ({
      fingerprint: finding.fingerprint,
      severity: finding.severity,
      resolvedBy: finding.resolvedBy,
      resolvedAt: finding.resolvedAt,
      overrideReason: finding.overrideReason,
    })),
  };
}

/** A stored prescription's items as the content of a new one (a reissue copies them). */
export function itemContents(row: PrescriptionRow): NewItem[] {
  return row.items.map((item) => ({
    position: item.position,
    medicineId: item.medicineId,
    medicineName: item.medicineName,
    strength: item.strength,
    form: item.form,
    route: item.route,
    doseAmount: Number(item.doseAmount),
    doseUnit: item.doseUnit,
    frequency: item.frequency,
    durationDays: item.durationDays,
    quantity: item.quantity,
    refillsAllowed: item.refillsAllowed,
    substitutionAllowed: item.substitutionAllowed,
    instructions: item.instructions,
  }));
}

export function toMedication(row: MedicineRow): Medication {
  return {
    dbId: row.id,
    id: toGlobalId('Medication', row.id),
    code: row.code,
    genericName: row.genericName,
    brandNames: row.brandNames,
    atcCode: row.atcCode,
    forms: row.forms,
    strengths: row.strengths,
    routes: row.routes as MedicationRoute[],
    indications: row.indications,
    ingredients: row.ingredientCodes,
    pregnancyRisk: row.pregnancyRisk as ReproductiveRisk,
    lactationRisk: row.lactationRisk as ReproductiveRisk,
    minAgeMonths: row.minAgeMonths,
    maxAgeYears: row.maxAgeYears,
    controlled: row.controlled,
    prescriptionOnly: row.prescriptionOnly,
    active: row.active,
    source: row.source,
  };
}
