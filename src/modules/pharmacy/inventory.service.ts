// Managing a pharmacy's stock (its pharmacists) and reading it (they and their clinic's admins):
// items, receipts, adjustments, returns, write-offs, transfers, counts, the reconciliation, alerts
// and reports. Every movement names who made it; the ledger is PostgreSQL's to keep straight.
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../context/context.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../../errors/errors.js';
import { cursorShape, decodeCursor, encodeCursor, part, toPage, type Page } from '../../graphql/connection.js';
import { reasonText } from '../../graphql/validation.js';
import { idOf, toGlobalId } from '../../graphql/global-id.js';
import { fromLocalDate, localDateIn } from '../../graphql/scalars.js';
import type { Notifier } from '../../platform/notifier.js';
import { MovementRefused, type InventoryRepository, type LotRow } from './inventory.repository.js';
import type {
  DispensingHistoryRow,
  InventoryItem,
  InventoryItemInput,
  LedgerDrift,
  LowStockItem,
  ReceiptInput,
  StockCount,
  StockLot,
  StockMovement,
  StockValue,
  WriteOffReason,
} from './inventory.types.js';
import type { PharmaciesRepository } from './pharmacies.repository.js';
import { pharmacyByDbId, pharmacyFor } from './pharmacy-access.js';
import { toItem, toLot, toMovement } from './pharmacy.mapper.js';

const ITEM_CURSOR = cursorShape(part.literal('item'), part.text, part.uuid);
const DAY_MS = 86_400_000;

export interface StockAlertSettings {
  /** Lots expiring within this many days are reported (default 90). */
  expiringWithinDays: number;
}

export class InventoryService {
  constructor(
    private readonly inventory: InventoryRepository,
    private readonly pharmacies: PharmaciesRepository,
    private readonly notifier: Notifier,
    private readonly settings: StockAlertSettings = { expiringWithinDays: 90 },
  ) {}

  async createItem(context: RequestContext, input: InventoryItemInput): Promise<InventoryItem> {
    const pharmacy = await pharmacyFor(context, input.pharmacyId, 'manage', ['input', 'pharmacyId']);
    const medicineId = input.medicationId ? idOf('Medication', input.medicationId, ['input', 'medicationId']) : null;
    if ((medicineId === null) === !input.supplyName)
      throw new BadUserInputError([{ path: ['input', 'medicationId'], message: 'give a medication or a supply name, not both' }]);
    if (input.maxLevel < input.reorderPoint)
      throw new BadUserInputError([{ path: ['input', 'maxLevel'], message: 'must be at least the reorder point' }]);
    const medicine = medicineId ? await context.loaders.medicationById.load(medicineId) : null;
    if (medicineId && !medicine)
      throw new BadUserInputError([{ path: ['input', 'medicationId'], message: 'is not a medicine of the catalogue' }]);
    try {
      const row = await this.inventory.createItem({
        pharmacyId: pharmacy.id,
        medicineId,
        supplyName: input.supplyName?.trim() ?? null,
        unit: input.unit.trim(),
        reorderPoint: input.reorderPoint,
        maxLevel: input.maxLevel,
        sellingPriceXaf: input.sellingPriceXaf,
      });
      return toItem(row, medicine?.genericName);
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') throw new ConflictError('This pharmacy stocks that item already.');
      throw error;
    }
  }

  async items(context: RequestContext, pharmacyId: string, first: number, after?: string | null): Promise<Page<InventoryItem>> {
    const pharmacy = await pharmacyFor(context, pharmacyId, 'read');
    const cursor = after ? decodeCursor(after, ITEM_CURSOR) : undefined;
    const rows = await this.inventory.itemsPage(pharmacy.id, first + 1, cursor ? { name: cursor[1], id: cursor[2] } : undefined);
    return toPage(
      rows,
      first,
      cursor !== undefined,
      (row) => encodeCursor(['item', row.name, row.id]),
      (row) => toItem(row),
      () => this.inventory.countItems(pharmacy.id),
    );
  }

