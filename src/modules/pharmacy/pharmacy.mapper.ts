// Rows to the graph's objects.
import type { Address } from '../../graphql/common-types.js';
import { toGlobalId } from '../../graphql/global-id.js';
import { toLocalDate } from '../../graphql/scalars.js';
import type { InventoryItem, StockLot, StockMovement } from './inventory.types.js';
import type { ItemRow, LotRow, MovementRow } from './inventory.repository.js';
import type { FulfillmentRow, PharmacyRow } from './pharmacies.repository.js';
import type { OpeningHours } from '../clinics/index.js';
import type { Fulfillment, FulfillmentStatus, Pharmacy, PharmacyKind } from './pharmacy.types.js';

export function toPharmacy(row: PharmacyRow): Pharmacy {
  const address = row.address as unknown as Address;
  return {
    dbId: row.id,
    clinicDbId: row.clinicId,
    id: toGlobalId('Pharmacy', row.id),
    kind: row.kind as PharmacyKind,
    name: row.name,
    address: {
      street: address.street ?? null,
      city: address.city,
      region: address.region ?? null,
      country: address.country,
      postalCode: address.postalCode ?? null,
    },
    phone: row.phone,
    hours: (row.hours as unknown as OpeningHours[]) ?? [],
    licence: row.licence,
  };
}

export function toFulfillment(row: FulfillmentRow): Fulfillment {
  return {
    dbId: row.id,
    pharmacyDbId: row.pharmacyId,
    prescriptionDbId: row.prescriptionId,
    patientDbId: row.patientId,
    id: toGlobalId('Fulfillment', row.id),
    status: row.status as FulfillmentStatus,
    urgent: row.urgent,
    presentedAt: row.presentedAt,
    statusReason: row.statusReason,
    acknowledgments: row.acknowledgments.map((ack) => ({ findingId: toGlobalId('SafetyFinding', ack.findingId), at: ack.acknowledgedAt })),
  };
}

export function toItem(row: ItemRow & { name?: string }, name?: string): InventoryItem {
  return {
    dbId: row.id,
    pharmacyDbId: row.pharmacyId,
    medicineDbId: row.medicineId,
    id: toGlobalId('InventoryItem', row.id),
    name: row.name ?? name ?? row.supplyName ?? '',
    unit: row.unit,
    reorderPoint: row.reorderPoint,
    maxLevel: row.maxLevel,
    sellingPriceXaf: row.sellingPriceXaf,
    active: row.active,
  };
}

export function toLot(row: LotRow, today: string): StockLot {
  const expiresOn = toLocalDate(row.expiresOn)!;
  return {
    dbId: row.id,
    itemDbId: row.itemId,
    id: toGlobalId('StockLot', row.id),
    batchNumber: row.batchNumber,
    expiresOn,
    quantityOnHand: row.quantityOnHand,
    unitCostXaf: row.unitCostXaf,
    supplier: row.supplier,
    receivedOn: toLocalDate(row.receivedOn)!,
    onHold: row.onHold,
    expired: expiresOn < today,
  };
}

export function toMovement(row: MovementRow): StockMovement {
  return {
    byDbId: row.byUserId,
    id: toGlobalId('StockMovement', row.id),
    kind: row.kind as StockMovement['kind'],
    quantity: row.quantity,
    reason: row.reason,
    transferId: row.transferId,
    at: row.at,
  };
}
