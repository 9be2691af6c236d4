// Pharmacies, the queue and dispenses as the graph shows them.
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Address } from '../../graphql/common-types.js';
import { OpeningHours } from '../clinics/index.js';
import { Connection } from '../../graphql/connection.js';
import { DateTime, LocalDate } from '../../graphql/scalars.js';
import { IsClockTime, NotBlank } from '../../graphql/validators.js';

export enum PharmacyKind {
  DISPENSARY = 'dispensary',
  PARTNER = 'partner',
}
registerEnumType(PharmacyKind, {
  name: 'PharmacyKind',
  description: "DISPENSARY: a clinic's own; PARTNER: a pharmacy outside the clinics.",
});

export enum FulfillmentStatus {
  QUEUED = 'queued',
  IN_PREPARATION = 'in_preparation',
  READY = 'ready',
  PARTIALLY_DISPENSED = 'partially_dispensed',
  DISPENSED = 'dispensed',
  DECLINED = 'declined',
  ON_HOLD = 'on_hold',
}
registerEnumType(FulfillmentStatus, {
  name: 'FulfillmentStatus',
  description: "The pharmacy's side of a presented prescription, apart from the prescription's own status.",
});

export enum SupplyType {
  FIRST_FILL = 'first_fill',
  PARTIAL = 'partial',
  REFILL = 'refill',
  EMERGENCY = 'emergency',
}
registerEnumType(SupplyType, { name: 'SupplyType' });

@ObjectType()
export class Pharmacy {
  dbId!: string;
  clinicDbId!: string;
  @Field(() => ID) id!: string;
  @Field(() => PharmacyKind) kind!: PharmacyKind;
  @Field() name!: string;
  @Field(() => Address) address!: Address;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => [OpeningHours]) hours!: OpeningHours[];
  @Field(() => String, { nullable: true }) licence!: string | null;
}

@ObjectType()
export class OverrideAcknowledgment {
  @Field(() => ID, { description: 'The SafetyFinding acknowledged.' }) findingId!: string;
  @Field(() => DateTime) at!: Date;
}

@ObjectType({ description: 'A signed prescription presented at a pharmacy.' })
export class Fulfillment {
  dbId!: string;
  pharmacyDbId!: string;
  prescriptionDbId!: string;
  patientDbId!: string;
  @Field(() => ID) id!: string;
  @Field(() => FulfillmentStatus) status!: FulfillmentStatus;
  @Field() urgent!: boolean;
  @Field(() => DateTime) presentedAt!: Date;
  @Field(() => String, { nullable: true, description: 'Why it was declined or put on hold.' }) statusReason!: string | null;
  @Field(() => [OverrideAcknowledgment], { description: "The prescriber's overrides the pharmacist has acknowledged." })
  acknowledgments!: OverrideAcknowledgment[];
}

export const FulfillmentConnection = Connection(Fulfillment, 'Fulfillment');
export type FulfillmentConnection = InstanceType<typeof FulfillmentConnection>;

@ObjectType({ description: 'A lot a dispense took units from (kept for recalls).' })
export class LotUsed {
  @Field() batchNumber!: string;
  @Field(() => LocalDate) expiresOn!: string;
  @Field(() => Int) quantity!: number;
}

@ObjectType()
export class Dispense {
  dbId!: string;
  patientDbId!: string;
  medicineDbId!: string;
  @Field(() => ID) id!: string;
  @Field(() => SupplyType) supplyType!: SupplyType;
  @Field(() => Int, { description: '1: the first fill, 2: the first refill...' }) supplyNumber!: number;
  @Field(() => Int) quantity!: number;
  @Field({ description: 'A generic substitute was given (the prescription allowed it).' }) substituted!: boolean;
  @Field(() => Int) unitPriceXaf!: number;
  @Field(() => DateTime) dispensedAt!: Date;
  @Field(() => [LotUsed]) lots!: LotUsed[];
  @Field(() => FulfillmentStatus) fulfillmentStatus!: FulfillmentStatus;
}

@InputType()
export class OpeningHoursInput {
  @Field(() => Int, { description: '0 = Sunday ... 6 = Saturday.' }) @Min(0) @Max(6) dayOfWeek!: number;
  @Field({ description: 'HH:MM' }) @IsClockTime() opens!: string;
  @Field({ description: 'HH:MM' }) @IsClockTime() closes!: string;
}

@InputType()
export class PartnerPharmacyInput {
  @Field(() => ID) clinicId!: string;
  @Field() @NotBlank() @Length(2, 200) name!: string;
  @Field() @NotBlank() @Length(2, 200) street!: string;
  @Field() @NotBlank() @Length(2, 100) city!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(16) phone?: string | null;
  @Field() @NotBlank() @Length(3, 64) licence!: string;
  @Field(() => [OpeningHoursInput], { defaultValue: [] }) @ArrayMaxSize(14) @ValidateNested({ each: true }) hours!: OpeningHoursInput[];
}

@InputType()
export class DispenseInput {
  @Field(() => ID) fulfillmentId!: string;
  @Field(() => ID, { description: 'The PrescriptionItem to give.' }) prescriptionItemId!: string;
  @Field(() => Int) @Min(1) @Max(10000) quantity!: number;
  @Field(() => ID, { nullable: true, description: 'A generic equivalent (same ingredients), where the prescription allows substitution.' })
  substituteMedicationId?: string | null;
  @Field({ defaultValue: false, description: 'An emergency supply before the refill is due (at most three days of it).' })
  emergency!: boolean;
}
