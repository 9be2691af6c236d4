// Stock in PostgreSQL: items, lots, and the append-only ledger of movements whose insert moves the
// lot's balance (trigger; a CHECK keeps it at zero or above, and a lot's balance cannot be set any
// other way). Transfers, counts and write-offs are movements too, each in one transaction.
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';

export type ItemRow = Prisma.InventoryItemGetPayload<object>;
export type LotRow = Prisma.StockLotGetPayload<object>;
export type MovementRow = Prisma.StockMovementGetPayload<object>;
export type MovementKind = MovementRow['kind'];

export interface NewItem {
  pharmacyId: string;
  medicineId: string | null;
  supplyName: string | null;
  unit: string;
  reorderPoint: number;
  maxLevel: number;
  sellingPriceXaf: number;
}

export interface Receipt {
  itemId: string;
  batchNumber: string;
  expiresOn: Date;
  quantity: number;
  unitCostXaf: number;
  supplier: string | null;
  receivedOn: Date;
  byUserId: string;
}

/** A lot whose balance does not equal the sum of its movements (reconciliation finds none). */
export interface Drift {
  lotId: string;
  onHand: number;
  ledger: number;
}

/** The database refused a movement: the balance would go below zero, or an expired lot would leave otherwise than by write-off. */
export class MovementRefused extends Error {
  constructor(readonly reason: 'NEGATIVE_STOCK' | 'EXPIRED_LOT') {
    super(reason);
  }
}

function movementError(error: unknown): unknown {
  const text = `${(error as Error)?.message ?? ''} ${JSON.stringify((error as { meta?: unknown })?.meta ?? {})}`;
  if (/stock_lots_never_negative/.test(text)) return new MovementRefused('NEGATIVE_STOCK');
  if (/ST002|leaves stock only by write-off/.test(text)) return new MovementRefused('EXPIRED_LOT');
  return error;
}

export class InventoryRepository {
  constructor(private readonly prisma: PrismaClient) {}

  createItem(item: NewItem): Promise<ItemRow> {
    return this.prisma.inventoryItem.create({ data: item });
  }

  itemsByIds(ids: readonly string[]): Promise<ItemRow[]> {
    return this.prisma.inventoryItem.findMany({ where: { id: { in: [...ids] } } });
  }

  /** Items with their names (the medicine's generic name, or the supply's). */
  namedItems(ids: readonly string[]): Promise<Array<ItemRow & { name: string }>> {
    return this.prisma.$queryRaw`
      SELECT i.id, i.pharmacy_id AS "pharmacyId", i.medicine_id AS "medicineId", i.supply_name AS "supplyName", i.unit,
             i.reorder_point AS "reorderPoint", i.max_level AS "maxLevel", i.selling_price_xaf AS "sellingPriceXaf", i.active,
             i.created_at AS "createdAt", coalesce(m.generic_name, i.supply_name) AS name
      FROM inventory_items i LEFT JOIN medicines m ON m.id = i.medicine_id
      WHERE i.id = ANY (${[...ids]}::uuid[])`;
  }

  lotsByIds(ids: readonly string[]): Promise<LotRow[]> {
    return this.prisma.stockLot.findMany({ where: { id: { in: [...ids] } } });
  }

  lotsOfItems(itemIds: readonly string[]): Promise<LotRow[]> {
    return this.prisma.stockLot.findMany({
      where: { itemId: { in: [...itemIds] } },
      orderBy: [{ expiresOn: 'asc' }, { batchNumber: 'asc' }],
    });
  }

