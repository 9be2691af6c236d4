// Dispensing in one PostgreSQL transaction: the prescription locked first (one dispense of a
// prescription at a time: its fulfilment's status and its own are computed from every item's
// dispenses, and no two such transactions can wait on each other's locks), re-checked,
// the supply planned from what was given before (under the item's lock, so two pharmacists cannot
// both give the last refill), the lots taken first-expiry-first-out under their row locks (in one
// order, so no deadlock), the dispense, its stock movements (a trigger moves each lot's balance,
// and a CHECK refuses a negative one) and its charge item. Nothing is written unless all of it is.
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { EarlierDispense, PrescribedItem, SupplyPlan, SupplyType } from './supply-plan.js';

export interface DispenseRequest {
  fulfillmentId: string;
  pharmacyId: string;
  prescriptionId: string;
  prescriptionItemId: string;
  /** What is given: the prescribed medicine or a substitute. */
  medicineId: string;
  substituted: boolean;
  quantity: number;
  byUserId: string;
  /** The pharmacy's date: lots expiring before it are not taken. */
  today: Date;
  /** Decides the supply from the item and what was given before (under the item's lock). */
  plan: (item: PrescribedItem, earlier: EarlierDispense[]) => SupplyPlan;
}

export interface LotTaken {
  lotId: string;
  batchNumber: string;
  expiresOn: Date;
  quantity: number;
}

export interface DispenseRecord {
  id: string;
  supplyType: SupplyType;
  supplyNumber: number;
  quantity: number;
  unitPriceXaf: number;
  dispensedAt: Date;
  lots: LotTaken[];
  /** Every item now has its current supply complete (the fulfilment is dispensed). */
  fulfillmentComplete: boolean;
}

/** Why a dispense was refused, for the service to word. */
export type DispenseRefusal =
  | { kind: 'PRESCRIPTION_NOT_DISPENSABLE'; status: string }
  | { kind: 'NOT_STOCKED' }
  | { kind: 'NOT_ENOUGH_STOCK'; available: number }
  | ({ kind: 'SUPPLY' } & Extract<SupplyPlan, { ok: false }>);

export class DispenseRefused extends Error {
  constructor(readonly refusal: DispenseRefusal) {
    super(refusal.kind);
  }
}

