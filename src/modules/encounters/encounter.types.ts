// A consultation record (encounter) as the graph shows it, and what the doctor and nurse enter.
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ArrayMaxSize, IsBoolean, IsOptional, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Connection } from '../../graphql/connection.js';
import { Node } from '../../graphql/node.js';
import { DateTime } from '../../graphql/scalars.js';
import { IsIcd10, NotBlank } from '../../graphql/validators.js';
import { VITAL_RANGES, type VitalSign } from './vital-ranges.js';

/** Min and Max from VITAL_RANGES, for the vital sign the field is named after. */
function Plausible(): PropertyDecorator {
  return (target, property) => {
    const [min, max] = VITAL_RANGES[property as VitalSign];
    Max(max)(target, property);
    Min(min)(target, property);
  };
}

@ObjectType({ description: 'Measurements with their units in the field names.' })
export class Vitals {
  @Field(() => Float, { nullable: true }) temperatureC!: number | null;
  @Field(() => Int, { nullable: true }) systolicMmHg!: number | null;
  @Field(() => Int, { nullable: true }) diastolicMmHg!: number | null;
  @Field(() => Int, { nullable: true }) heartRateBpm!: number | null;
  @Field(() => Int, { nullable: true }) respiratoryRatePerMin!: number | null;
  @Field(() => Int, { nullable: true }) oxygenSaturationPct!: number | null;
  @Field(() => Float, { nullable: true }) weightKg!: number | null;
  @Field(() => Float, { nullable: true }) heightCm!: number | null;
  @Field(() => DateTime) recordedAt!: Date;
}

@ObjectType()
export class Diagnosis {
  @Field() icd10Code!: string;
  @Field() description!: string;
  @Field() primary!: boolean;
}

@ObjectType({
  implements: Node,
  description:
    'What happened at a visit: complaint, vitals, SOAP notes, diagnoses, plan, follow-up (clinical: the patient and their care team).',
})
export class Encounter implements Node {
  patientDbId!: string;
  /** The visit it records (its key in MongoDB), and where and by whom; not part of the schema. */
  appointmentDbId!: string;
  doctorDbId!: string;
  clinicDbId!: string;

  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) chiefComplaint!: string | null;
  @Field(() => Vitals, { nullable: true }) vitals!: Vitals | null;
  @Field(() => String, { nullable: true }) subjective!: string | null;
  @Field(() => String, { nullable: true }) objective!: string | null;
  @Field(() => String, { nullable: true }) assessment!: string | null;
  @Field(() => String, { nullable: true }) plan!: string | null;
  @Field(() => [Diagnosis]) diagnoses!: Diagnosis[];
  @Field(() => String, { nullable: true }) treatmentPlan!: string | null;
  @Field(() => Int, { nullable: true, description: 'Follow up in this many days.' }) followUpInDays!: number | null;
  @Field(() => DateTime, { nullable: true }) completedAt!: Date | null;
}

export const EncounterConnection = Connection(Encounter, 'Encounter');

@InputType({ description: 'Plausible human values only (e.g. temperature 30 to 45 °C).' })
export class VitalsInput {
  @Field(() => Float, { nullable: true }) @IsOptional() @Plausible() temperatureC?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @Plausible() systolicMmHg?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @Plausible() diastolicMmHg?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @Plausible() heartRateBpm?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @Plausible() respiratoryRatePerMin?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @Plausible() oxygenSaturationPct?: number | null;
  @Field(() => Float, { nullable: true }) @IsOptional() @Plausible() weightKg?: number | null;
  @Field(() => Float, { nullable: true }) @IsOptional() @Plausible() heightCm?: number | null;
}

@InputType()
export class DiagnosisInput {
  @Field() @IsIcd10() icd10Code!: string;
  @Field() @NotBlank() @Length(1, 200) description!: string;
  @Field({ defaultValue: false }) @IsBoolean() primary!: boolean;
}

@InputType()
export class EncounterInput {
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(500) chiefComplaint?: string | null;
  @Field(() => VitalsInput, { nullable: true }) @IsOptional() @ValidateNested() vitals?: VitalsInput | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(4000) subjective?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(4000) objective?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(4000) assessment?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(4000) plan?: string | null;
  @Field(() => [DiagnosisInput], { defaultValue: [] }) @ArrayMaxSize(20) @ValidateNested({ each: true }) diagnoses!: DiagnosisInput[];
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(4000) treatmentPlan?: string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(1) @Max(365) followUpInDays?: number | null;
}