  /** A pharmacy's items, by name (medicine's generic name or the supply's), a page at a time. */
  itemsPage(pharmacyId: string, take: number, after?: { name: string; id: string }): Promise<Array<ItemRow & { name: string }>> {
    return this.prisma.$queryRaw`
      SELECT i.id, i.pharmacy_id AS "pharmacyId", i.medicine_id AS "medicineId", i.supply_name AS "supplyName", i.unit,
             i.reorder_point AS "reorderPoint", i.max_level AS "maxLevel", i.selling_price_xaf AS "sellingPriceXaf", i.active,
             i.created_at AS "createdAt", coalesce(m.generic_name, i.supply_name) AS name
      FROM inventory_items i LEFT JOIN medicines m ON m.id = i.medicine_id
      WHERE i.pharmacy_id = ${pharmacyId}::uuid
        ${after ? Prisma.sql`AND (coalesce(m.generic_name, i.supply_name), i.id) > (${after.name}, ${after.id}::uuid)` : Prisma.empty}
      ORDER BY coalesce(m.generic_name, i.supply_name), i.id
      LIMIT ${take}`;
  }

  countItems(pharmacyId: string): Promise<number> {
    return this.prisma.inventoryItem.count({ where: { pharmacyId } });
  }

  /** Receives a lot (a new batch, or more of one already held) with its receipt movement. */
  async receive(receipt: Receipt): Promise<LotRow> {
    return this.prisma.$transaction(async (tx) => {
      const lot = await tx.stockLot.upsert({
        where: { itemId_batchNumber: { itemId: receipt.itemId, batchNumber: receipt.batchNumber } },
        create: {
          itemId: receipt.itemId,
          batchNumber: receipt.batchNumber,
          expiresOn: receipt.expiresOn,
          unitCostXaf: receipt.unitCostXaf,
          supplier: receipt.supplier,
          receivedOn: receipt.receivedOn,
        },
        update: {},
      });
      await tx.stockMovement.create({ data: { lotId: lot.id, kind: 'receipt', quantity: receipt.quantity, byUserId: receipt.byUserId } });
      return tx.stockLot.findUniqueOrThrow({ where: { id: lot.id } });
    });
  }

