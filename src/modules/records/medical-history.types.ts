// The medical history as the graph shows it, and the inputs that add to it and correct it.
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsOptional, Length, Max, MaxLength, Min } from 'class-validator';
import { DateTime, LocalDate } from '../../graphql/scalars.js';
import { IsIcd10, IsPastLocalDate, NotBlank } from '../../graphql/validators.js';
import { LactationStatus, PregnancyStatus } from './reproductive-status.types.js';

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

export enum HistoryEntryStatus {
  ACTIVE = 'active',
  ENTERED_IN_ERROR = 'entered_in_error',
}
registerEnumType(HistoryEntryStatus, {
  name: 'HistoryEntryStatus',
  description: 'An entry recorded by mistake is marked ENTERED_IN_ERROR, never deleted.',
});

@ObjectType()
abstract class HistoryEntry {
  @Field(() => ID) id!: string;
  @Field(() => DateTime) recordedAt!: Date;
  @Field(() => HistoryEntryStatus) entryStatus!: HistoryEntryStatus;
  @Field(() => String, { nullable: true, description: 'Why it was marked ENTERED_IN_ERROR.' }) enteredInErrorReason!: string | null;
  @Field(() => Int, { description: '1 when recorded, one more with each correction.' }) version!: number;
  @Field(() => DateTime, { nullable: true, description: 'When this version was made (null for the first).' }) updatedAt!: Date | null;
  @Field(() => [String], { description: 'The fields this version changed (empty for the first).' }) changedFields!: string[];
}

@ObjectType()
export class Allergy extends HistoryEntry {
  @Field() substance!: string;
  @Field(() => AllergySeverity) severity!: AllergySeverity;
  @Field(() => String, { nullable: true }) reaction!: string | null;
  @Field(() => LocalDate, { nullable: true }) notedOn!: string | null;
  @Field(() => [Allergy], { description: 'Earlier versions, oldest first.' }) history!: Allergy[];
}

@ObjectType()
export class ChronicCondition extends HistoryEntry {
  @Field() name!: string;
  @Field(() => String, { nullable: true, description: 'ICD-10 code, e.g. E11.9.' }) icd10Code!: string | null;
  @Field(() => ConditionStatus) status!: ConditionStatus;
  @Field(() => LocalDate, { nullable: true }) diagnosedOn!: string | null;
  @Field(() => String, { nullable: true }) notes!: string | null;
  @Field(() => [ChronicCondition], { description: 'Earlier versions, oldest first.' }) history!: ChronicCondition[];
}

@ObjectType()
export class Immunization extends HistoryEntry {
  @Field() vaccine!: string;
  @Field(() => LocalDate) administeredOn!: string;
  @Field(() => Int, { nullable: true }) doseNumber!: number | null;
  @Field(() => String, { nullable: true }) manufacturer!: string | null;
  @Field(() => String, { nullable: true }) lotNumber!: string | null;
  @Field(() => [Immunization], { description: 'Earlier versions, oldest first.' }) history!: Immunization[];
}

@ObjectType()
export class Surgery extends HistoryEntry {
  @Field() procedure!: string;
  @Field(() => LocalDate, { nullable: true }) performedOn!: string | null;
  @Field(() => String, { nullable: true }) facility!: string | null;
  @Field(() => String, { nullable: true }) notes!: string | null;
  @Field(() => [Surgery], { description: 'Earlier versions, oldest first.' }) history!: Surgery[];
}

@ObjectType()
export class FamilyHistoryEntry extends HistoryEntry {
  @Field({ description: 'e.g. mother, brother.' }) relation!: string;
  @Field() condition!: string;
  @Field(() => Int, { nullable: true }) ageAtDiagnosis!: number | null;
  @Field(() => [FamilyHistoryEntry], { description: 'Earlier versions, oldest first.' }) history!: FamilyHistoryEntry[];
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
  /** Every entry, those marked entered-in-error included (the lists' resolvers filter them). */
  entries!: {
    allergies: Allergy[];
    chronicConditions: ChronicCondition[];
    immunizations: Immunization[];
    surgeries: Surgery[];
    familyHistory: FamilyHistoryEntry[];
  };

  @Field(() => BloodType, { nullable: true }) bloodType!: BloodType | null;
  @Field(() => SocialHistory, { nullable: true }) socialHistory!: SocialHistory | null;
  @Field(() => PregnancyStatus, { nullable: true, description: 'Null until a clinician records it.' }) pregnancy!: PregnancyStatus | null;
  @Field(() => LactationStatus, { nullable: true, description: 'Null until a clinician records it.' }) lactation!: LactationStatus | null;
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

// Corrections: every field optional; an omitted field is unchanged, null clears an optional one
// (a required one cannot be cleared: the service refuses it at its path).

@InputType()
export class AllergyUpdateInput {
  @Field(() => String, { nullable: true }) @IsOptional() @NotBlank() @Length(1, 120) substance?: string | null;
  @Field(() => AllergySeverity, { nullable: true }) @IsOptional() severity?: AllergySeverity | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(500) reaction?: string | null;
  @Field(() => LocalDate, { nullable: true }) @IsOptional() @IsPastLocalDate() notedOn?: string | null;
}

@InputType()
export class ChronicConditionUpdateInput {
  @Field(() => String, { nullable: true }) @IsOptional() @NotBlank() @Length(1, 200) name?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsIcd10() icd10Code?: string | null;
  @Field(() => ConditionStatus, { nullable: true }) @IsOptional() status?: ConditionStatus | null;
  @Field(() => LocalDate, { nullable: true }) @IsOptional() @IsPastLocalDate() diagnosedOn?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(2000) notes?: string | null;
}

@InputType()
export class ImmunizationUpdateInput {
  @Field(() => String, { nullable: true }) @IsOptional() @NotBlank() @Length(1, 120) vaccine?: string | null;
  @Field(() => LocalDate, { nullable: true }) @IsOptional() @IsPastLocalDate() administeredOn?: string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(1) @Max(10) doseNumber?: number | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(120) manufacturer?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(64) lotNumber?: string | null;
}

@InputType()
export class SurgeryUpdateInput {
  @Field(() => String, { nullable: true }) @IsOptional() @NotBlank() @Length(1, 200) procedure?: string | null;
  @Field(() => LocalDate, { nullable: true }) @IsOptional() @IsPastLocalDate() performedOn?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) facility?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(2000) notes?: string | null;
}

@InputType()
export class FamilyHistoryUpdateInput {
  @Field(() => String, { nullable: true }) @IsOptional() @NotBlank() @Length(1, 60) relation?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @NotBlank() @Length(1, 200) condition?: string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(0) @Max(120) ageAtDiagnosis?: number | null;
}
