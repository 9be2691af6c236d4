// Scheduling as the graph shows it: appointment types, availability, free slots, appointments.
import { Arg, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsInt, IsOptional, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Language, Money } from '../../graphql/common-types.js';
import { Connection } from '../../graphql/connection.js';
import { Node } from '../../graphql/node.js';
import { DateTime, LocalDate } from '../../graphql/scalars.js';
import { IsClockTime, IsSpecialtyCode } from '../../graphql/validators.js';

/** The widest range, in days, that a slot search or a clinic's appointment list may cover. */
export const MAX_SEARCH_DAYS = 31;

export enum ConsultationMode {
  IN_PERSON = 'in_person',
  VIDEO = 'video',
  PHONE = 'phone',
  CHAT = 'chat',
}
registerEnumType(ConsultationMode, { name: 'ConsultationMode' });

export enum AppointmentStatus {
  BOOKED = 'booked',
  CONFIRMED = 'confirmed',
  CHECKED_IN = 'checked_in',
  IN_CONSULTATION = 'in_consultation',
  COMPLETED = 'completed',
  CANCELLED = 'cancelled',
  NO_SHOW = 'no_show',
}
registerEnumType(AppointmentStatus, { name: 'AppointmentStatus' });

/** A stored status as the API names it (CHECKED_IN, not checked_in): messages and extensions speak the API's language. */
export function statusName(status: string): keyof typeof AppointmentStatus {
  const name = (Object.keys(AppointmentStatus) as Array<keyof typeof AppointmentStatus>).find((key) => AppointmentStatus[key] === status);
  if (!name) throw new Error('an appointment status the API does not know');
  return name;
}

export enum AvailabilityExceptionKind {
  TIME_OFF = 'time_off',
  EXTRA_HOURS = 'extra_hours',
}
registerEnumType(AvailabilityExceptionKind, { name: 'AvailabilityExceptionKind' });

@ObjectType({ implements: Node, description: "What can be booked: at every clinic, or a clinic's own." })
export class AppointmentType implements Node {
  dbId!: string;
  /** Null: offered at every clinic. */
  clinicDbId!: string | null;
  nameEn!: string;
  nameFr!: string;

  @Field(() => ID) id!: string;
  @Field() code!: string;
  @Field(() => Int) durationMinutes!: number;
  @Field(() => Money) price!: Money;
  @Field(() => [ConsultationMode], { description: 'How it may happen; the first is the default when booking.' }) modes!: ConsultationMode[];
  @Field(() => ConsultationMode, { deprecationReason: 'Use modes (its first item is this one).' }) mode!: ConsultationMode;
  @Field({ description: 'False once deactivated: no longer bookable.' }) active!: boolean;

  @Field({ description: "The type's name in the given language." })
  name(@Arg('language', () => Language, { defaultValue: Language.EN }) language: Language): string {
    return language === Language.FR ? this.nameFr : this.nameEn;
  }
}

@ObjectType({ description: 'What the patient needs to join a video or phone appointment.' })
export class JoinInfo {
  @Field(() => ConsultationMode) mode!: ConsultationMode;
  @Field(() => String, { nullable: true, description: 'VIDEO: the meeting link (for this appointment only).' }) url!: string | null;
  @Field(() => String, { nullable: true, description: "PHONE: the number to call (E.164), the clinic's." }) phone!: string | null;
}

@ObjectType({ description: "From and until, as HH:MM of the clinic's local time." })
export class ClockRange {
  @Field() startsAt!: string;
  @Field() endsAt!: string;
}

@ObjectType({
  description: "A doctor's weekly hours on one day at one clinic, in its time zone; an end not after the start is the next day.",
})
export class WeeklyWindow {
  clinicDbId!: string;

  @Field(() => Int, { description: '0 = Sunday ... 6 = Saturday.' }) dayOfWeek!: number;
  @Field({ description: 'HH:MM' }) startsAt!: string;
  @Field({ description: 'HH:MM' }) endsAt!: string;
  @Field(() => [ClockRange]) breaks!: ClockRange[];
  @Field(() => LocalDate, { nullable: true }) validFrom!: string | null;
  @Field(() => LocalDate, { nullable: true }) validUntil!: string | null;
}

@ObjectType({ description: 'Time off (everywhere), or extra hours at a clinic.' })
export class AvailabilityException {
  clinicDbId!: string | null;

  @Field(() => AvailabilityExceptionKind) kind!: AvailabilityExceptionKind;
  @Field(() => DateTime) startsAt!: Date;
  @Field(() => DateTime) endsAt!: Date;
}

