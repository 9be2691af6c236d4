// Thin resolvers: a pharmacy's stock, its ledger, counts, alerts and reports.
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, ObjectType, Field, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { PageArgs, type Page } from '../../graphql/connection.js';
import { LocalDate } from '../../graphql/scalars.js';
import { Actor } from '../accounts/index.js';
import { Medication } from '../prescriptions/index.js';
import {
  DispensingHistoryRow,
  InventoryItem,
  InventoryItemConnection,
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

@ObjectType()
class StockTransfer {
  @Field(() => ID, { description: 'Both movements carry it.' }) transferId!: string;
  @Field(() => StockLot) from!: StockLot;
  @Field(() => StockLot) to!: StockLot;
}

@Resolver()
export class InventoryResolver {
  @Query(() => InventoryItemConnection, { description: "A pharmacy's items, by name (its pharmacists and its clinic's admins)." })
  inventory(
    @Arg('pharmacyId', () => ID) pharmacyId: string,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Ctx() context: RequestContext,
  ): Promise<Page<InventoryItem>> {
    return context.services.inventory.items(context, pharmacyId, first, after);
  }

  @Query(() => [LowStockItem], { description: 'Items at or below their reorder point (usable lots only).' })
  lowStockItems(@Arg('pharmacyId', () => ID) pharmacyId: string, @Ctx() context: RequestContext): Promise<LowStockItem[]> {
    return context.services.inventory.lowStock(context, pharmacyId);
  }

  @Query(() => [StockLot], {
    description: 'Lots with stock expiring within `withinDays` (90 by default), expired ones included, earliest first.',
  })
  expiringLots(
    @Arg('pharmacyId', () => ID) pharmacyId: string,
    @Arg('withinDays', () => Int, { nullable: true }) withinDays: number | null,
    @Ctx() context: RequestContext,
  ): Promise<StockLot[]> {
    return context.services.inventory.expiring(context, pharmacyId, withinDays);
  }

  @Query(() => StockValue, { description: 'What the stock is worth at cost (XAF).' })
  stockValue(@Arg('pharmacyId', () => ID) pharmacyId: string, @Ctx() context: RequestContext): Promise<StockValue> {
    return context.services.inventory.stockValue(context, pharmacyId);
  }

  @Query(() => [DispensingHistoryRow], { description: 'Dispensed units and revenue per medicine, from one day to another (inclusive).' })
  dispensingHistory(
    @Arg('pharmacyId', () => ID) pharmacyId: string,
    @Arg('from', () => LocalDate) from: string,
    @Arg('to', () => LocalDate) to: string,
    @Ctx() context: RequestContext,
  ): Promise<DispensingHistoryRow[]> {
    return context.services.inventory.dispensingHistory(context, pharmacyId, from, to);
  }

  @Query(() => [LedgerDrift], { description: 'Lots whose balance differs from the sum of their movements: always empty.' })
  reconcileStock(@Arg('pharmacyId', () => ID) pharmacyId: string, @Ctx() context: RequestContext): Promise<LedgerDrift[]> {
    return context.services.inventory.reconcile(context, pharmacyId);
  }

  @Query(() => [StockMovement], { description: "A lot's ledger, newest first." })
  stockMovements(
    @Arg('lotId', () => ID) lotId: string,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Ctx() context: RequestContext,
  ): Promise<StockMovement[]> {
    return context.services.inventory.movements(context, lotId, Math.min(Math.max(first, 1), 100));
  }

  @Mutation(() => InventoryItem)
  createInventoryItem(
    @Arg('input', () => InventoryItemInput) input: InventoryItemInput,
    @Ctx() context: RequestContext,
  ): Promise<InventoryItem> {
    return context.services.inventory.createItem(context, input);
  }

  @Mutation(() => StockLot, { description: 'Receives a lot (a purchase): a receipt movement.' })
  receiveStock(@Arg('input', () => ReceiptInput) input: ReceiptInput, @Ctx() context: RequestContext): Promise<StockLot> {
    return context.services.inventory.receive(context, input);
  }

  @Mutation(() => StockLot, { description: 'Corrects a lot by a signed quantity, with a reason.' })
  adjustStock(
    @Arg('lotId', () => ID) lotId: string,
    @Arg('quantity', () => Int) quantity: number,
    @Arg('reason') reason: string,
    @Ctx() context: RequestContext,
  ): Promise<StockLot> {
    return context.services.inventory.adjust(context, lotId, quantity, reason);
  }

  @Mutation(() => StockLot)
  returnStock(
    @Arg('lotId', () => ID) lotId: string,
    @Arg('quantity', () => Int) quantity: number,
    @Arg('reason') reason: string,
    @Ctx() context: RequestContext,
  ): Promise<StockLot> {
    return context.services.inventory.returnStock(context, lotId, quantity, reason);
  }

  @Mutation(() => StockLot, { description: 'Takes units out as a loss (an expired lot leaves stock only this way).' })
  writeOffStock(
    @Arg('lotId', () => ID) lotId: string,
    @Arg('quantity', () => Int) quantity: number,
    @Arg('reason', () => WriteOffReason) reason: WriteOffReason,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() context: RequestContext,
  ): Promise<StockLot> {
    return context.services.inventory.writeOff(context, lotId, quantity, reason, note);
  }

  @Mutation(() => StockLot, { description: 'A lot on hold is never dispensed.' })
  setLotOnHold(@Arg('lotId', () => ID) lotId: string, @Arg('onHold') onHold: boolean, @Ctx() context: RequestContext): Promise<StockLot> {
    return context.services.inventory.setLotOnHold(context, lotId, onHold);
  }

  @Mutation(() => StockTransfer, {
    description: "Moves units of a lot to the same medicine's item at another pharmacy; both sides linked.",
  })
  transferStock(
    @Arg('lotId', () => ID) lotId: string,
    @Arg('toItemId', () => ID) toItemId: string,
    @Arg('quantity', () => Int) quantity: number,
    @Ctx() context: RequestContext,
  ): Promise<StockTransfer> {
    return context.services.inventory.transfer(context, lotId, toItemId, quantity);
  }

  @Mutation(() => StockCount)
  startStockCount(@Arg('pharmacyId', () => ID) pharmacyId: string, @Ctx() context: RequestContext): Promise<StockCount> {
    return context.services.inventory.startCount(context, pharmacyId);
  }

  @Mutation(() => StockCount)
  recordStockCount(
    @Arg('countId', () => ID) countId: string,
    @Arg('lotId', () => ID) lotId: string,
    @Arg('counted', () => Int) counted: number,
    @Ctx() context: RequestContext,
  ): Promise<StockCount> {
    return context.services.inventory.recordCount(context, countId, lotId, counted);
  }

  @Mutation(() => StockCount, { description: 'Closes a count: each difference becomes an adjustment.' })
  closeStockCount(@Arg('countId', () => ID) countId: string, @Ctx() context: RequestContext): Promise<StockCount> {
    return context.services.inventory.closeCount(context, countId);
  }
}

@Resolver(() => InventoryItem)
export class InventoryItemResolver {
  @FieldResolver(() => [StockLot], { description: 'Its lots, earliest expiry first.' })
  lots(@Root() item: InventoryItem, @Ctx() context: RequestContext): Promise<StockLot[]> {
    return context.services.inventory.lotsOf(context, item);
  }

  @FieldResolver(() => Medication, { nullable: true })
  async medication(@Root() item: InventoryItem, @Ctx() context: RequestContext): Promise<Medication | null> {
    return item.medicineDbId ? context.loaders.medicationById.load(item.medicineDbId) : null;
  }
}

@Resolver(() => LowStockItem)
export class LowStockItemResolver {
  @FieldResolver(() => InventoryItem, { nullable: true })
  async item(@Root() low: LowStockItem, @Ctx() context: RequestContext): Promise<InventoryItem | null> {
    return context.services.inventory.itemByDbId(low.itemDbId);
  }
}

@Resolver(() => DispensingHistoryRow)
export class DispensingHistoryResolver {
  @FieldResolver(() => Medication, { nullable: true })
  medication(@Root() row: DispensingHistoryRow, @Ctx() context: RequestContext): Promise<Medication | null> {
    return context.loaders.medicationById.load(row.medicineDbId);
  }
}

@Resolver(() => StockMovement)
export class StockMovementResolver {
  @FieldResolver(() => Actor, { nullable: true, description: 'Who made it.' })
  by(@Root() movement: StockMovement, @Ctx() context: RequestContext): Promise<Actor | null> {
    return context.loaders.actorById.load(movement.byDbId);
  }
}
