import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { Clinic } from '../clinics/index.js';
import { CreateAppointmentTypeInput, UpdateAppointmentTypeInput } from './appointment-types.types.js';
import { AppointmentType } from './scheduling.types.js';

@Resolver(() => AppointmentType)
export class AppointmentTypesResolver {
  @Query(() => [AppointmentType], {
    description: "What can be booked: every clinic's types, and a clinic's own when clinicId is given (else every clinic's own too).",
  })
  appointmentTypes(
    @Arg('clinicId', () => ID, { nullable: true }) clinicId: string | null,
    @Ctx() context: RequestContext,
  ): Promise<AppointmentType[]> {
    return context.services.appointmentTypes.bookable(clinicId);
  }

  @Mutation(() => AppointmentType, { description: 'A new appointment type of a clinic you administer.' })
  createAppointmentType(
    @Arg('input', () => CreateAppointmentTypeInput) input: CreateAppointmentTypeInput,
    @Ctx() context: RequestContext,
  ): Promise<AppointmentType> {
    return context.services.appointmentTypes.create(context, input);
  }

  @Mutation(() => AppointmentType, { description: "Changes the fields sent of your clinic's appointment type." })
  updateAppointmentType(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateAppointmentTypeInput) input: UpdateAppointmentTypeInput,
    @Ctx() context: RequestContext,
  ): Promise<AppointmentType> {
    return context.services.appointmentTypes.update(context, id, input);
  }

  @Mutation(() => AppointmentType, { description: "Stops offering your clinic's appointment type (booked appointments keep it)." })
  deactivateAppointmentType(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<AppointmentType> {
    return context.services.appointmentTypes.deactivate(context, id);
  }

  @FieldResolver(() => Clinic, { nullable: true, description: 'The clinic offering it; null when every clinic does.' })
  clinic(@Root() type: AppointmentType, @Ctx() context: RequestContext): Promise<Clinic | null> {
    return type.clinicDbId ? context.loaders.clinicById.load(type.clinicDbId) : Promise.resolve(null);
  }
}
