import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { PageArgs, type Page } from '../../graphql/connection.js';
import { Clinic } from '../clinics/index.js';
import { Doctor, DoctorConnection } from './doctor.types.js';

@Resolver(() => Clinic)
export class ClinicDoctorsResolver {
  @FieldResolver(() => DoctorConnection, { description: "The clinic's doctors in the directory, in name order." })
  doctors(@Root() clinic: Clinic, @Args(() => PageArgs) { first, after }: PageArgs, @Ctx() context: RequestContext): Promise<Page<Doctor>> {
    return context.services.doctors.ofClinic(context, clinic, first, after);
  }
}