  /** An item already reached through a checked root field (a low-stock line). */
  async itemByDbId(id: string): Promise<InventoryItem | null> {
    const [row] = await this.inventory.namedItems([id]);
    return row ? toItem(row) : null;
  }

  async lotsOf(context: RequestContext, item: InventoryItem): Promise<StockLot[]> {
    const today = localDateIn(new Date());
    return (await context.loaders.lotsByItemId.load(item.dbId)).map((lot) => toLot(lot, today));
  }

  async receive(context: RequestContext, input: ReceiptInput): Promise<StockLot> {
    const item = await this.item(context, input.itemId, ['input', 'itemId']);
    const today = localDateIn(new Date());
    if (input.expiresOn < today)
      throw new BadUserInputError([{ path: ['input', 'expiresOn'], message: 'must not be in the past: expired stock is not received' }]);
    const lot = await this.inventory.receive({
      itemId: item.id,
      batchNumber: input.batchNumber.trim(),
      expiresOn: fromLocalDate(input.expiresOn),
      quantity: input.quantity,
      unitCostXaf: input.unitCostXaf,
      supplier: input.supplier?.trim() || null,
      receivedOn: fromLocalDate(today),
      byUserId: context.principal!.userId,
    });
    return toLot(lot, today);
  }

  /** A correction of a lot's balance (found broken, miscounted...), with a reason. */
  adjust(context: RequestContext, lotId: string, quantity: number, reason: string): Promise<StockLot> {
    if (quantity === 0) throw new BadUserInputError([{ path: ['quantity'], message: 'must not be 0' }]);
    return this.move(context, lotId, 'adjustment', quantity, reasonText(reason));
  }

  /** Units given back to the pharmacy (a patient's unopened return). */
  returnStock(context: RequestContext, lotId: string, quantity: number, reason: string): Promise<StockLot> {
    if (quantity <= 0) throw new BadUserInputError([{ path: ['quantity'], message: 'must be positive' }]);
    return this.move(context, lotId, 'return', quantity, reasonText(reason));
  }

  /** Takes units out as a loss: expired, damaged or recalled (an expired lot leaves stock only this way). */
  writeOff(context: RequestContext, lotId: string, quantity: number, reason: WriteOffReason, note?: string | null): Promise<StockLot> {
    if (quantity <= 0) throw new BadUserInputError([{ path: ['quantity'], message: 'must be positive' }]);
    return this.move(context, lotId, 'write_off', -quantity, note?.trim() ? `${reason}: ${note.trim()}` : reason);
  }

  async setLotOnHold(context: RequestContext, lotId: string, onHold: boolean): Promise<StockLot> {
    const lot = await this.lot(context, lotId);
    return toLot(await this.inventory.setOnHold(lot.id, onHold), localDateIn(new Date()));
  }

  /** Moves units of a lot to another pharmacy's item (the same medicine), both sides linked. */
  async transfer(
    context: RequestContext,
    lotId: string,
    toItemId: string,
    quantity: number,
  ): Promise<{ from: StockLot; to: StockLot; transferId: string }> {
    if (quantity <= 0) throw new BadUserInputError([{ path: ['quantity'], message: 'must be positive' }]);
    const lot = await this.lot(context, lotId);
    const [source] = await this.inventory.itemsByIds([lot.itemId]);
    const [target] = await this.inventory.itemsByIds([idOf('InventoryItem', toItemId, ['toItemId'])]);
    if (!target || target.id === source.id || target.medicineId !== source.medicineId || target.supplyName !== source.supplyName)
      throw new BadUserInputError([{ path: ['toItemId'], message: "must be the same medicine's item at another pharmacy" }]);
    // The receiving side is managed by its own pharmacists; the sender must manage the source.
    const transferId = randomUUID();
    try {
      const moved = await this.inventory.transfer(lot.id, target.id, quantity, context.principal!.userId, transferId);
      const today = localDateIn(new Date());
      return { from: toLot(moved.from, today), to: toLot(moved.to, today), transferId };
    } catch (error) {
      throw movementRefusal(error);
    }
  }