@ObjectType({ description: 'A free time a doctor can be booked, at a clinic.' })
export class Slot {
  doctorDbId!: string;
  clinicDbId!: string;

  @Field(() => DateTime) startsAt!: Date;
  @Field(() => DateTime) endsAt!: Date;
}

@ObjectType({ implements: Node })
export class Appointment implements Node {
  dbId!: string;
  patientDbId!: string;
  doctorDbId!: string;
  clinicDbId!: string;
  typeDbId!: string;
  /** The status as the API names it (CHECKED_IN), for messages of modules that cannot import this one. */
  statusName!: keyof typeof AppointmentStatus;

  @Field(() => ID) id!: string;
  @Field(() => DateTime) startsAt!: Date;
  @Field(() => DateTime) endsAt!: Date;
  @Field(() => AppointmentStatus) status!: AppointmentStatus;
  @Field(() => ConsultationMode) mode!: ConsultationMode;
  @Field(() => String, { nullable: true }) cancellationReason!: string | null;
  /** The video room's link, for joinInfo. */
  meetingUrl!: string | null;
}

export const AppointmentConnection = Connection(Appointment, 'Appointment');

@InputType()
export class NearInput {
  @Field(() => Float) @Min(-90) @Max(90) latitude!: number;
  @Field(() => Float) @Min(-180) @Max(180) longitude!: number;
  @Field(() => Float) @Min(0.1) @Max(200) radiusKm!: number;
}

@InputType({ description: 'Where to look: one doctor, a specialty at a clinic, or clinics near a point.' })
export class SlotSearchInput {
  @Field(() => ID, { nullable: true }) @IsOptional() @MaxLength(128) doctorId?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsSpecialtyCode() specialty?: string | null;
  @Field(() => ID, { nullable: true }) @IsOptional() @MaxLength(128) clinicId?: string | null;
  @Field(() => NearInput, { nullable: true }) @IsOptional() @ValidateNested() near?: NearInput | null;
  @Field(() => DateTime) from!: Date;
  @Field(() => DateTime, { description: 'At most 31 days after `from`.' }) to!: Date;
  @Field(() => ID) @MaxLength(128) appointmentTypeId!: string;
}

@InputType()
export class BookAppointmentInput {
  @Field(() => ID) @MaxLength(128) doctorId!: string;
  @Field(() => ID) @MaxLength(128) clinicId!: string;
  @Field(() => ID) @MaxLength(128) appointmentTypeId!: string;
  @Field(() => DateTime, { description: 'A slot start from availableSlots.' }) startsAt!: Date;
  @Field(() => ConsultationMode, { nullable: true, description: "One of the type's modes; its first when omitted." })
  @IsOptional()
  mode?: ConsultationMode | null;
  @Field(() => ID, { nullable: true, description: 'Whom the appointment is for (front desk); omit to book for yourself.' })
  @IsOptional()
  @MaxLength(128)
  patientId?: string | null;
  @Field(() => String, { nullable: true, description: 'Send the same key when retrying: you get the same appointment back.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{8,128}$/, { message: 'idempotencyKey must be 8 to 128 letters, digits or . _ : -' })
  idempotencyKey?: string | null;
}

@InputType()
export class BreakInput {
  @Field() @IsClockTime() startsAt!: string;
  @Field() @IsClockTime() endsAt!: string;
}

@InputType()
export class WeeklyWindowInput {
  @Field(() => Int, { description: '0 = Sunday ... 6 = Saturday.' }) @IsInt() @Min(0) @Max(6) dayOfWeek!: number;
  @Field({ description: "HH:MM, the clinic's local time." }) @IsClockTime() startsAt!: string;
  @Field({ description: 'HH:MM; not after startsAt means the next day.' }) @IsClockTime() endsAt!: string;
  @Field(() => [BreakInput], { defaultValue: [] }) @ValidateNested({ each: true }) breaks!: BreakInput[];
  @Field(() => LocalDate, { nullable: true }) @IsOptional() validFrom?: string | null;
  @Field(() => LocalDate, { nullable: true }) @IsOptional() validUntil?: string | null;
}

@InputType()
export class AvailabilityExceptionInput {
  @Field(() => AvailabilityExceptionKind) kind!: AvailabilityExceptionKind;
  @Field(() => DateTime) startsAt!: Date;
  @Field(() => DateTime) endsAt!: Date;
  @Field(() => ID, { nullable: true, description: 'Required for extra hours.' }) @IsOptional() @MaxLength(128) clinicId?: string | null;
}
