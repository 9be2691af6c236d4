// Prescriptions as the graph shows them, and the inputs that write them.
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, IsOptional, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Connection } from '../../graphql/connection.js';
import { Node } from '../../graphql/node.js';
import { DateTime, LocalDate } from '../../graphql/scalars.js';
import { NotBlank } from '../../graphql/validators.js';

export enum PrescriptionStatus {
  DRAFT = 'draft',
  ACTIVE = 'active',
  ON_HOLD = 'on_hold',
  COMPLETED = 'completed',
  CANCELLED = 'cancelled',
  EXPIRED = 'expired',
  ENTERED_IN_ERROR = 'entered_in_error',
}
registerEnumType(PrescriptionStatus, {
  name: 'PrescriptionStatus',
  description:
    'DRAFT (editable) -> ACTIVE (signed) <-> ON_HOLD; ACTIVE -> COMPLETED (dispensed), CANCELLED, EXPIRED (past validUntil, seen as such at once), ENTERED_IN_ERROR.',
});

export enum MedicationFrequency {
  QD = 'QD',
  BID = 'BID',
  TID = 'TID',
  QID = 'QID',
  Q4H = 'Q4H',
  Q6H = 'Q6H',
  Q8H = 'Q8H',
  Q12H = 'Q12H',
  QHS = 'QHS',
  QW = 'QW',
  STAT = 'STAT',
  PRN = 'PRN',
}
registerEnumType(MedicationFrequency, {
  name: 'MedicationFrequency',
  description:
    'QD once a day, BID twice, TID three times, QID four times, Q4H/Q6H/Q8H/Q12H every 4/6/8/12 hours, QHS at bedtime, QW once a week, STAT once now, PRN when needed.',
});

export enum MedicationRoute {
  ORAL = 'oral',
  IV = 'iv',
  IM = 'im',
  SC = 'sc',
  TOPICAL = 'topical',
  INHALED = 'inhaled',
  RECTAL = 'rectal',
  VAGINAL = 'vaginal',
  OPHTHALMIC = 'ophthalmic',
  OTIC = 'otic',
  NASAL = 'nasal',
  SUBLINGUAL = 'sublingual',
  TRANSDERMAL = 'transdermal',
}
registerEnumType(MedicationRoute, { name: 'MedicationRoute' });

export enum SafetyFindingKind {
  ALLERGY = 'allergy',
  INTERACTION = 'interaction',
  DUPLICATE_THERAPY = 'duplicate_therapy',
  CONTRAINDICATION = 'contraindication',
  PREGNANCY = 'pregnancy',
  LACTATION = 'lactation',
  AGE = 'age',
  UNMATCHED_ALLERGY = 'unmatched_allergy',
}
registerEnumType(SafetyFindingKind, {
  name: 'SafetyFindingKind',
  description: 'UNMATCHED_ALLERGY: a recorded allergy the knowledge base cannot read, to be checked by the prescriber.',
});

export enum SafetyFindingSeverity {
  HIGH = 'high',
  MODERATE = 'moderate',
  LOW = 'low',
}
registerEnumType(SafetyFindingSeverity, {
  name: 'SafetyFindingSeverity',
  description: 'HIGH blocks signing unless overridden with a reason; MODERATE needs an acknowledgement; LOW informs.',
});

export enum FindingResolutionKind {
  OVERRIDDEN = 'overridden',
  ACKNOWLEDGED = 'acknowledged',
}
registerEnumType(FindingResolutionKind, { name: 'FindingResolutionKind' });

export enum PrescriptionVerificationOutcome {
  VALID = 'valid',
  TAMPERED = 'tampered',
  UNSIGNED = 'unsigned',
  UNKNOWN_KEY = 'unknown_key',
}
registerEnumType(PrescriptionVerificationOutcome, {
  name: 'PrescriptionVerificationOutcome',
  description:
    'VALID: the stored prescription is exactly what was signed. TAMPERED: it changed after signing. UNSIGNED: a draft, or cancelled unsigned.',
});