  async movements(context: RequestContext, lotId: string, first: number): Promise<StockMovement[]> {
    const lot = await this.lot(context, lotId, 'read');
    return (await this.inventory.movements(lot.id, first)).map(toMovement);
  }

  async startCount(context: RequestContext, pharmacyId: string): Promise<StockCount> {
    const pharmacy = await pharmacyFor(context, pharmacyId, 'manage');
    const count = await this.inventory.startCount(pharmacy.id, context.principal!.userId);
    return { dbId: count.id, id: toGlobalId('StockCount', count.id), startedAt: count.startedAt, closedAt: null, differences: [] };
  }

  async recordCount(context: RequestContext, countId: string, lotId: string, counted: number): Promise<StockCount> {
    if (counted < 0) throw new BadUserInputError([{ path: ['counted'], message: 'must be 0 or more' }]);
    const count = await this.count(context, countId);
    if (count.closedAt) throw new ConflictError('The count is closed already.');
    const lot = await this.lot(context, lotId);
    if (!(await this.inventory.recordCount(count.id, lot.id, counted))) throw new ConflictError('The count is closed already.');
    return { dbId: count.id, id: toGlobalId('StockCount', count.id), startedAt: count.startedAt, closedAt: null, differences: [] };
  }

  /** Closes a count: each difference between what was counted and the balance becomes an adjustment. */
  async closeCount(context: RequestContext, countId: string): Promise<StockCount> {
    const count = await this.count(context, countId);
    try {
      const differences = await this.inventory.closeCount(count.id, context.principal!.userId);
      if (!differences) throw new ConflictError('The count is closed already.');
      return {
        dbId: count.id,
        id: toGlobalId('StockCount', count.id),
        startedAt: count.startedAt,
        closedAt: new Date(),
        differences: differences.map((line) => ({ lotId: toGlobalId('StockLot', line.lotId), difference: line.difference })),
      };
    } catch (error) {
      throw movementRefusal(error);
    }
  }

  /** Lots whose balance differs from the sum of their movements: always none. */
  async reconcile(context: RequestContext, pharmacyId: string): Promise<LedgerDrift[]> {
    const pharmacy = await pharmacyFor(context, pharmacyId, 'read');
    return this.inventory.reconcile(pharmacy.id);
  }

  async lowStock(context: RequestContext, pharmacyId: string): Promise<LowStockItem[]> {
    const pharmacy = await pharmacyFor(context, pharmacyId, 'read');
    const rows = await this.inventory.lowStock(pharmacy.id, fromLocalDate(localDateIn(new Date())));
    return rows.map((row) => ({ itemDbId: row.itemId, onHand: row.onHand, reorderPoint: row.reorderPoint }));
  }

  async expiring(context: RequestContext, pharmacyId: string, withinDays?: number | null): Promise<StockLot[]> {
    const pharmacy = await pharmacyFor(context, pharmacyId, 'read');
    const today = localDateIn(new Date());
    const until = new Date(fromLocalDate(today).getTime() + (withinDays ?? this.settings.expiringWithinDays) * DAY_MS);
    return (await this.inventory.expiring(pharmacy.id, until)).map((lot) => toLot(lot, today));
  }

  async stockValue(context: RequestContext, pharmacyId: string): Promise<StockValue> {
    const pharmacy = await pharmacyFor(context, pharmacyId, 'read');
    return this.inventory.stockValue(pharmacy.id);
  }

  async dispensingHistory(context: RequestContext, pharmacyId: string, from: string, to: string): Promise<DispensingHistoryRow[]> {
    const pharmacy = await pharmacyFor(context, pharmacyId, 'read');
    if (to < from) throw new BadUserInputError([{ path: ['to'], message: 'must not be before from' }]);
    const rows = await this.inventory.dispensingHistory(pharmacy.id, fromLocalDate(from), new Date(fromLocalDate(to).getTime() + DAY_MS));
    return rows.map((row) => ({ medicineDbId: row.medicineId, dispenses: row.dispenses, units: row.units, revenueXaf: row.revenueXaf }));
  }

