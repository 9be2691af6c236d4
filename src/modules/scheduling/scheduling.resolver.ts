import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { PageArgs, type Page } from '../../graphql/connection.js';
import { DateTime, LocalDate } from '../../graphql/scalars.js';
import { Clinic } from '../clinics/index.js';
import { Doctor } from '../doctors/index.js';
import { EncounterInput } from '../encounters/index.js';
import { Patient } from '../patients/index.js';
import {
  Appointment,
  AppointmentConnection,
  AppointmentStatus,
  AppointmentType,
  AvailabilityExceptionInput,
  JoinInfo,
  BookAppointmentInput,
  Slot,
  SlotSearchInput,
  WeeklyWindowInput,
} from './scheduling.types.js';

@Resolver(() => Slot)
export class SlotResolver {
  @Query(() => [Slot], {
    description: 'Free slots for an appointment type: for one doctor, a specialty at a clinic, or near a point; at most 31 days.',
  })
  availableSlots(@Arg('input', () => SlotSearchInput) input: SlotSearchInput, @Ctx() context: RequestContext): Promise<Slot[]> {
    return context.services.slots.available(input);
  }

  @FieldResolver(() => Doctor, { nullable: true })
  doctor(@Root() slot: Slot, @Ctx() context: RequestContext): Promise<Doctor | null> {
    return context.loaders.doctorById.load(slot.doctorDbId);
  }

  @FieldResolver(() => Clinic, { nullable: true })
  clinic(@Root() slot: Slot, @Ctx() context: RequestContext): Promise<Clinic | null> {
    return context.loaders.clinicById.load(slot.clinicDbId);
  }
}

@Resolver(() => Appointment)
export class AppointmentResolver {
  @Mutation(() => Appointment, {
    description:
      'Books a free slot (for yourself, or at the front desk for a patient of your clinic). Retry with the same idempotencyKey to get the same appointment.',
  })
  bookAppointment(
    @Arg('input', () => BookAppointmentInput) input: BookAppointmentInput,
    @Ctx() context: RequestContext,
  ): Promise<Appointment> {
    return context.services.booking.book(context, input);
  }

  @Mutation(() => Appointment)
  confirmAppointment(@Arg('appointmentId', () => ID) id: string, @Ctx() context: RequestContext): Promise<Appointment> {
    return context.services.appointmentSteps.step(context, id, 'confirm');
  }

  @Mutation(() => Appointment)
  checkInAppointment(@Arg('appointmentId', () => ID) id: string, @Ctx() context: RequestContext): Promise<Appointment> {
    return context.services.appointmentSteps.step(context, id, 'checkIn');
  }

  @Mutation(() => Appointment)
  startConsultation(@Arg('appointmentId', () => ID) id: string, @Ctx() context: RequestContext): Promise<Appointment> {
    return context.services.appointmentSteps.step(context, id, 'startConsultation');
  }

  @Mutation(() => Appointment, { description: "Completes the visit with its consultation record (the appointment's doctor)." })
  completeAppointment(
    @Arg('appointmentId', () => ID) id: string,
    @Arg('encounter', () => EncounterInput) encounter: EncounterInput,
    @Ctx() context: RequestContext,
  ): Promise<Appointment> {
    return context.services.appointmentSteps.step(context, id, 'complete', { encounter });
  }

  @Mutation(() => Appointment)
  cancelAppointment(
    @Arg('appointmentId', () => ID) id: string,
    @Arg('reason') reason: string,
    @Ctx() context: RequestContext,
  ): Promise<Appointment> {
    return context.services.appointmentSteps.step(context, id, 'cancel', { reason });
  }

  @Mutation(() => Appointment)
  markNoShow(@Arg('appointmentId', () => ID) id: string, @Ctx() context: RequestContext): Promise<Appointment> {
    return context.services.appointmentSteps.step(context, id, 'markNoShow');
  }

  @Mutation(() => Appointment, { description: 'Moves a booked or confirmed appointment to another free slot (it needs confirming again).' })
  rescheduleAppointment(
    @Arg('appointmentId', () => ID) id: string,
    @Arg('startsAt', () => DateTime) startsAt: Date,
    @Ctx() context: RequestContext,
  ): Promise<Appointment> {
    return context.services.appointmentSteps.reschedule(context, id, startsAt);
  }