@ObjectType({ description: 'How the prescriber resolved a finding before signing.' })
export class FindingResolution {
  resolvedByDbId!: string;
  @Field(() => FindingResolutionKind) kind!: FindingResolutionKind;
  @Field(() => DateTime) at!: Date;
  @Field(() => String, { nullable: true, description: 'Why the prescriber went ahead (an override).' }) reason!: string | null;
}

@ObjectType({ description: 'What a safety check found (FHIR DetectedIssue), and how it was resolved.' })
export class SafetyFinding {
  dbId!: string;
  prescriptionDbId!: string;
  messageEn!: string;
  messageFr!: string;
  @Field(() => ID) id!: string;
  @Field(() => SafetyFindingKind) kind!: SafetyFindingKind;
  @Field(() => SafetyFindingSeverity) severity!: SafetyFindingSeverity;
  @Field(() => [Int], { description: "The positions of the prescription's items implicated." }) itemPositions!: number[];
  @Field(() => DateTime) detectedAt!: Date;
  @Field(() => FindingResolution, { nullable: true }) resolution!: FindingResolution | null;
}

@ObjectType()
export class Dose {
  @Field({ description: 'Amount per administration, e.g. 1 or 2.5.' }) amount!: number;
  @Field({ description: 'e.g. tablet, mL, mg, IU, puff.' }) unit!: string;
}

@ObjectType()
export class PrescriptionItem {
  medicineDbId!: string;
  @Field(() => ID) id!: string;
  @Field(() => Int) position!: number;
  @Field({ description: 'The medicine as prescribed (kept even if the catalogue changes).' }) medicationName!: string;
  @Field() strength!: string;
  @Field() form!: string;
  @Field(() => MedicationRoute) route!: MedicationRoute;
  @Field(() => Dose) dose!: Dose;
  @Field(() => MedicationFrequency) frequency!: MedicationFrequency;
  @Field(() => Int) durationDays!: number;
  @Field(() => Int, { description: 'Units to dispense (tablets, vials, bottles...).' }) quantity!: number;
  @Field(() => Int) refillsAllowed!: number;
  @Field() substitutionAllowed!: boolean;
  @Field(() => String, { nullable: true, description: "In the patient's language." }) instructions!: string | null;
}

@ObjectType({ description: 'The signature over the canonical form of the prescription.' })
export class PrescriptionSignature {
  @Field() algorithm!: string;
  @Field({ description: 'Which key signed (keys rotate).' }) keyId!: string;
  @Field({ description: 'base64url.' }) value!: string;
  @Field(() => DateTime) signedAt!: Date;
}

@ObjectType({ implements: Node })
export class Prescription implements Node {
  dbId!: string;
  patientDbId!: string;
  clinicDbId!: string;
  prescriberDbId!: string;
  /** The prescriber's doctor profile (the Doctor node), when they have one. */
  prescriberDoctorDbId!: string | null;
  appointmentDbId!: string | null;
  replacesDbId!: string | null;
  replacedByDbId!: string | null;
  /** The status as stored (the schema shows the effective one: an active one past its date is EXPIRED). */
  storedStatus!: PrescriptionStatus;
  @Field(() => ID) id!: string;
  @Field({ description: 'RX-YYYY-NNNNNN, unique in its clinic, without gaps.' }) number!: string;
  @Field(() => PrescriptionStatus) status!: PrescriptionStatus;
  @Field(() => [String], { description: 'ICD-10 codes.' }) diagnoses!: string[];
  @Field(() => String, { nullable: true }) notes!: string | null;
  @Field(() => LocalDate, { nullable: true, description: 'The day it was signed.' }) issuedOn!: string | null;
  @Field(() => LocalDate, { nullable: true, description: 'The last day it may be dispensed.' }) validUntil!: string | null;
  @Field(() => Int) validityDays!: number;
  @Field(() => [PrescriptionItem]) items!: PrescriptionItem[];
  @Field(() => [SafetyFinding], { description: 'Most severe first.' }) safetyFindings!: SafetyFinding[];
  @Field(() => DateTime, { nullable: true, description: 'When the safety checks last ran.' }) checkedAt!: Date | null;
  @Field(() => PrescriptionSignature, { nullable: true }) signature!: PrescriptionSignature | null;
  @Field(() => String, { nullable: true, description: 'Why it was put on hold, cancelled or marked in error.' }) statusReason!:
    string | null;
  @Field(() => DateTime) createdAt!: Date;
  @Field(() => DateTime) updatedAt!: Date;
}