  /**
   * Raises the alerts of every pharmacy (the job): low stock and lots expiring soon, each once per
   * condition until it clears, to the pharmacy's pharmacists and its clinic's admins. How many it sent.
   */
  async sendAlerts(now = new Date()): Promise<number> {
    const today = fromLocalDate(localDateIn(now));
    const until = new Date(today.getTime() + this.settings.expiringWithinDays * DAY_MS);
    let sent = 0;
    const failed: unknown[] = [];
    for (const pharmacyId of await this.pharmacies.activePharmacyIds()) {
      const low = await this.inventory.lowStock(pharmacyId, today);
      const expiring = await this.inventory.expiring(pharmacyId, until);
      await this.inventory.syncAlerts(
        pharmacyId,
        'low_stock',
        low.map((row) => row.itemId),
      );
      await this.inventory.syncAlerts(
        pharmacyId,
        'expiring',
        expiring.map((lot) => lot.id),
      );
      // Each recipient told once per condition: claimed before sending, given back if the message does not go.
      for (const recipient of await this.pharmacies.recipients(pharmacyId)) {
        const claimed = await this.inventory.claimUntold(pharmacyId, recipient.email);
        if (claimed.length === 0) continue;
        const counts = {
          lowStock: String(claimed.filter((alert) => alert.kind === 'low_stock').length),
          expiring: String(claimed.filter((alert) => alert.kind === 'expiring').length),
        };
        try {
          await this.notifier.send({ channel: 'email', to: recipient.email, template: 'stock-alert', data: { pharmacyId, ...counts } });
          sent++;
        } catch (error) {
          await this.inventory.unclaim(
            recipient.email,
            claimed.map((alert) => alert.id),
          );
          failed.push(error);
        }
      }
    }
    // The others were told; the job fails (and is retried) for those who were not.
    if (failed.length > 0) throw new AggregateError(failed, `${failed.length} stock alert messages not sent`);
    return sent;
  }

  private async move(
    context: RequestContext,
    lotId: string,
    kind: 'adjustment' | 'return' | 'write_off',
    quantity: number,
    reason: string,
  ): Promise<StockLot> {
    const lot = await this.lot(context, lotId);
    try {
      return toLot(await this.inventory.move(lot.id, kind, quantity, reason, context.principal!.userId), localDateIn(new Date()));
    } catch (error) {
      throw movementRefusal(error);
    }
  }

  private async item(context: RequestContext, itemId: string, path: Array<string | number>) {
    const [item] = await this.inventory.itemsByIds([idOf('InventoryItem', itemId, path)]);
    if (!item) throw new NotFoundError('The item');
    await pharmacyByDbId(context, item.pharmacyId, 'manage');
    return item;
  }

  private async lot(context: RequestContext, lotId: string, needed: 'manage' | 'read' = 'manage'): Promise<LotRow> {
    const [lot] = await this.inventory.lotsByIds([idOf('StockLot', lotId, ['lotId'])]);
    if (!lot) throw new NotFoundError('The lot');
    const [item] = await this.inventory.itemsByIds([lot.itemId]);
    await pharmacyByDbId(context, item.pharmacyId, needed);
    return lot;
  }

  private async count(context: RequestContext, countId: string) {
    const count = await this.inventory.countById(idOf('StockCount', countId, ['countId']));
    if (!count) throw new NotFoundError('The count');
    await pharmacyByDbId(context, count.pharmacyId, 'manage');
    return count;
  }
}

function movementRefusal(error: unknown): unknown {
  if (!(error instanceof MovementRefused)) return error;
  return error.reason === 'NEGATIVE_STOCK'
    ? new ConflictError('Not enough stock in the lot: its balance cannot go below zero.', [], { reason: 'NOT_ENOUGH_STOCK' })
    : new ConflictError('An expired lot leaves stock only by write-off.', [], { reason: 'EXPIRED_LOT' });
}
