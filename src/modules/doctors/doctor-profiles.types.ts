// What clinic admins send to create and change doctor profiles.
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { Language } from '../../graphql/common-types.js';
import { IsSpecialtyCode } from '../../graphql/validators.js';

const LICENCE = /^[A-Za-z0-9][A-Za-z0-9 ./-]{2,63}$/;
const LICENCE_MESSAGE = { message: 'licenseNumber must be 3 to 64 letters, digits, spaces or . / -' };

@InputType()
export class CreateDoctorProfileInput {
  @Field(() => ID, { description: "The doctor's account (createStaffAccount with role DOCTOR at a clinic you administer)." })
  @MaxLength(128)
  userId!: string;
  @Field() @Matches(LICENCE, LICENCE_MESSAGE) licenseNumber!: string;
  @Field(() => [String], { description: 'Specialty codes (see specialties), the primary first.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsSpecialtyCode({ each: true })
  specialties!: string[];
  @Field(() => Int, { description: 'Whole XAF (no minor unit).' }) @IsInt() @Min(0) @Max(10_000_000) consultationFeeXaf!: number;
  @Field(() => [Language]) @ArrayMinSize(1) @ArrayUnique() languages!: Language[];
  @Field(() => [ID], { description: 'Clinics you administer where the doctor consults.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @MaxLength(128, { each: true })
  clinicIds!: string[];
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(2000) bio?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) medicalDegree?: string | null;
  @Field(() => Int, { nullable: true, description: 'Default 0.' }) @IsOptional() @IsInt() @Min(0) @Max(70) yearsOfExperience?:
    number | null;
  @Field(() => Int, { nullable: true, description: 'Default 30.' }) @IsOptional() @IsInt() @Min(5) @Max(240) consultationDurationMinutes?:
    number | null;
}

@InputType({ description: 'Only the fields sent change; null clears bio and medicalDegree.' })
export class UpdateDoctorProfileInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(LICENCE, LICENCE_MESSAGE) licenseNumber?: string | null;
  @Field(() => [String], { nullable: true, description: 'Replaces the specialties, the primary first.' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsSpecialtyCode({ each: true })
  specialties?: string[] | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(10_000_000) consultationFeeXaf?: number | null;
  @Field(() => [Language], { nullable: true }) @IsOptional() @ArrayMinSize(1) @ArrayUnique() languages?: Language[] | null;
  @Field(() => [ID], {
    nullable: true,
    description: 'Replaces where the doctor consults among the clinics you administer (their other clinics are kept).',
  })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @MaxLength(128, { each: true })
  clinicIds?: string[] | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(2000) bio?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) medicalDegree?: string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(70) yearsOfExperience?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(5) @Max(240) consultationDurationMinutes?: number | null;
  @Field(() => Boolean, { nullable: true }) @IsOptional() acceptingPatients?: boolean | null;
}
