// The pharmacy's side of a prescription: presented at a pharmacy (by the patient or routed by the
// clinic), queued, prepared, its prescriber's overrides acknowledged one by one, then dispensed,
// all or part of an item at a time. Writes are writes of the patient's data (audited first); who
// may make them is decided here (the pharmacy's pharmacists), not by the patient's care ties.
import type { RequestContext } from '../../context/context.js';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../errors/errors.js';
import { cursorShape, decodeCursor, encodeCursor, part, toPage, type Page } from '../../graphql/connection.js';
import { reasonText } from '../../graphql/validation.js';
import { idOf, toGlobalId } from '../../graphql/global-id.js';
import { fromLocalDate, localDateIn, toLocalDate } from '../../graphql/scalars.js';
import type { Prescription } from '../prescriptions/index.js';
import { DispenseRefused, type DispensingRepository } from './dispensing.repository.js';
import {
  AlreadyPresented,
  type FulfillmentRow,
  type FulfillmentStatus as StoredStatus,
  type PharmaciesRepository,
} from './pharmacies.repository.js';
import { pharmacyByDbId, pharmacyFor } from './pharmacy-access.js';
import { toFulfillment } from './pharmacy.mapper.js';
import { FulfillmentStatus, type Dispense, type DispenseInput, type Fulfillment, type SupplyType } from './pharmacy.types.js';
import { planSupply } from './supply-plan.js';

const QUEUE_CURSOR = cursorShape(part.literal('queue'), part.text, part.instant, part.uuid);
const OPEN: StoredStatus[] = ['queued', 'in_preparation', 'ready', 'partially_dispensed', 'on_hold'];
const DISPENSABLE: StoredStatus[] = ['queued', 'in_preparation', 'ready', 'partially_dispensed'];

export class DispensingService {
  constructor(
    private readonly pharmacies: PharmaciesRepository,
    private readonly dispensing: DispensingRepository,
  ) {}

  /** Presents a signed, active prescription at a pharmacy: the patient, or the staff of the prescription's clinic. */
  async present(context: RequestContext, prescriptionId: string, pharmacyId: string, urgent: boolean): Promise<Fulfillment> {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    const prescription = await this.prescription(context, idOf('Prescription', prescriptionId, ['prescriptionId']));
    const own = principal.patientId === prescription.patientDbId;
    const clinicStaff =
      principal.role !== 'patient' && principal.role !== 'pharmacist' && principal.clinicIds.includes(prescription.clinicDbId);
    if (!own && !clinicStaff) throw new ForbiddenError();
    if (prescription.status !== 'active') throw notDispensable(prescription.status);
    const pharmacy = await context.loaders.pharmacyRowById.load(idOf('Pharmacy', pharmacyId, ['pharmacyId']));
    if (!pharmacy || !pharmacy.active) throw new BadUserInputError([{ path: ['pharmacyId'], message: 'must be an open pharmacy' }]);
    const row = await context.patients.write(
      { patientId: prescription.patientDbId, resource: 'Fulfillment', fields: ['pharmacy', 'urgent'], action: 'create' },
      async () => {
        try {
          return await this.pharmacies.present({
            prescriptionId: prescription.dbId,
            pharmacyId: pharmacy.id,
            patientId: prescription.patientDbId,
            urgent,
            presentedBy: principal.userId,
          });
        } catch (error) {
          if (error instanceof AlreadyPresented)
            throw new ConflictError('The prescription is already presented at a pharmacy: it must be dispensed or declined there first.');
          throw error;
        }
      },
    );
    return toFulfillment(row);
  }

  /** A pharmacy's queue: urgent first, then oldest first (its pharmacists and its clinic's admins). */
  async queue(
    context: RequestContext,
    pharmacyId: string,
    status: FulfillmentStatus | null,
    first: number,
    after?: string | null,
  ): Promise<Page<Fulfillment>> {
    const pharmacy = await pharmacyFor(context, pharmacyId, 'read');
    const statuses = status ? [status as StoredStatus] : OPEN;
    const cursor = after ? decodeCursor(after, QUEUE_CURSOR) : undefined;
    const rows = await this.pharmacies.queue(
      pharmacy.id,
      statuses,
      first + 1,
      cursor ? { urgent: cursor[1] === 'urgent', presentedAt: cursor[2], id: cursor[3] } : undefined,
    );
    return toPage(
      rows,
      first,
      cursor !== undefined,
      (row) => encodeCursor(['queue', row.urgent ? 'urgent' : 'routine', row.presentedAt.toISOString(), row.id]),
      toFulfillment,
      () => this.pharmacies.countQueue(pharmacy.id, statuses),
    );
  }

