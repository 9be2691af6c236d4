// What clinic admins send to create and change their clinic's appointment types.
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsIn, IsInt, IsOptional, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { NotBlank } from '../../graphql/validators.js';
import { ConsultationMode } from './scheduling.types.js';

/** Modes a clinic's own type may have (chat has no booking flow of its own yet). */
export const MANAGED_MODES = [ConsultationMode.IN_PERSON, ConsultationMode.VIDEO, ConsultationMode.PHONE];
const MODES_MESSAGE = { each: true, message: 'modes must be IN_PERSON, VIDEO or PHONE' };
const CODE = /^[a-z][a-z0-9_]{1,63}$/;
const CODE_MESSAGE = { message: 'code must be lower-case letters, digits or _, starting with a letter' };

@InputType()
export class CreateAppointmentTypeInput {
  @Field(() => ID, { description: 'A clinic you administer.' }) @MaxLength(128) clinicId!: string;
  @Field({ description: 'Stable machine name, unique on the platform, e.g. "prenatal_45".' }) @Matches(CODE, CODE_MESSAGE) code!: string;
  @Field() @NotBlank() @Length(1, 100) nameEn!: string;
  @Field() @NotBlank() @Length(1, 100) nameFr!: string;
  @Field(() => Int, { description: '5 to 480 minutes.' }) @IsInt() @Min(5) @Max(480) durationMinutes!: number;
  @Field(() => Int, { description: 'Whole XAF (no minor unit), 0 or more.' }) @IsInt() @Min(0) @Max(10_000_000) priceXaf!: number;
  @Field(() => [ConsultationMode], { description: 'IN_PERSON, VIDEO and/or PHONE; the first is the default.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsIn(MANAGED_MODES, MODES_MESSAGE)
  modes!: ConsultationMode[];
}

@InputType({ description: 'Only the fields sent change.' })
export class UpdateAppointmentTypeInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(CODE, CODE_MESSAGE) code?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @NotBlank() @Length(1, 100) nameEn?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @NotBlank() @Length(1, 100) nameFr?: string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(5) @Max(480) durationMinutes?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(10_000_000) priceXaf?: number | null;
  @Field(() => [ConsultationMode], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsIn(MANAGED_MODES, MODES_MESSAGE)
  modes?: ConsultationMode[] | null;
  @Field(() => Boolean, { nullable: true, description: 'False deactivates (no longer bookable); true offers it again.' })
  @IsOptional()
  active?: boolean | null;
}
