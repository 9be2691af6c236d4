import { Arg, Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { idOf } from '../../graphql/global-id.js';
import { DateTime } from '../../graphql/scalars.js';
import { Clinic } from '../clinics/index.js';
import { Doctor } from '../doctors/index.js';
import { AvailabilityException, WeeklyWindow } from './scheduling.types.js';

@Resolver(() => Doctor)
export class DoctorAvailabilityResolver {
  @FieldResolver(() => [WeeklyWindow], {
    nullable: true,
    description:
      "The doctor's weekly hours (the doctor, and the staff of their clinics: at those clinics; null with FORBIDDEN for anyone else).",
  })
  weeklyAvailability(
    @Root() doctor: Doctor,
    @Arg('clinicId', () => ID, { nullable: true }) clinicId: string | null,
    @Ctx() context: RequestContext,
  ): Promise<WeeklyWindow[]> {
    return context.services.availabilityView.weekly(context, doctor, clinicId ? idOf('Clinic', clinicId, ['clinicId']) : null);
  }

  @FieldResolver(() => [AvailabilityException], {
    nullable: true,
    description: 'Time off and extra hours overlapping [from, to), at most 366 days (the doctor, and the staff of their clinics).',
  })
  availabilityExceptions(
    @Root() doctor: Doctor,
    @Arg('from', () => DateTime) from: Date,
    @Arg('to', () => DateTime) to: Date,
    @Ctx() context: RequestContext,
  ): Promise<AvailabilityException[]> {
    return context.services.availabilityView.exceptions(context, doctor, from, to);
  }
}

@Resolver(() => WeeklyWindow)
export class WeeklyWindowResolver {
  @FieldResolver(() => Clinic, { nullable: true })
  clinic(@Root() window: WeeklyWindow, @Ctx() context: RequestContext): Promise<Clinic | null> {
    return context.loaders.clinicById.load(window.clinicDbId);
  }
}

@Resolver(() => AvailabilityException)
export class AvailabilityExceptionResolver {
  @FieldResolver(() => Clinic, { nullable: true, description: 'Where the extra hours are; null for time off.' })
  clinic(@Root() exception: AvailabilityException, @Ctx() context: RequestContext): Promise<Clinic | null> {
    return exception.clinicDbId ? context.loaders.clinicById.load(exception.clinicDbId) : Promise.resolve(null);
  }
}