  /** The pharmacist has read the prescriber's override of a finding (each must be, before dispensing). */
  async acknowledgeOverride(context: RequestContext, fulfillmentId: string, findingId: string): Promise<Fulfillment> {
    const fulfillment = await this.fulfillment(context, fulfillmentId, 'manage');
    const prescription = await this.prescription(context, fulfillment.prescriptionId);
    const finding = idOf('SafetyFinding', findingId, ['findingId']);
    const overridden = prescription.safetyFindings.find(
      (candidate) => candidate.dbId === finding && candidate.resolution?.kind === 'overridden',
    );
    if (!overridden)
      throw new BadUserInputError([{ path: ['findingId'], message: "must be one of the prescription's overridden findings" }]);
    await context.patients.write(
      { patientId: fulfillment.patientId, resource: 'OverrideAcknowledgment', fields: [`finding.${overridden.kind}`], action: 'create' },
      () => this.pharmacies.acknowledge(fulfillment.id, finding, context.principal!.userId),
    );
    return toFulfillment((await this.pharmacies.fulfillmentsByIds([fulfillment.id]))[0]);
  }

  startPreparation(context: RequestContext, id: string): Promise<Fulfillment> {
    return this.move(context, id, ['queued', 'on_hold'], 'in_preparation', null);
  }

  markReady(context: RequestContext, id: string): Promise<Fulfillment> {
    return this.move(context, id, ['queued', 'in_preparation', 'partially_dispensed'], 'ready', null);
  }

  decline(context: RequestContext, id: string, reason: string): Promise<Fulfillment> {
    return this.move(context, id, ['queued', 'in_preparation', 'ready', 'partially_dispensed', 'on_hold'], 'declined', reasonText(reason));
  }

  hold(context: RequestContext, id: string, reason: string): Promise<Fulfillment> {
    return this.move(context, id, ['queued', 'in_preparation', 'ready', 'partially_dispensed'], 'on_hold', reasonText(reason));
  }

  /**
   * Gives all or part of an item: the prescription active and unexpired, every override
   * acknowledged, the supply allowed (refills counted and not early), a substitute only where
   * allowed and equivalent; the lots first-expiry-first-out, in one transaction.
   */
  async dispense(context: RequestContext, input: DispenseInput): Promise<Dispense> {
    const fulfillment = await this.fulfillment(context, input.fulfillmentId, 'manage', ['input', 'fulfillmentId']);
    if (!DISPENSABLE.includes(fulfillment.status))
      throw new ConflictError('This fulfilment cannot be dispensed in its current status.', [], {
        status: fulfillment.status.toUpperCase(),
      });
    const prescription = await this.prescription(context, fulfillment.prescriptionId);
    if (prescription.status !== 'active') throw notDispensable(prescription.status);
    const unacknowledged = prescription.safetyFindings.filter(
      (finding) => finding.resolution?.kind === 'overridden' && !fulfillment.acknowledgments.some((ack) => ack.findingId === finding.dbId),
    );
    if (unacknowledged.length > 0)
      throw new ConflictError("Acknowledge each of the prescriber's overrides before dispensing.", [], {
        findings: unacknowledged.map((finding) => ({ id: finding.id, kind: finding.kind.toUpperCase() })),
      });
    const itemId = idOf('PrescriptionItem', input.prescriptionItemId, ['input', 'prescriptionItemId']);
    const item = prescription.items.find((candidate) => candidate.id === toGlobalId('PrescriptionItem', itemId));
    if (!item) throw new BadUserInputError([{ path: ['input', 'prescriptionItemId'], message: "must be one of the prescription's items" }]);
    const medicineId = await this.dispensedMedicine(context, item, input);
    const now = new Date();
    const today = localDateIn(now);
    try {
      const record = await context.patients.write(
        { patientId: fulfillment.patientId, resource: 'Dispense', fields: ['quantity', 'lots', 'supplyType'], action: 'create' },
        () =>
          this.dispensing.dispense({
            fulfillmentId: fulfillment.id,
            pharmacyId: fulfillment.pharmacyId,
            prescriptionId: prescription.dbId,
            prescriptionItemId: itemId,
            medicineId,
            substituted: medicineId !== item.medicineDbId,
            quantity: input.quantity,
            byUserId: context.principal!.userId,
            today: fromLocalDate(today),
            plan: (prescribed, earlier) => planSupply(prescribed, earlier, input.quantity, now, { emergency: input.emergency }),
          }),
      );
      return {
        dbId: record.id,
        patientDbId: fulfillment.patientId,
        medicineDbId: medicineId,
        id: toGlobalId('Dispense', record.id),
        supplyType: record.supplyType as SupplyType,
        supplyNumber: record.supplyNumber,
        quantity: record.quantity,
        substituted: medicineId !== item.medicineDbId,
        unitPriceXaf: record.unitPriceXaf,
        dispensedAt: record.dispensedAt,
        lots: record.lots.map((lot) => ({ batchNumber: lot.batchNumber, expiresOn: toLocalDate(lot.expiresOn)!, quantity: lot.quantity })),
        fulfillmentStatus: record.fulfillmentComplete ? FulfillmentStatus.DISPENSED : FulfillmentStatus.PARTIALLY_DISPENSED,
      };
    } catch (error) {
      if (error instanceof DispenseRefused) throw refusal(error);
      throw error;
    }
  }

