// Reading prescriptions and the catalogue: the lists (constant statements per page: prescriptions
// with their items and findings in one, medicines and patients through loaders), a prescription by
// id or number, the verification of its signature. Who may see each prescription is the schema's
// rule on the Prescription type; every field read of one is audited as the patient's data.
import type { RequestContext } from '../../context/context.js';
import { BadUserInputError, ForbiddenError, UnauthenticatedError } from '../../errors/errors.js';
import { cursorShape, decodeCursor, encodeCursor, part, toPage, type Page } from '../../graphql/connection.js';
import { idOf, parseGlobalId } from '../../graphql/global-id.js';
import { fromLocalDate } from '../../graphql/scalars.js';
import type { Patient } from '../patients/index.js';
import type { Medication, MedicationCatalogue } from './medication.types.js';
import type { MedicinesRepository } from './medicines.repository.js';
import type { PrescriptionSigner } from './prescription-signature.js';
import { localDate } from './prescription-dates.js';
import {
  PrescriptionStatus,
  PrescriptionVerificationOutcome,
  type Prescription,
  type PrescriptionVerification,
} from './prescription.types.js';
import { signedContent, toMedication, toPrescription } from './prescriptions.mapper.js';
import type { PrescriptionFilter, PrescriptionRow, PrescriptionsRepository } from './prescriptions.repository.js';

const PRESCRIPTION_CURSOR = cursorShape(part.literal('rx'), part.instant, part.uuid);
const MEDICATION_CURSOR = cursorShape(part.literal('med'), part.text, part.uuid);

export interface PrescriptionListArgs {
  first: number;
  after?: string | null;
  status?: PrescriptionStatus | null;
}

export class PrescriptionViewsService {
  constructor(
    private readonly prescriptions: PrescriptionsRepository,
    private readonly medicines: MedicinesRepository,
    private readonly signer: PrescriptionSigner,
  ) {}

  /** Medicines by name (generic or brand; accents and case ignored), by generic name. */
  async medications(search: string | null | undefined, first: number, after?: string | null): Promise<Page<Medication>> {
    const words = (search ?? '')
      .split(/\s+/)
      .filter((word) => word.length > 0)
      .slice(0, 5);
    if (words.some((word) => word.length > 60))
      throw new BadUserInputError([{ path: ['search'], message: 'words are at most 60 characters' }]);
    const cursor = after ? decodeCursor(after, MEDICATION_CURSOR) : undefined;
    const rows = await this.medicines.search({ words, take: first + 1, after: cursor ? { name: cursor[1], id: cursor[2] } : undefined });
    return toPage(
      rows,
      first,
      cursor !== undefined,
      (row) => encodeCursor(['med', row.genericName, row.id]),
      toMedication,
      () => this.medicines.countSearch(words),
    );
  }

  async catalogue(): Promise<MedicationCatalogue> {
    const snapshot = await this.medicines.snapshot();
    return {
      version: snapshot.version,
      notice: snapshot.notice,
      medications: [...snapshot.medicines.values()].filter((medicine) => medicine.active).length,
    };
  }

  /** A prescription by its global id (null when there is none; the type's rule decides who sees it). */
  async prescription(context: RequestContext, id: string): Promise<Prescription | null> {
    return context.loaders.prescriptionById.load(idOf('Prescription', id, ['id']));
  }

  patientPrescriptions(context: RequestContext, patient: Patient, args: PrescriptionListArgs): Promise<Page<Prescription>> {
    // The patient sees what was issued to them, not their doctor's drafts.
    const self = context.principal?.patientId === patient.dbId;
    return this.page({ patientId: patient.dbId, includeDrafts: !self, signedOnly: self }, args, self);
  }

  myPrescriptions(context: RequestContext, args: PrescriptionListArgs): Promise<Page<Prescription>> {
    const patientId = context.principal?.patientId;
    if (!patientId) throw new ForbiddenError('Only patients have prescriptions of their own.');
    return this.page({ patientId, signedOnly: true }, args, true);
  }

