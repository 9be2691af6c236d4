// Stock as the graph shows it: items, lots, the ledger, counts, alerts and reports.
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsOptional, Length, Max, MaxLength, Min } from 'class-validator';
import { Connection } from '../../graphql/connection.js';
import { DateTime, LocalDate } from '../../graphql/scalars.js';
import { NotBlank } from '../../graphql/validators.js';

export enum MovementKind {
  RECEIPT = 'receipt',
  DISPENSE = 'dispense',
  ADJUSTMENT = 'adjustment',
  TRANSFER_OUT = 'transfer_out',
  TRANSFER_IN = 'transfer_in',
  RETURN = 'return',
  WRITE_OFF = 'write_off',
}
registerEnumType(MovementKind, { name: 'MovementKind' });

export enum WriteOffReason {
  EXPIRED = 'expired',
  DAMAGED = 'damaged',
  RECALLED = 'recalled',
}
registerEnumType(WriteOffReason, { name: 'WriteOffReason' });

@ObjectType({ description: 'A batch of an item. Its balance is the sum of its movements, never below zero.' })
export class StockLot {
  dbId!: string;
  itemDbId!: string;
  @Field(() => ID) id!: string;
  @Field() batchNumber!: string;
  @Field(() => LocalDate) expiresOn!: string;
  @Field(() => Int) quantityOnHand!: number;
  @Field(() => Int) unitCostXaf!: number;
  @Field(() => String, { nullable: true }) supplier!: string | null;
  @Field(() => LocalDate) receivedOn!: string;
  @Field() onHold!: boolean;
  @Field({ description: 'Past its expiry date: it leaves stock only by write-off.' }) expired!: boolean;
}

@ObjectType({ description: 'What a pharmacy stocks: a catalogue medicine or a supply.' })
export class InventoryItem {
  dbId!: string;
  pharmacyDbId!: string;
  medicineDbId!: string | null;
  @Field(() => ID) id!: string;
  @Field({ description: "The medicine's generic name, or the supply's name." }) name!: string;
  @Field() unit!: string;
  @Field(() => Int) reorderPoint!: number;
  @Field(() => Int) maxLevel!: number;
  @Field(() => Int) sellingPriceXaf!: number;
  @Field() active!: boolean;
}

export const InventoryItemConnection = Connection(InventoryItem, 'InventoryItem');
export type InventoryItemConnection = InstanceType<typeof InventoryItemConnection>;

@ObjectType({ description: 'One line of the append-only ledger.' })
export class StockMovement {
  byDbId!: string;
  @Field(() => ID) id!: string;
  @Field(() => MovementKind) kind!: MovementKind;
  @Field(() => Int, { description: 'In (+) or out (-).' }) quantity!: number;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => ID, { nullable: true, description: 'Both sides of a transfer carry it.' }) transferId!: string | null;
  @Field(() => DateTime) at!: Date;
}

@ObjectType()
export class CountDifference {
  @Field(() => ID) lotId!: string;
  @Field(() => Int, { description: 'Counted minus the balance: the adjustment made.' }) difference!: number;
}

@ObjectType()
export class StockCount {
  dbId!: string;
  @Field(() => ID) id!: string;
  @Field(() => DateTime) startedAt!: Date;
  @Field(() => DateTime, { nullable: true }) closedAt!: Date | null;
  @Field(() => [CountDifference], { description: 'When closed: the adjustments it made.' }) differences!: CountDifference[];
}

@ObjectType()
export class LowStockItem {
  itemDbId!: string;
  @Field(() => Int) onHand!: number;
  @Field(() => Int) reorderPoint!: number;
}

@ObjectType()
export class StockValue {
  @Field(() => Int, { description: 'At cost, in XAF.' }) valueXaf!: number;
  @Field(() => Int) units!: number;
}

@ObjectType()
export class DispensingHistoryRow {
  medicineDbId!: string;
  @Field(() => Int) dispenses!: number;
  @Field(() => Int) units!: number;
  @Field(() => Int) revenueXaf!: number;
}

@ObjectType({ description: "A lot whose balance differs from the sum of its movements: the reconciliation's answer is always empty." })
export class LedgerDrift {
  @Field(() => ID) lotId!: string;
  @Field(() => Int) onHand!: number;
  @Field(() => Int) ledger!: number;
}

@InputType()
export class InventoryItemInput {
  @Field(() => ID) pharmacyId!: string;
  @Field(() => ID, { nullable: true, description: 'A catalogue medicine; or name a supply.' }) medicationId?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @NotBlank() @Length(2, 200) supplyName?: string | null;
  @Field() @NotBlank() @Length(1, 30) unit!: string;
  @Field(() => Int) @Min(0) @Max(1_000_000) reorderPoint!: number;
  @Field(() => Int) @Min(0) @Max(1_000_000) maxLevel!: number;
  @Field(() => Int) @Min(0) @Max(100_000_000) sellingPriceXaf!: number;
}

@InputType()
export class ReceiptInput {
  @Field(() => ID) itemId!: string;
  @Field() @NotBlank() @Length(1, 64) batchNumber!: string;
  @Field(() => LocalDate) expiresOn!: string;
  @Field(() => Int) @Min(1) @Max(1_000_000) quantity!: number;
  @Field(() => Int) @Min(0) @Max(100_000_000) unitCostXaf!: number;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) supplier?: string | null;
}