  /** The medicine given: the prescribed one, or an equivalent substitute where the prescription allows it. */
  private async dispensedMedicine(context: RequestContext, item: Prescription['items'][number], input: DispenseInput): Promise<string> {
    if (!input.substituteMedicationId) return item.medicineDbId;
    const path = ['input', 'substituteMedicationId'];
    if (!item.substitutionAllowed)
      throw new BadUserInputError([{ path, message: 'the prescription does not allow substitution for this item' }]);
    const substitute = await context.loaders.medicationById.load(idOf('Medication', input.substituteMedicationId, path));
    const prescribed = await context.loaders.medicationById.load(item.medicineDbId);
    const same = (a: string[], b: string[]) => a.length === b.length && [...a].sort().every((code, index) => code === [...b].sort()[index]);
    if (!substitute || !prescribed || !substitute.active || !same(substitute.ingredients, prescribed.ingredients))
      throw new BadUserInputError([{ path, message: 'must be a generic equivalent (the same active ingredients)' }]);
    return substitute.dbId;
  }

  private async move(
    context: RequestContext,
    id: string,
    from: StoredStatus[],
    to: StoredStatus,
    reason: string | null,
  ): Promise<Fulfillment> {
    const fulfillment = await this.fulfillment(context, id, 'manage');
    const row = await context.patients.write(
      { patientId: fulfillment.patientId, resource: 'Fulfillment', fields: ['status'], action: 'update' },
      async () =>
        (await this.pharmacies.changeStatus(fulfillment.id, from, to, context.principal!.userId, reason)) ??
        wrongStatus(fulfillment.status),
    );
    return toFulfillment(row);
  }

  private async fulfillment(
    context: RequestContext,
    id: string,
    needed: 'manage' | 'read',
    path: Array<string | number> = ['id'],
  ): Promise<FulfillmentRow> {
    const [row] = await this.pharmacies.fulfillmentsByIds([idOf('Fulfillment', id, path)]);
    if (!row) throw new NotFoundError('The fulfilment');
    await pharmacyByDbId(context, row.pharmacyId, needed);
    return row;
  }

  private async prescription(context: RequestContext, dbId: string): Promise<Prescription> {
    const prescription = await context.loaders.prescriptionById.load(dbId);
    if (!prescription) throw new NotFoundError('The prescription');
    return prescription;
  }
}

function notDispensable(status: string): ConflictError {
  return new ConflictError('Only an active, unexpired, signed prescription can be dispensed.', [], { status: status.toUpperCase() });
}

function wrongStatus(status: string): never {
  throw new ConflictError('The fulfilment cannot do that in its current status.', [], { status: status.toUpperCase() });
}

function refusal(error: DispenseRefused): ConflictError {
  const refused = error.refusal;
  switch (refused.kind) {
    case 'PRESCRIPTION_NOT_DISPENSABLE':
      return notDispensable(refused.status);
    case 'NOT_STOCKED':
      return new ConflictError('This pharmacy does not stock the medicine.', [], { reason: 'NOT_STOCKED', available: 0 });
    case 'NOT_ENOUGH_STOCK':
      return new ConflictError(`Not enough stock: ${refused.available} available.`, [], {
        reason: 'NOT_ENOUGH_STOCK',
        available: refused.available,
      });
    case 'SUPPLY':
      switch (refused.reason) {
        case 'OVER_QUANTITY':
          return new ConflictError(`More than the supply allows: ${refused.remaining} may still be given.`, [], {
            reason: refused.reason,
            remaining: refused.remaining,
          });
        case 'NO_REFILLS_LEFT':
          return new ConflictError('Every refill allowed has been given.', [], {
            reason: refused.reason,
            refillsAllowed: refused.refillsAllowed,
          });
        case 'TOO_EARLY':
          return new ConflictError('Too early for a refill: the previous supply has not run out.', [], {
            reason: refused.reason,
            notBefore: refused.notBefore.toISOString(),
          });
        case 'EMERGENCY_TOO_LARGE':
          return new ConflictError(`An emergency supply is at most three days of it: ${refused.maximum} units.`, [], {
            reason: refused.reason,
            maximum: refused.maximum,
          });
      }
  }
}