  /** The signed-in doctor's prescriptions, newest first, drafts included. */
  prescribedByMe(context: RequestContext, args: PrescriptionListArgs): Promise<Page<Prescription>> {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    return this.page({ prescriberId: principal.userId, includeDrafts: true }, args, false);
  }

  /** An encounter's prescriptions (batched across encounters); a patient does not see drafts. */
  async ofAppointment(context: RequestContext, appointmentId: string, patientId: string): Promise<Prescription[]> {
    const all = await context.loaders.prescriptionsByAppointmentId.load(appointmentId);
    return context.principal?.patientId === patientId
      ? all.filter((prescription) => prescription.storedStatus !== PrescriptionStatus.DRAFT)
      : all;
  }

  /**
   * Checks a prescription's signature against what is stored now: by global id, or by number (a
   * number is unique in its clinic: `clinicId` picks one when several clinics have it).
   */
  async verify(context: RequestContext, reference: string, clinicId?: string | null): Promise<PrescriptionVerification | null> {
    const row = await this.find(context, reference.trim(), clinicId);
    if (!row) return null;
    const today = localDate(new Date());
    const status = toPrescription(row, today).status;
    let outcome: PrescriptionVerificationOutcome;
    if (!row.signature || !row.signatureKeyId || !row.signedAt) outcome = PrescriptionVerificationOutcome.UNSIGNED;
    else outcome = this.signer.verify(signedContent(row), row.signatureKeyId, row.signature) as PrescriptionVerificationOutcome;
    const valid = outcome === PrescriptionVerificationOutcome.VALID;
    return {
      prescriptionDbId: row.id,
      patientDbId: row.patientId,
      valid,
      outcome,
      number: row.number,
      status,
      signedAt: row.signedAt,
      keyId: row.signatureKeyId,
      validUntil: row.validUntil ? row.validUntil.toISOString().slice(0, 10) : null,
      dispensable: valid && status === PrescriptionStatus.ACTIVE,
    };
  }

  private async find(context: RequestContext, reference: string, clinicId?: string | null): Promise<PrescriptionRow | null> {
    if (/^RX-\d{4}-\d{6}$/.test(reference)) {
      const clinics = clinicId ? [idOf('Clinic', clinicId, ['clinicId'])] : context.partner ? [context.partner.clinicId] : undefined;
      const rows = await this.prescriptions.byNumber(reference, clinics);
      if (rows.length <= 1) return rows[0] ?? null;
      // A number is unique in its clinic: among several, the one of the caller's clinics, if just one is.
      const own = rows.filter((row) => context.principal?.clinicIds.includes(row.clinicId));
      if (own.length === 1) return own[0];
      throw new BadUserInputError([{ path: ['clinicId'], message: 'is required: several clinics have a prescription with this number' }]);
    }
    const parsed = parseGlobalId(reference);
    if (!parsed || parsed.type !== 'Prescription')
      throw new BadUserInputError([
        { path: ['reference'], message: 'must be a prescription number (RX-YYYY-NNNNNN) or a Prescription id' },
      ]);
    const [row] = await this.prescriptions.byIds([parsed.id]);
    return row ?? null;
  }

  private async page(filter: PrescriptionFilter, args: PrescriptionListArgs, patientView: boolean): Promise<Page<Prescription>> {
    const today = localDate(new Date());
    if (args.status === PrescriptionStatus.DRAFT && patientView)
      throw new BadUserInputError([{ path: ['status'], message: 'drafts are not shown to patients' }]);
    const filtered: PrescriptionFilter = args.status
      ? { ...filter, effectiveStatus: { status: args.status as PrescriptionRow['status'], today: fromLocalDate(today) } }
      : filter;
    const cursor = args.after ? decodeCursor(args.after, PRESCRIPTION_CURSOR) : undefined;
    const rows = await this.prescriptions.page(filtered, args.first + 1, cursor ? { createdAt: cursor[1], id: cursor[2] } : undefined);
    return toPage(
      rows,
      args.first,
      cursor !== undefined,
      (row) => encodeCursor(['rx', row.createdAt.toISOString(), row.id]),
      (row) => toPrescription(row, today),
      () => this.prescriptions.count(filtered),
    );
  }
}