  @Mutation(() => Boolean, { description: "Replaces a doctor's weekly hours at a clinic (the doctor, or an admin of the clinic)." })
  setWeeklyAvailability(
    @Arg('doctorId', () => ID) doctorId: string,
    @Arg('clinicId', () => ID) clinicId: string,
    @Arg('windows', () => [WeeklyWindowInput]) windows: WeeklyWindowInput[],
    @Ctx() context: RequestContext,
  ): Promise<boolean> {
    return context.services.availability.setWeekly(context, doctorId, clinicId, windows);
  }

  @Mutation(() => Boolean, { description: 'Time off, or extra hours at a clinic, for a doctor.' })
  addAvailabilityException(
    @Arg('doctorId', () => ID) doctorId: string,
    @Arg('input', () => AvailabilityExceptionInput) input: AvailabilityExceptionInput,
    @Ctx() context: RequestContext,
  ): Promise<boolean> {
    return context.services.availability.addException(context, doctorId, input);
  }

  @Query(() => AppointmentConnection, { description: "A doctor's appointments on a date of the clinic's calendar." })
  doctorSchedule(
    @Arg('doctorId', () => ID) doctorId: string,
    @Arg('date', () => LocalDate) date: string,
    @Arg('clinicId', () => ID, { nullable: true }) clinicId: string | null,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Ctx() context: RequestContext,
  ): Promise<Page<Appointment>> {
    return context.services.appointmentViews.doctorSchedule(context, doctorId, date, clinicId, first, after);
  }

  @Query(() => AppointmentConnection, {
    description:
      "Your appointments, upcoming (soonest first) or past (latest first): a patient's own, a doctor's as the doctor, other staff their clinics'.",
  })
  myAppointments(
    @Arg('upcoming', { defaultValue: true }) upcoming: boolean,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Ctx() context: RequestContext,
  ): Promise<Page<Appointment>> {
    return context.services.appointmentViews.myAppointments(context, upcoming, first, after);
  }

  @Query(() => AppointmentConnection, {
    description: "A clinic's appointments in a time range (at most 31 days), optionally of one status.",
  })
  clinicAppointments(
    @Arg('clinicId', () => ID) clinicId: string,
    @Arg('from', () => DateTime) from: Date,
    @Arg('to', () => DateTime) to: Date,
    @Arg('status', () => AppointmentStatus, { nullable: true }) status: AppointmentStatus | null,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Ctx() context: RequestContext,
  ): Promise<Page<Appointment>> {
    return context.services.appointmentViews.clinicAppointments(context, clinicId, from, to, status, first, after);
  }

  @FieldResolver(() => Patient, { nullable: true, description: 'Shown as the access rules allow.' })
  patient(@Root() appointment: Appointment, @Ctx() context: RequestContext): Promise<Patient | null> {
    return context.loaders.patientById.load(appointment.patientDbId);
  }

  @FieldResolver(() => Doctor, { nullable: true })
  doctor(@Root() appointment: Appointment, @Ctx() context: RequestContext): Promise<Doctor | null> {
    return context.loaders.doctorById.load(appointment.doctorDbId);
  }

  @FieldResolver(() => Clinic, { nullable: true })
  clinic(@Root() appointment: Appointment, @Ctx() context: RequestContext): Promise<Clinic | null> {
    return context.loaders.clinicById.load(appointment.clinicDbId);
  }

  @FieldResolver(() => JoinInfo, {
    nullable: true,
    description:
      "VIDEO and PHONE appointments: how to join (for the patient and the clinic's staff); null in person and once the visit is over or cancelled.",
  })
  joinInfo(@Root() appointment: Appointment, @Ctx() context: RequestContext): Promise<JoinInfo | null> {
    return context.services.appointmentViews.joinInfo(context, appointment);
  }

  @FieldResolver(() => AppointmentType, { nullable: true })
  type(@Root() appointment: Appointment, @Ctx() context: RequestContext): Promise<AppointmentType | null> {
    return context.loaders.appointmentTypeById.load(appointment.typeDbId);
  }
}
