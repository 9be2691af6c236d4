// Pregnancy and breastfeeding as the graph shows them (for prescribing safety), and the inputs
// that record them. A new status replaces the current one, which is kept in its history.
import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { DateTime, LocalDate } from '../../graphql/scalars.js';
import { IsPastLocalDate } from '../../graphql/validators.js';

export enum PregnancyState {
  PREGNANT = 'pregnant',
  NOT_PREGNANT = 'not_pregnant',
  UNKNOWN = 'unknown',
}
registerEnumType(PregnancyState, { name: 'PregnancyState' });

export enum LactationState {
  BREASTFEEDING = 'breastfeeding',
  NOT_BREASTFEEDING = 'not_breastfeeding',
  UNKNOWN = 'unknown',
}
registerEnumType(LactationState, { name: 'LactationState' });

@ObjectType({ description: 'Whether the patient is pregnant, as a clinician last recorded it.' })
export class PregnancyStatus {
  @Field(() => PregnancyState) status!: PregnancyState;
  @Field(() => LocalDate, {
    nullable: true,
    description: 'PREGNANT: when the pregnancy began (e.g. the last menstrual period); else since when.',
  })
  since!: string | null;
  @Field(() => LocalDate, { nullable: true, description: 'PREGNANT only.' }) expectedDelivery!: string | null;
  @Field(() => DateTime) recordedAt!: Date;
  @Field(() => [PregnancyStatus], { description: 'The statuses this one replaced, oldest first.' }) history!: PregnancyStatus[];
}

@ObjectType({ description: 'Whether the patient is breastfeeding, as a clinician last recorded it.' })
export class LactationStatus {
  @Field(() => LactationState) status!: LactationState;
  @Field(() => LocalDate, { nullable: true }) since!: string | null;
  @Field(() => DateTime) recordedAt!: Date;
  @Field(() => [LactationStatus], { description: 'The statuses this one replaced, oldest first.' }) history!: LactationStatus[];
}

@InputType()
export class PregnancyStatusInput {
  @Field(() => PregnancyState) status!: PregnancyState;
  @Field(() => LocalDate, {
    nullable: true,
    description: 'PREGNANT: when the pregnancy began (e.g. the last menstrual period); else since when.',
  })
  @IsOptional()
  @IsPastLocalDate()
  since?: string | null;
  @Field(() => LocalDate, {
    nullable: true,
    description: 'PREGNANT only: 0 to 44 weeks after `since` when both are given, and at most 10 months from today.',
  })
  @IsOptional()
  expectedDelivery?: string | null;
}

@InputType()
export class LactationStatusInput {
  @Field(() => LactationState) status!: LactationState;
  @Field(() => LocalDate, { nullable: true }) @IsOptional() @IsPastLocalDate() since?: string | null;
}
