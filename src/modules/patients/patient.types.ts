// Patients as the graph shows them, and registration.
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { IsEmail, IsOptional, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Connection } from '../../graphql/connection.js';
import { Address, AddressInput, Gender, Language } from '../../graphql/common-types.js';
import { Node } from '../../graphql/node.js';
import { DateTime, LocalDate } from '../../graphql/scalars.js';
import { IsE164, IsPastLocalDate, NotBlank } from '../../graphql/validators.js';

@ObjectType()
export class EmergencyContact {
  @Field() name!: string;
  @Field() relationship!: string;
  @Field() phone!: string;
}

@ObjectType({ description: "Who pays for the patient's care (front desk and billing)." })
export class Insurance {
  @Field({ description: 'The insurer or mutual health organisation.' }) provider!: string;
  @Field() policyNumber!: string;
  @Field(() => String, { nullable: true, description: 'The policy holder, when not the patient.' }) holderName!: string | null;
}

@ObjectType({ implements: Node })
export class Patient implements Node {
  dbId!: string;
  /** Where reminders go (not in the graph: see notificationPreferences). */
  reminderChannel!: 'sms' | 'email' | null;

  @Field(() => ID) id!: string;
  @Field() firstName!: string;
  @Field() lastName!: string;
  @Field(() => LocalDate, { nullable: true }) dateOfBirth!: string | null;
  @Field(() => Gender, { nullable: true }) gender!: Gender | null;
  @Field(() => Language) preferredLanguage!: Language;
  @Field(() => String, { nullable: true, description: "Contact details: the patient, their care team and their clinic's admins." }) email!:
    string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => String, { nullable: true, description: 'National identity number.' }) nationalId!: string | null;
  @Field(() => Address, { nullable: true }) address!: Address | null;
  @Field(() => EmergencyContact, { nullable: true }) emergencyContact!: EmergencyContact | null;
  @Field(() => Insurance, { nullable: true }) insurance!: Insurance | null;
  @Field(() => DateTime) registeredAt!: Date;
}

export const PatientConnection = Connection(Patient, 'Patient');

@InputType()
export class EmergencyContactInput {
  @Field() @NotBlank() @Length(1, 200) name!: string;
  @Field() @NotBlank() @Length(1, 60) relationship!: string;
  @Field() @IsE164() phone!: string;
}

@InputType()
export class InsuranceInput {
  @Field() @NotBlank() @Length(1, 100) provider!: string;
  @Field() @NotBlank() @Length(1, 64) policyNumber!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @NotBlank() @Length(1, 200) holderName?: string | null;
}

const NATIONAL_ID = /^[A-Z0-9-]{4,32}$/;
const NATIONAL_ID_MESSAGE = { message: 'nationalId must be 4 to 32 capital letters, digits or dashes' };

@InputType()
export class RegisterPatientInput {
  @Field() @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(254) email!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsE164() phone?: string | null;
  @Field() @NotBlank() @Length(1, 100) firstName!: string;
  @Field() @NotBlank() @Length(1, 100) lastName!: string;
  @Field(() => LocalDate) @IsPastLocalDate() dateOfBirth!: string;
  @Field(() => Gender, { nullable: true }) @IsOptional() gender?: Gender | null;
  @Field(() => Language, { defaultValue: Language.FR }) preferredLanguage!: Language;
  @Field(() => String, { nullable: true, description: 'National identity number.' })
  @IsOptional()
  @Matches(NATIONAL_ID, NATIONAL_ID_MESSAGE)
  nationalId?: string | null;
  @Field(() => AddressInput, { nullable: true }) @IsOptional() @ValidateNested() address?: AddressInput | null;
  @Field(() => EmergencyContactInput, { nullable: true }) @IsOptional() @ValidateNested() emergencyContact?: EmergencyContactInput | null;
  @Field(() => ID, { nullable: true, description: 'The clinic registering the patient; needed only when you work in several.' })
  @IsOptional()
  @MaxLength(128)
  clinicId?: string | null;
}

@InputType({ description: 'Only the fields given change; null clears one (email and preferredLanguage cannot be cleared).' })
export class UpdatePatientInput {
  @Field(() => String, {
    nullable: true,
    description: 'Can be corrected only until the person has set a password (it is then how they sign in).',
  })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email?: string | null;
  @Field(() => String, { nullable: true, description: 'E.164; a change needs verifying again.' }) @IsOptional() @IsE164() phone?:
    string | null;
  @Field(() => AddressInput, { nullable: true }) @IsOptional() @ValidateNested() address?: AddressInput | null;
  @Field(() => EmergencyContactInput, { nullable: true }) @IsOptional() @ValidateNested() emergencyContact?: EmergencyContactInput | null;
  @Field(() => InsuranceInput, { nullable: true }) @IsOptional() @ValidateNested() insurance?: InsuranceInput | null;
  @Field(() => Language, { nullable: true }) @IsOptional() preferredLanguage?: Language | null;
}

@InputType({ description: 'At least one criterion; several narrow the search (all must match).' })
export class PatientSearchInput {
  @Field(() => String, {
    nullable: true,
    description: 'Parts of the first or last name, 2+ characters each; accents and case do not matter.',
  })
  @IsOptional()
  @MaxLength(100)
  text?: string | null;
  @Field(() => String, { nullable: true, description: 'Exact; written as the patient gives it (local numbers are taken as Cameroonian).' })
  @IsOptional()
  @MaxLength(32)
  phone?: string | null;
  @Field(() => String, { nullable: true, description: 'Exact national identity number.' }) @IsOptional() @MaxLength(32) nationalId?:
    string | null;
  @Field(() => LocalDate, { nullable: true }) @IsOptional() dateOfBirth?: string | null;
}
