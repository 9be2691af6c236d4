// The medical history as the graph shows it, and the inputs that add to it.
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsOptional, Length, Max, MaxLength, Min } from 'class-validator';
import { DateTime, LocalDate } from '../../graphql/scalars.js';
import { IsIcd10, IsPastLocalDate, NotBlank } from '../../graphql/validators.js';

export enum BloodType {
  A_POSITIVE = 'A+',
  A_NEGATIVE = 'A-',
  B_POSITIVE = 'B+',
  B_NEGATIVE = 'B-',
  AB_POSITIVE = 'AB+',
  AB_NEGATIVE = 'AB-',
  O_POSITIVE = 'O+',
  O_NEGATIVE = 'O-',
  UNKNOWN = 'unknown',
}
registerEnumType(BloodType, { name: 'BloodType' });

export enum AllergySeverity {
  MILD = 'mild',
  MODERATE = 'moderate',
  SEVERE = 'severe',
  LIFE_THREATENING = 'life_threatening',
}
registerEnumType(AllergySeverity, { name: 'AllergySeverity' });

export enum ConditionStatus {
  ACTIVE = 'active',
  MANAGED = 'managed',
  RESOLVED = 'resolved',
}
registerEnumType(ConditionStatus, { name: 'ConditionStatus' });

export enum SmokingStatus {
  NEVER = 'never',
  FORMER = 'former',
  CURRENT = 'current',
}
registerEnumType(SmokingStatus, { name: 'SmokingStatus' });

export enum AlcoholUse {
  NONE = 'none',
  OCCASIONAL = 'occasional',
  REGULAR = 'regular',
}
registerEnumType(AlcoholUse, { name: 'AlcoholUse' });

@ObjectType()
abstract class HistoryEntry {
  @Field(() => ID) id!: string;
  @Field(() => DateTime) recordedAt!: Date;
}

@ObjectType()
export class Allergy extends HistoryEntry {
  @Field() substance!: string;
  @Field(() => AllergySeverity) severity!: AllergySeverity;
  @Field(() => String, { nullable: true }) reaction!: string | null;
  @Field(() => LocalDate, { nullable: true }) notedOn!: string | null;
}

@ObjectType()
export class ChronicCondition extends HistoryEntry {
  @Field() name!: string;
  @Field(() => String, { nullable: true, description: 'ICD-10 code, e.g. E11.9.' }) icd10Code!: string | null;
  @Field(() => ConditionStatus) status!: ConditionStatus;
  @Field(() => LocalDate, { nullable: true }) diagnosedOn!: string | null;
  @Field(() => String, { nullable: true }) notes!: string | null;
}

@ObjectType()
export class Immunization extends HistoryEntry {
  @Field() vaccine!: string;
  @Field(() => LocalDate) administeredOn!: string;
  @Field(() => Int, { nullable: true }) doseNumber!: number | null;
  @Field(() => String, { nullable: true }) manufacturer!: string | null;
  @Field(() => String, { nullable: true }) lotNumber!: string | null;
}

@ObjectType()
export class Surgery extends HistoryEntry {
  @Field() procedure!: string;
  @Field(() => LocalDate, { nullable: true }) performedOn!: string | null;
  @Field(() => String, { nullable: true }) facility!: string | null;
  @Field(() => String, { nullable: true }) notes!: string | null;
}

@ObjectType()
export class FamilyHistoryEntry extends HistoryEntry {
  @Field({ description: 'e.g. mother, brother.' }) relation!: string;
  @Field() condition!: string;
  @Field(() => Int, { nullable: true }) ageAtDiagnosis!: number | null;
}

@ObjectType()
export class SocialHistory {
  @Field(() => SmokingStatus, { nullable: true }) smoking!: SmokingStatus | null;
  @Field(() => AlcoholUse, { nullable: true }) alcohol!: AlcoholUse | null;
  @Field(() => String, { nullable: true }) occupation!: string | null;
  @Field(() => String, { nullable: true }) notes!: string | null;
  @Field(() => DateTime) updatedAt!: Date;
}

@ObjectType()
export class MedicalHistory {
  /** Whose history this is (for the rules and the audit); not part of the schema. */
  patientDbId!: string;

  @Field(() => BloodType, { nullable: true }) bloodType!: BloodType | null;
  @Field(() => [Allergy]) allergies!: Allergy[];
  @Field(() => [ChronicCondition]) chronicConditions!: ChronicCondition[];
  @Field(() => [Immunization]) immunizations!: Immunization[];
  @Field(() => [Surgery]) surgeries!: Surgery[];
  @Field(() => [FamilyHistoryEntry]) familyHistory!: FamilyHistoryEntry[];
  @Field(() => SocialHistory, { nullable: true }) socialHistory!: SocialHistory | null;
  @Field(() => DateTime, { nullable: true, description: 'When anything in the history last changed.' }) updatedAt!: Date | null;
}

@InputType()
export class AllergyInput {
  @Field() @NotBlank() @Length(1, 120) substance!: string;
  @Field(() => AllergySeverity) severity!: AllergySeverity;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(500) reaction?: string | null;
  @Field(() => LocalDate, { nullable: true }) @IsOptional() @IsPastLocalDate() notedOn?: string | null;
}

@InputType()
export class ChronicConditionInput {
  @Field() @NotBlank() @Length(1, 200) name!: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIcd10()
  icd10Code?: string | null;
  @Field(() => ConditionStatus) status!: ConditionStatus;
  @Field(() => LocalDate, { nullable: true }) @IsOptional() @IsPastLocalDate() diagnosedOn?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(2000) notes?: string | null;
}

@InputType()
export class ImmunizationInput {
  @Field() @NotBlank() @Length(1, 120) vaccine!: string;
  @Field(() => LocalDate) @IsPastLocalDate() administeredOn!: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(1) @Max(10) doseNumber?: number | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(120) manufacturer?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(64) lotNumber?: string | null;
}

@InputType()
export class SurgeryInput {
  @Field() @NotBlank() @Length(1, 200) procedure!: string;
  @Field(() => LocalDate, { nullable: true }) @IsOptional() @IsPastLocalDate() performedOn?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) facility?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(2000) notes?: string | null;
}

@InputType()
export class FamilyHistoryInput {
  @Field() @NotBlank() @Length(1, 60) relation!: string;
  @Field() @NotBlank() @Length(1, 200) condition!: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(0) @Max(120) ageAtDiagnosis?: number | null;
}

@InputType()
export class SocialHistoryInput {
  @Field(() => SmokingStatus, { nullable: true }) @IsOptional() smoking?: SmokingStatus | null;
  @Field(() => AlcoholUse, { nullable: true }) @IsOptional() alcohol?: AlcoholUse | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(120) occupation?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(2000) notes?: string | null;
}