  /** One movement on a lot (an adjustment, a return, a write-off), refused by the database when it would break the rules. */
  async move(
    lotId: string,
    kind: 'adjustment' | 'return' | 'write_off',
    quantity: number,
    reason: string | null,
    byUserId: string,
  ): Promise<LotRow> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        await tx.stockMovement.create({ data: { lotId, kind, quantity, reason, byUserId } });
        return tx.stockLot.findUniqueOrThrow({ where: { id: lotId } });
      });
    } catch (error) {
      throw movementError(error);
    }
  }

  /**
   * Moves `quantity` of a lot to another pharmacy's item: out of the lot, into a lot of the same
   * batch and expiry there (made if needed), both movements linked by one transfer id.
   */
  async transfer(
    lotId: string,
    toItemId: string,
    quantity: number,
    byUserId: string,
    transferId: string,
  ): Promise<{ from: LotRow; to: LotRow }> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const source = await tx.stockLot.findUniqueOrThrow({ where: { id: lotId } });
        const target = await tx.stockLot.upsert({
          where: { itemId_batchNumber: { itemId: toItemId, batchNumber: source.batchNumber } },
          create: {
            itemId: toItemId,
            batchNumber: source.batchNumber,
            expiresOn: source.expiresOn,
            unitCostXaf: source.unitCostXaf,
            supplier: source.supplier,
            receivedOn: new Date(),
          },
          update: {},
        });
        await tx.stockMovement.create({ data: { lotId, kind: 'transfer_out', quantity: -quantity, transferId, byUserId } });
        await tx.stockMovement.create({ data: { lotId: target.id, kind: 'transfer_in', quantity, transferId, byUserId } });
        return {
          from: await tx.stockLot.findUniqueOrThrow({ where: { id: lotId } }),
          to: await tx.stockLot.findUniqueOrThrow({ where: { id: target.id } }),
        };
      });
    } catch (error) {
      throw movementError(error);
    }
  }

  setOnHold(lotId: string, onHold: boolean): Promise<LotRow> {
    return this.prisma.stockLot.update({ where: { id: lotId }, data: { onHold } });
  }

  /** A lot's movements, newest first. */
  movements(lotId: string, take: number): Promise<MovementRow[]> {
    return this.prisma.stockMovement.findMany({ where: { lotId }, orderBy: { seq: 'desc' }, take });
  }

  startCount(pharmacyId: string, byUserId: string) {
    return this.prisma.stockCount.create({ data: { pharmacyId, startedBy: byUserId } });
  }

  countById(id: string) {
    return this.prisma.stockCount.findUnique({ where: { id }, include: { lines: true } });
  }

  /** Records a counted quantity for a lot (again: replaced), with the balance at that moment; null when the count is closed. */
  async recordCount(countId: string, lotId: string, counted: number) {
    return this.prisma.$transaction(async (tx) => {
      // The count's row locked: a close waits for this line, or this line sees it closed.
      const [open] = await tx.$queryRaw<
        Array<{ id: string }>
      >`SELECT id FROM stock_counts WHERE id = ${countId}::uuid AND closed_at IS NULL FOR UPDATE`;
      if (!open) return null;
      const lot = await tx.stockLot.findUniqueOrThrow({ where: { id: lotId } });
      return tx.stockCountLine.upsert({
        where: { countId_lotId: { countId, lotId } },
        create: { countId, lotId, counted, expected: lot.quantityOnHand },
        update: { counted, expected: lot.quantityOnHand },
      });
    });
  }

  /**
   * Closes a count: each line's difference between what was counted and the balance when it was
   * counted becomes an adjustment (what moved since, dispenses say, stays as it moved); null when
   * closed already.
   */
  async closeCount(countId: string, byUserId: string): Promise<Array<{ lotId: string; difference: number }> | null> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const closed = await tx.stockCount.updateMany({ where: { id: countId, closedAt: null }, data: { closedAt: new Date() } });
        if (closed.count === 0) return null;
        const lines = await tx.stockCountLine.findMany({ where: { countId }, orderBy: { lotId: 'asc' } });
        const differences: Array<{ lotId: string; difference: number }> = [];
        for (const line of lines) {
          const difference = line.counted - line.expected;
          if (difference === 0) continue;
          await tx.stockMovement.create({
            data: { lotId: line.lotId, kind: 'adjustment', quantity: difference, reason: 'stock count', countId, byUserId },
          });
          differences.push({ lotId: line.lotId, difference });
        }
        return differences;
      });
    } catch (error) {
      throw movementError(error);
    }
  }

  /** Every lot (of one pharmacy, or all) whose balance differs from the sum of its movements: none, always. */
  reconcile(pharmacyId?: string): Promise<Drift[]> {
    return this.prisma.$queryRaw<Drift[]>`
      SELECT l.id AS "lotId", l.quantity_on_hand AS "onHand", coalesce(sum(m.quantity), 0)::int AS ledger
      FROM stock_lots l JOIN inventory_items i ON i.id = l.item_id LEFT JOIN stock_movements m ON m.lot_id = l.id
      ${pharmacyId ? Prisma.sql`WHERE i.pharmacy_id = ${pharmacyId}::uuid` : Prisma.empty}
      GROUP BY l.id HAVING l.quantity_on_hand <> coalesce(sum(m.quantity), 0)`;
  }

  /** Items at or below their reorder point (usable stock: lots not expired, not on hold). */
  lowStock(
    pharmacyId: string | null,
    today: Date,
  ): Promise<Array<{ itemId: string; pharmacyId: string; onHand: number; reorderPoint: number }>> {
    return this.prisma.$queryRaw`
      SELECT i.id AS "itemId", i.pharmacy_id AS "pharmacyId", i.reorder_point AS "reorderPoint",
             coalesce(sum(l.quantity_on_hand) FILTER (WHERE NOT l.on_hold AND l.expires_on >= ${today}::date), 0)::int AS "onHand"
      FROM inventory_items i LEFT JOIN stock_lots l ON l.item_id = i.id
      WHERE i.active ${pharmacyId ? Prisma.sql`AND i.pharmacy_id = ${pharmacyId}::uuid` : Prisma.empty}
      GROUP BY i.id
      HAVING coalesce(sum(l.quantity_on_hand) FILTER (WHERE NOT l.on_hold AND l.expires_on >= ${today}::date), 0) <= i.reorder_point
      ORDER BY i.id`;
  }

  /** Lots with stock that expire by `until` (expired ones included), earliest first. */
  expiring(pharmacyId: string | null, until: Date): Promise<Array<LotRow & { pharmacyId: string }>> {
    return this.prisma.$queryRaw`
      SELECT l.id, l.item_id AS "itemId", l.batch_number AS "batchNumber", l.expires_on AS "expiresOn",
             l.quantity_on_hand AS "quantityOnHand", l.unit_cost_xaf AS "unitCostXaf", l.supplier, l.received_on AS "receivedOn",
             l.on_hold AS "onHold", i.pharmacy_id AS "pharmacyId"
      FROM stock_lots l JOIN inventory_items i ON i.id = l.item_id
      WHERE l.quantity_on_hand > 0 AND l.expires_on <= ${until}::date
        ${pharmacyId ? Prisma.sql`AND i.pharmacy_id = ${pharmacyId}::uuid` : Prisma.empty}
      ORDER BY l.expires_on, l.batch_number`;
  }

  /** What a pharmacy's stock is worth at cost (XAF). */
  async stockValue(pharmacyId: string): Promise<{ valueXaf: number; units: number }> {
    const [row] = await this.prisma.$queryRaw<Array<{ value: bigint | null; units: bigint | null }>>`
      SELECT sum(l.quantity_on_hand::bigint * l.unit_cost_xaf) AS value, sum(l.quantity_on_hand) AS units
      FROM stock_lots l JOIN inventory_items i ON i.id = l.item_id WHERE i.pharmacy_id = ${pharmacyId}::uuid`;
    return { valueXaf: Number(row?.value ?? 0), units: Number(row?.units ?? 0) };
  }

  /** Dispensed units and revenue per medicine over a period. */
  dispensingHistory(
    pharmacyId: string,
    from: Date,
    to: Date,
  ): Promise<Array<{ medicineId: string; dispenses: number; units: number; revenueXaf: number }>> {
    return this.prisma.$queryRaw`
      SELECT d.medicine_id AS "medicineId", count(*)::int AS dispenses, sum(d.quantity)::int AS units,
             sum(d.quantity::bigint * d.unit_price_xaf)::float8 AS "revenueXaf"
      FROM dispenses d WHERE d.pharmacy_id = ${pharmacyId}::uuid AND d.dispensed_at >= ${from} AND d.dispensed_at < ${to}
      GROUP BY d.medicine_id ORDER BY units DESC`;
  }

  /** Opens the alerts of conditions not yet open and clears those gone (one open alert per condition: a unique index). */
  async syncAlerts(pharmacyId: string, kind: 'low_stock' | 'expiring', subjects: readonly string[]): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.stockAlert.updateMany({
        where: { pharmacyId, kind, clearedAt: null, subjectId: { notIn: [...subjects] } },
        data: { clearedAt: new Date() },
      });
      if (subjects.length > 0)
        await tx.stockAlert.createMany({ data: subjects.map((subjectId) => ({ pharmacyId, kind, subjectId })), skipDuplicates: true });
    });
  }

  /** Claims, for one recipient, the pharmacy's open alerts they were not told of (a concurrent run claims none twice). */
  claimUntold(pharmacyId: string, recipient: string): Promise<Array<{ id: string; kind: string }>> {
    return this.prisma.$queryRaw`
      WITH claimed AS (
        INSERT INTO stock_alert_deliveries (alert_id, recipient)
        SELECT a.id, ${recipient} FROM stock_alerts a WHERE a.pharmacy_id = ${pharmacyId}::uuid AND a.cleared_at IS NULL
        ON CONFLICT DO NOTHING
        RETURNING alert_id)
      SELECT a.id, a.kind FROM stock_alerts a JOIN claimed c ON c.alert_id = a.id`;
  }

  /** Gives a recipient's claims back (the message did not go): the next run tells them. */
  async unclaim(recipient: string, ids: readonly string[]): Promise<void> {
    await this.prisma.stockAlertDelivery.deleteMany({ where: { recipient, alertId: { in: [...ids] } } });
  }
}
