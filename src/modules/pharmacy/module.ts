// The pharmacy module: pharmacies (clinics' dispensaries and partners) and their pharmacists, the
// queue of presented prescriptions, dispensing from lots first-expiry-first-out, and stock (items,
// lots, the ledger, counts, alerts, reports). One module, because a dispense and its stock
// movements are one transaction.
import { defineModule } from '../../platform/module.js';
import { DispensingRepository } from './dispensing.repository.js';
import { DispensingService } from './dispensing.service.js';
import type { Dispense, Fulfillment } from './pharmacy.types.js';
import { InventoryRepository } from './inventory.repository.js';
import {
  DispensingHistoryResolver,
  InventoryItemResolver,
  InventoryResolver,
  LowStockItemResolver,
  StockMovementResolver,
} from './inventory.resolver.js';
import { InventoryService } from './inventory.service.js';
import { PharmaciesRepository } from './pharmacies.repository.js';
import { PharmaciesService } from './pharmacies.service.js';
import { createPharmacyLoaders } from './pharmacy.loaders.js';
import { pharmacyPermissions } from './pharmacy.permissions.js';
import { FulfillmentLinksResolver, PharmacyResolver } from './pharmacy.resolver.js';
import { stockAlertsJob } from './stock-alerts.js';

declare module '../../graphql/global-id.js' {
  interface NodeTypes {
    Pharmacy: true;
    Fulfillment: true;
    Dispense: true;
    InventoryItem: true;
    StockLot: true;
    StockMovement: true;
    StockCount: true;
  }
}

export const pharmacyModule = defineModule({
  name: 'pharmacy',
  resolvers: [
    PharmacyResolver,
    FulfillmentLinksResolver,
    InventoryResolver,
    InventoryItemResolver,
    LowStockItemResolver,
    DispensingHistoryResolver,
    StockMovementResolver,
  ],
  permissions: pharmacyPermissions,
  repositories: ({ prisma }) => ({
    pharmacyRecords: new PharmaciesRepository(prisma),
    dispensingRecords: new DispensingRepository(prisma),
    inventoryRecords: new InventoryRepository(prisma),
  }),
  services: (repositories, { notifier }) => ({
    pharmacies: new PharmaciesService(repositories.pharmacyRecords),
    dispensing: new DispensingService(repositories.pharmacyRecords, repositories.dispensingRecords),
    inventory: new InventoryService(repositories.inventoryRecords, repositories.pharmacyRecords, notifier),
  }),
  loaders: (repositories) => createPharmacyLoaders(repositories.pharmacyRecords, repositories.inventoryRecords),
  idKinds: ['Pharmacy', 'Fulfillment', 'Dispense', 'InventoryItem', 'StockLot', 'StockMovement', 'StockCount'],
  patientData: {
    Fulfillment: (fulfillment: Fulfillment) => fulfillment.patientDbId,
    Dispense: (dispense: Dispense) => dispense.patientDbId,
  },
  patientStores: { models: ['PrescriptionFulfillment', 'Dispense', 'ChargeItem', 'OverrideAcknowledgment'] },
  jobs: (services) => [stockAlertsJob(services.inventory)],
});
