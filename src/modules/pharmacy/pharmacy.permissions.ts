// Pharmacies are listed to anyone signed in (a patient chooses where to present a prescription);
// the queue, dispensing and stock belong to the pharmacy's pharmacists, and its clinic's admins
// read them (the services check the pharmacy: pharmacy-access.ts). Nobody else sees stock.
import { hasRole, isAuthenticated } from '../../authz/rules.js';
import { allow } from '../../authz/shield.js';
import type { ModulePermissions } from '../../platform/module.js';

const pharmacist = hasRole('pharmacist');
const pharmacyStaff = hasRole('pharmacist', 'admin');

export const pharmacyPermissions: ModulePermissions = {
  Query: {
    pharmacies: isAuthenticated,
    pharmacyQueue: pharmacyStaff,
    inventory: pharmacyStaff,
    lowStockItems: pharmacyStaff,
    expiringLots: pharmacyStaff,
    stockValue: pharmacyStaff,
    dispensingHistory: pharmacyStaff,
    reconcileStock: pharmacyStaff,
    stockMovements: pharmacyStaff,
  },
  Mutation: {
    registerPartnerPharmacy: hasRole('admin'),
    addPharmacist: hasRole('admin'),
    // The patient, or the staff of the prescription's clinic (the service decides which).
    presentPrescription: hasRole('patient', 'doctor', 'nurse', 'receptionist', 'admin'),
    acknowledgeOverride: pharmacist,
    startPreparation: pharmacist,
    markFulfillmentReady: pharmacist,
    declineFulfillment: pharmacist,
    holdFulfillment: pharmacist,
    dispense: pharmacist,
    createInventoryItem: pharmacist,
    receiveStock: pharmacist,
    adjustStock: pharmacist,
    returnStock: pharmacist,
    writeOffStock: pharmacist,
    setLotOnHold: pharmacist,
    transferStock: pharmacist,
    startStockCount: pharmacist,
    recordStockCount: pharmacist,
    closeStockCount: pharmacist,
  },
  Pharmacy: isAuthenticated,
  // Reached only through root fields whose services checked the pharmacy.
  Fulfillment: allow,
  FulfillmentConnection: allow,
  FulfillmentEdge: allow,
  OverrideAcknowledgment: allow,
  Dispense: allow,
  LotUsed: allow,
  InventoryItem: allow,
  InventoryItemConnection: allow,
  InventoryItemEdge: allow,
  StockLot: allow,
  StockMovement: allow,
  StockTransfer: allow,
  StockCount: allow,
  CountDifference: allow,
  LowStockItem: allow,
  StockValue: allow,
  DispensingHistoryRow: allow,
  LedgerDrift: allow,
};
