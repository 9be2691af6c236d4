// Patients as the graph shows them, and registration.
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { IsEmail, IsOptional, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
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
  @Field(() => String, { nullable: true, description: 'Contact details: the patient, their care team and their clinic\'s admins.' }) email!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => String, { nullable: true, description: 'National identity number.' }) nationalId!: string | null;
  @Field(() => Address, { nullable: true }) address!: Address | null;
  @Field(() => EmergencyContact, { nullable: true }) emergencyContact!: EmergencyContact | null;
  @Field(() => DateTime) registeredAt!: Date;
}

@InputType()
export class EmergencyContactInput {
  @Field() @NotBlank() @Length(1, 200) name!: string;
  @Field() @NotBlank() @Length(1, 60) relationship!: string;
  @Field() @IsE164() phone!: string;
}

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
  @Matches(/^[A-Z0-9-]{4,32}$/, { message: 'nationalId must be 4 to 32 capital letters, digits or dashes' })
  nationalId?: string | null;
  @Field(() => AddressInput, { nullable: true }) @IsOptional() @ValidateNested() address?: AddressInput | null;
  @Field(() => EmergencyContactInput, { nullable: true }) @IsOptional() @ValidateNested() emergencyContact?: EmergencyContactInput | null;
  @Field(() => ID, { nullable: true, description: 'The clinic registering the patient; needed only when you work in several.' })
  @IsOptional()
  @MaxLength(128)
  clinicId?: string | null;
}