export class DispensingRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async dispense(request: DispenseRequest): Promise<DispenseRecord> {
    return this.prisma.$transaction(async (tx) => {
      const [prescription] = await tx.$queryRaw<Array<{ status: string; valid_until: Date | null; clinic_id: string; patient_id: string }>>`
        SELECT status::text, valid_until, clinic_id, patient_id FROM prescriptions WHERE id = ${request.prescriptionId}::uuid FOR UPDATE`;
      if (!prescription || prescription.status !== 'active' || !prescription.valid_until || prescription.valid_until < request.today)
        throw new DispenseRefused({
          kind: 'PRESCRIPTION_NOT_DISPENSABLE',
          status: prescription?.status === 'active' ? 'expired' : (prescription?.status ?? 'unknown'),
        });
      const [item] = await tx.$queryRaw<Array<PrescribedItem & { medicine_name: string }>>`
        SELECT quantity, refills_allowed AS "refillsAllowed", duration_days AS "durationDays", dose_amount::float8 AS "doseAmount",
               frequency, medicine_name
        FROM prescription_items WHERE id = ${request.prescriptionItemId}::uuid AND prescription_id = ${request.prescriptionId}::uuid
        FOR UPDATE`;
      const earlier = await tx.$queryRaw<EarlierDispense[]>`
        SELECT supply_number AS "supplyNumber", quantity, dispensed_at AS "dispensedAt"
        FROM dispenses WHERE prescription_item_id = ${request.prescriptionItemId}::uuid ORDER BY dispensed_at`;
      const plan = request.plan(item, earlier);
      if (!plan.ok) throw new DispenseRefused({ kind: 'SUPPLY', ...plan });

      const [stocked] = await tx.$queryRaw<Array<{ id: string; selling_price_xaf: number }>>`
        SELECT id, selling_price_xaf FROM inventory_items
        WHERE pharmacy_id = ${request.pharmacyId}::uuid AND medicine_id = ${request.medicineId}::uuid AND active`;
      if (!stocked) throw new DispenseRefused({ kind: 'NOT_STOCKED' });
      // First expiry first out: usable lots only (not expired, not on hold), locked in that order.
      const lots = await tx.$queryRaw<Array<{ id: string; batch_number: string; expires_on: Date; quantity_on_hand: number }>>`
        SELECT id, batch_number, expires_on, quantity_on_hand FROM stock_lots
        WHERE item_id = ${stocked.id}::uuid AND NOT on_hold AND expires_on >= ${request.today}::date AND quantity_on_hand > 0
        ORDER BY expires_on, received_on, batch_number, id
        FOR UPDATE`;
      const available = lots.reduce((sum, lot) => sum + lot.quantity_on_hand, 0);
      if (available < request.quantity) throw new DispenseRefused({ kind: 'NOT_ENOUGH_STOCK', available });
      const taken: LotTaken[] = [];
      let left = request.quantity;
      for (const lot of lots) {
        if (left === 0) break;
        const quantity = Math.min(left, lot.quantity_on_hand);
        taken.push({ lotId: lot.id, batchNumber: lot.batch_number, expiresOn: lot.expires_on, quantity });
        left -= quantity;
      }

      const dispense = await tx.dispense.create({
        data: {
          fulfillmentId: request.fulfillmentId,
          prescriptionItemId: request.prescriptionItemId,
          pharmacyId: request.pharmacyId,
          patientId: prescription.patient_id,
          medicineId: request.medicineId,
          substituted: request.substituted,
          quantity: request.quantity,
          supplyType: plan.supplyType,
          supplyNumber: plan.supplyNumber,
          unitPriceXaf: stocked.selling_price_xaf,
          dispensedBy: request.byUserId,
        },
      });
      await tx.stockMovement.createMany({
        data: taken.map((lot) => ({
          lotId: lot.lotId,
          kind: 'dispense' as const,
          quantity: -lot.quantity,
          dispenseId: dispense.id,
          byUserId: request.byUserId,
        })),
      });
      await tx.chargeItem.create({
        data: {
          patientId: prescription.patient_id,
          clinicId: prescription.clinic_id,
          source: 'dispense',
          dispenseId: dispense.id,
          description: item.medicine_name,
          quantity: request.quantity,
          unitPriceXaf: stocked.selling_price_xaf,
          totalXaf: request.quantity * stocked.selling_price_xaf,
        },
      });

      // The fulfilment: dispensed once every item's current supply is complete, else partially.
      const [{ incomplete }] = await tx.$queryRaw<Array<{ incomplete: number }>>`
        SELECT count(*)::int AS incomplete FROM prescription_items i
        WHERE i.prescription_id = ${request.prescriptionId}::uuid
          AND i.quantity > coalesce((
            SELECT sum(d.quantity) FROM dispenses d
            WHERE d.prescription_item_id = i.id
              AND d.supply_number = (SELECT max(e.supply_number) FROM dispenses e WHERE e.prescription_item_id = i.id)), 0)`;
      await tx.prescriptionFulfillment.update({
        where: { id: request.fulfillmentId },
        data: {
          status: incomplete === 0 ? 'dispensed' : 'partially_dispensed',
          statusChangedAt: new Date(),
          statusChangedBy: request.byUserId,
        },
      });
      // Every supply of every item given: the prescription is completed (its own status moves on).
      const [{ remaining }] = await tx.$queryRaw<Array<{ remaining: number }>>`
        SELECT count(*)::int AS remaining FROM prescription_items i
        WHERE i.prescription_id = ${request.prescriptionId}::uuid
          AND i.quantity * (1 + i.refills_allowed) > coalesce((SELECT sum(d.quantity) FROM dispenses d WHERE d.prescription_item_id = i.id), 0)`;
      if (remaining === 0)
        await tx.$executeRaw`UPDATE prescriptions SET status = 'completed', status_changed_at = now(), status_changed_by = ${request.byUserId}::uuid, updated_at = now()
          WHERE id = ${request.prescriptionId}::uuid AND status = 'active'`;

      return {
        id: dispense.id,
        supplyType: plan.supplyType,
        supplyNumber: plan.supplyNumber,
        quantity: request.quantity,
        unitPriceXaf: stocked.selling_price_xaf,
        dispensedAt: dispense.dispensedAt,
        lots: taken,
        fulfillmentComplete: incomplete === 0,
      };
    });
  }
}