export const PrescriptionConnection = Connection(Prescription, 'Prescription');
export type PrescriptionConnection = InstanceType<typeof PrescriptionConnection>;

@ObjectType({ description: "The check of a prescription's signature." })
export class PrescriptionVerification {
  prescriptionDbId!: string;
  patientDbId!: string;
  @Field() valid!: boolean;
  @Field(() => PrescriptionVerificationOutcome) outcome!: PrescriptionVerificationOutcome;
  @Field() number!: string;
  @Field(() => PrescriptionStatus) status!: PrescriptionStatus;
  @Field(() => DateTime, { nullable: true }) signedAt!: Date | null;
  @Field(() => String, { nullable: true }) keyId!: string | null;
  @Field(() => LocalDate, { nullable: true }) validUntil!: string | null;
  @Field({ description: 'Valid, active and not expired: a pharmacy may dispense it.' }) dispensable!: boolean;
}

@InputType()
export class DoseInput {
  @Field() @Min(0.001) @Max(100000) amount!: number;
  @Field() @NotBlank() @Length(1, 20) unit!: string;
}

@InputType()
export class PrescriptionItemInput {
  @Field(() => ID, { description: 'A Medication id from medications(search:).' }) medicationId!: string;
  @Field({ description: 'One of the medication’s strengths.' }) @NotBlank() @Length(1, 60) strength!: string;
  @Field({ description: 'One of the medication’s forms.' }) @NotBlank() @Length(1, 40) form!: string;
  @Field(() => MedicationRoute) route!: MedicationRoute;
  @Field(() => DoseInput) @ValidateNested() dose!: DoseInput;
  @Field(() => MedicationFrequency) frequency!: MedicationFrequency;
  @Field(() => Int) @Min(1) @Max(365) durationDays!: number;
  @Field(() => Int) @Min(1) @Max(10000) quantity!: number;
  @Field(() => Int, { defaultValue: 0, description: '0 to 5; 0 for a controlled medicine.' }) @Min(0) @Max(5) refillsAllowed!: number;
  @Field({ defaultValue: true }) substitutionAllowed!: boolean;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(500) instructions?: string | null;
}

@InputType()
export class PrescriptionContentInput {
  @Field(() => [String], { description: 'ICD-10 codes, e.g. B50.9 (each checked by the service, at its index).' })
  @ArrayMaxSize(10)
  diagnoses!: string[];
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(2000) notes?: string | null;
  @Field(() => Int, { defaultValue: 30, description: 'Days it stays valid after signing (1 to 365).' })
  @Min(1)
  @Max(365)
  validityDays!: number;
  @Field(() => [PrescriptionItemInput]) @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) items!: PrescriptionItemInput[];
}

@InputType()
export class NewPrescriptionInput extends PrescriptionContentInput {
  @Field(() => ID) patientId!: string;
  @Field(() => ID, { nullable: true, description: 'The visit it comes from (its clinic is the prescription’s).' }) appointmentId?:
    string | null;
  @Field(() => ID, { nullable: true, description: 'Without an appointment: the clinic it is written at (one of yours).' }) clinicId?:
    string | null;
}
