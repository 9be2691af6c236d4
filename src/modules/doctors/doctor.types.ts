// Doctors and specialties as the graph shows them, and the directory filter.
import { Arg, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { IsOptional, MaxLength } from 'class-validator';
import { Language, Money } from '../../graphql/common-types.js';
import { Connection } from '../../graphql/connection.js';
import { Node } from '../../graphql/node.js';
import { IsSpecialtyCode } from '../../graphql/validators.js';

@ObjectType({ implements: Node })
export class Specialty implements Node {
  dbId!: string;
  nameEn!: string;
  nameFr!: string;

  @Field(() => ID) id!: string;
  @Field({ description: 'Stable machine name, e.g. "cardiology".' }) code!: string;

  @Field({ description: "The specialty's name in the given language." })
  name(@Arg('language', () => Language, { defaultValue: Language.EN }) language: Language): string {
    return language === Language.FR ? this.nameFr : this.nameEn;
  }
}

@ObjectType({ implements: Node })
export class Doctor implements Node {
  dbId!: string;
  userId!: string;

  @Field(() => ID) id!: string;
  @Field() firstName!: string;
  @Field() lastName!: string;
  @Field({ description: 'How to address the doctor, e.g. "Dr Amina Njoya".' }) displayName!: string;
  @Field() licenseNumber!: string;
  @Field(() => String, { nullable: true }) medicalDegree!: string | null;
  @Field(() => Int) yearsOfExperience!: number;
  @Field(() => Money) consultationFee!: Money;
  @Field(() => Int) consultationDurationMinutes!: number;
  @Field(() => Float, { description: 'Average review score, 0 to 5.' }) rating!: number;
  @Field(() => Int) reviewCount!: number;
  @Field(() => String, { nullable: true }) bio!: string | null;
  @Field(() => [Language]) languages!: Language[];
  @Field() acceptingPatients!: boolean;
}

@InputType()
export class DoctorFilter {
  @Field(() => String, { nullable: true, description: 'A specialty code, e.g. "pediatrics".' })
  @IsOptional()
  @IsSpecialtyCode()
  specialty?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only doctors who work at this clinic.' })
  @IsOptional()
  @MaxLength(128)
  clinicId?: string | null;

  @Field(() => Language, { nullable: true, description: 'Only doctors who consult in this language.' })
  @IsOptional()
  language?: Language | null;
}

export const DoctorConnection = Connection(Doctor, 'Doctor');
