// Demo stock for development: the first clinic's dispensary stocks the medicines the demo
// prescriptions use, in several lots (one expiring soon, one expired awaiting write-off), received
// through the ledger like any stock; the demo patient's signed prescription waits in its queue.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { InventoryRepository } from './inventory.repository.js';
import { PharmaciesRepository } from './pharmacies.repository.js';
import { fromLocalDate, localDateIn } from '../../graphql/scalars.js';

const DAY_MS = 86_400_000;
const STOCK: Array<{ code: string; unit: string; price: number; lots: Array<{ days: number; quantity: number; cost: number }> }> = [
  {
    code: 'paracetamol',
    unit: 'tablet',
    price: 25,
    lots: [
      { days: 40, quantity: 60, cost: 10 },
      { days: 400, quantity: 500, cost: 9 },
    ],
  },
  {
    code: 'amoxicillin',
    unit: 'capsule',
    price: 75,
    lots: [
      { days: -5, quantity: 20, cost: 40 },
      { days: 300, quantity: 200, cost: 38 },
    ],
  },
  {
    code: 'metformin',
    unit: 'tablet',
    price: 40,
    lots: [
      { days: 60, quantity: 90, cost: 20 },
      { days: 500, quantity: 600, cost: 18 },
    ],
  },
  { code: 'artemether-lumefantrine', unit: 'tablet', price: 150, lots: [{ days: 200, quantity: 240, cost: 90 }] },
  { code: 'ibuprofen', unit: 'tablet', price: 30, lots: [{ days: 250, quantity: 15, cost: 12 }] },
  { code: 'warfarin', unit: 'tablet', price: 60, lots: [{ days: 365, quantity: 120, cost: 30 }] },
];

/** Stocks the dispensary of `clinicId` unless it has items already, and queues `prescriptionId` there; what it wrote. */
export async function seedDemoPharmacy(
  prisma: PrismaClient,
  demo: {
    clinicId: string;
    pharmacistId: string;
    prescriptionId: string | null;
    patientId: string | null;
    /** The catalogue's medicines by code. */
    medicines: Array<{ id: string; code: string }>;
  },
): Promise<Record<string, number>> {
  const pharmacies = new PharmaciesRepository(prisma);
  const inventory = new InventoryRepository(prisma);
  const [dispensary] = (await pharmacies.ofClinics([demo.clinicId])).filter((pharmacy) => pharmacy.kind === 'dispensary');
  if (!dispensary || (await inventory.itemsPage(dispensary.id, 1)).length > 0) return {};
  const today = fromLocalDate(localDateIn(new Date()));
  let lots = 0;
  const { medicines } = demo;
  for (const entry of STOCK) {
    const medicine = medicines.find((candidate) => candidate.code === entry.code);
    if (!medicine) continue;
    const item = await inventory.createItem({
      pharmacyId: dispensary.id,
      medicineId: medicine.id,
      supplyName: null,
      unit: entry.unit,
      reorderPoint: 30,
      maxLevel: 1000,
      sellingPriceXaf: entry.price,
    });
    for (const [index, lot] of entry.lots.entries()) {
      const expiresOn = new Date(today.getTime() + lot.days * DAY_MS);
      await inventory.receive({
        itemId: item.id,
        batchNumber: `${entry.code.slice(0, 3).toUpperCase()}-${2026 + index}-${String(lot.days).replace('-', 'X')}`,
        expiresOn,
        quantity: lot.quantity,
        unitCostXaf: lot.cost,
        supplier: 'CENAME',
        receivedOn: new Date(today.getTime() - 30 * DAY_MS),
        byUserId: demo.pharmacistId,
      });
      lots++;
    }
  }
  let queued = 0;
  if (demo.prescriptionId && demo.patientId) {
    await pharmacies.present({
      prescriptionId: demo.prescriptionId,
      pharmacyId: dispensary.id,
      patientId: demo.patientId,
      urgent: false,
      presentedBy: demo.patientId,
    });
    queued = 1;
  }
  return { pharmacyItems: STOCK.length, lots, queued };
}
