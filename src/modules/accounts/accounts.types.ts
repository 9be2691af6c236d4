// Accounts as the graph shows them: the signed-in viewer, sign-in results, and account inputs.
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { RoleName, STAFF_ROLES } from '../../auth/roles.js';
import { IsEmail, IsIn, IsOptional, Length, MaxLength } from 'class-validator';
import { Language } from '../../graphql/common-types.js';
import { Clinic } from '../clinics/index.js';
import { DateTime, LocalDate } from '../../graphql/scalars.js';
import { IsE164, IsPastLocalDate, NotBlank } from '../../graphql/validators.js';

registerEnumType(RoleName, { name: 'Role' });
export { RoleName };

export enum AccountStatus {
  PENDING_VERIFICATION = 'pending_verification',
  ACTIVE = 'active',
  SUSPENDED = 'suspended',
  DEACTIVATED = 'deactivated',
}
registerEnumType(AccountStatus, { name: 'AccountStatus' });

/** What viewer shows beyond the session's load: the user's name and doctor profile. */
export interface ViewerDetails {
  displayName: string;
  doctorDbId: string | null;
}

@ObjectType({ description: 'The signed-in user.' })
export class Viewer {
  dbId!: string;
  clinicIds!: string[];
  /** Active memberships (a user may hold several roles in one clinic). */
  memberships!: Array<{ clinicId: string; role: RoleName }>;
  /** The user's own patient record, for a patient. */
  patientDbId!: string | null;
  /** Known when sign-in loaded them; else read when asked for (see ViewerResolver). */
  details?: ViewerDetails;

  @Field(() => ID) id!: string;
  @Field() email!: string;
  @Field(() => RoleName) role!: RoleName;
  @Field() emailVerified!: boolean;
  @Field() phoneVerified!: boolean;
}

@ObjectType({ description: 'A clinic the user works in, and as what.' })
export class ClinicMembership {
  @Field(() => Clinic) clinic!: Clinic;
  @Field(() => RoleName) role!: RoleName;
}

@ObjectType()
export class AuthPayload {
  @Field({ description: 'Send as "Authorization: Bearer <token>"; valid for 15 minutes.' }) accessToken!: string;
  @Field(() => DateTime) accessTokenExpiresAt!: Date;
  @Field({ description: 'Exchange once with refreshToken(token:) for a new pair; keep it secret.' }) refreshToken!: string;
  @Field(() => DateTime) refreshTokenExpiresAt!: Date;
  @Field(() => Viewer) viewer!: Viewer;
}

@ObjectType()
export class StaffAccount {
  @Field(() => ID) id!: string;
  @Field() email!: string;
  @Field(() => RoleName) role!: RoleName;
  @Field(() => AccountStatus) status!: AccountStatus;
}

const EMAIL = { message: 'email must be an email address' };

@InputType()
export class RegisterInput {
  @Field() @IsEmail({}, EMAIL) @MaxLength(254) email!: string;
  @Field({ description: 'At least 10 characters; not common; not your name or email.' }) @Length(1, 256) password!: string;
  @Field() @NotBlank() @Length(1, 100) firstName!: string;
  @Field() @NotBlank() @Length(1, 100) lastName!: string;
  @Field(() => LocalDate) @IsPastLocalDate() dateOfBirth!: string;
  @Field(() => Language, { defaultValue: Language.FR }) preferredLanguage!: Language;
}

@InputType()
export class CreateStaffAccountInput {
  @Field() @IsEmail({}, EMAIL) @MaxLength(254) email!: string;
  @Field(() => RoleName, { description: 'Any role but PATIENT.' })
  @IsIn([...STAFF_ROLES], { message: 'role must be a staff role' })
  role!: RoleName;
  @Field(() => ID, { description: 'A clinic you administer.' }) @MaxLength(128) clinicId!: string;
  @Field() @NotBlank() @Length(1, 100) firstName!: string;
  @Field() @NotBlank() @Length(1, 100) lastName!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsE164() phone?: string | null;
}
