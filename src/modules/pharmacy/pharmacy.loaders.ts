// Per-request batching: pharmacies, where the caller works, lots per item, and which prescriptions
// were presented at the caller's pharmacies (for the prescription's read rule).
import DataLoader from 'dataloader';
import { byKey, groupByKey } from '../../context/batch.js';
import type { InventoryRepository, LotRow } from './inventory.repository.js';
import type { PharmaciesRepository, PharmacyRow } from './pharmacies.repository.js';

export function createPharmacyLoaders(pharmacies: PharmaciesRepository, inventory: InventoryRepository) {
  return {
    pharmacyRowById: new DataLoader<string, PharmacyRow | null>(async (ids) => byKey(ids, await pharmacies.byIds(ids), (row) => row.id)),
    pharmacyIdsOfUser: new DataLoader<string, string[]>((userIds) =>
      Promise.all(userIds.map((userId) => pharmacies.pharmacyIdsOf(userId))),
    ),
    lotsByItemId: new DataLoader<string, LotRow[]>(async (ids) => groupByKey(ids, await inventory.lotsOfItems(ids), (lot) => lot.itemId)),
    /** Prescriptions (by id) presented at one of a pharmacist's pharmacies: key `${userId}:${prescriptionId}`. */
    presentedToPharmacist: new DataLoader<string, boolean>(async (keys) => {
      const pairs = keys.map((key) => key.split(':') as [string, string]);
      const presented = await pharmacies.presentedAtPharmaciesOf(pairs);
      return keys.map((key) => presented.has(key));
    }),
  };
}
