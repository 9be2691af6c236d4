import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { PageArgs, type Page } from '../../graphql/connection.js';
import { idOf } from '../../graphql/global-id.js';
import { Clinic } from '../clinics/index.js';
import { Doctor, DoctorConnection, DoctorFilter, Specialty } from './doctor.types.js';

@Resolver(() => Doctor)
export class DoctorsResolver {
  @Query(() => DoctorConnection, { description: 'The doctor directory in name order, filtered.' })
  doctors(
    @Arg('filter', () => DoctorFilter, { nullable: true }) filter: DoctorFilter | null,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Ctx() context: RequestContext,
  ): Promise<Page<Doctor>> {
    return context.services.doctors.directory(filter, first, after);
  }

  @Query(() => [Specialty], { name: 'specialties', description: 'Every specialty, by code (names in English and French).' })
  allSpecialties(@Ctx() context: RequestContext): Promise<Specialty[]> {
    return context.services.doctors.allSpecialties();
  }

  @Query(() => Doctor)
  doctor(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Doctor> {
    return context.services.doctors.get(context, idOf('Doctor', id, ['id']));
  }

  @FieldResolver(() => [Specialty], { description: 'Primary specialty first.' })
  specialties(@Root() doctor: Doctor, @Ctx() context: RequestContext): Promise<Specialty[]> {
    return context.services.doctors.specialties(context, doctor);
  }

  @FieldResolver(() => [Clinic], { description: 'Clinics where the doctor consults.' })
  clinics(@Root() doctor: Doctor, @Ctx() context: RequestContext): Promise<Clinic[]> {
    return context.services.doctors.clinics(context, doctor);
  }
}
