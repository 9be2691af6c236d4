import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { CreateDoctorProfileInput, UpdateDoctorProfileInput } from './doctor-profiles.types.js';
import { Doctor } from './doctor.types.js';

@Resolver(() => Doctor)
export class DoctorProfilesResolver {
  @Mutation(() => Doctor, {
    description:
      'The profile of a doctor account of your clinic (createStaffAccount with role DOCTOR); the doctor is listed once their account is active.',
  })
  createDoctorProfile(
    @Arg('input', () => CreateDoctorProfileInput) input: CreateDoctorProfileInput,
    @Ctx() context: RequestContext,
  ): Promise<Doctor> {
    return context.services.doctorProfiles.create(context, input);
  }

  @Mutation(() => Doctor, { description: 'Changes the fields sent of the profile of a doctor of your clinic.' })
  updateDoctorProfile(
    @Arg('doctorId', () => ID) doctorId: string,
    @Arg('input', () => UpdateDoctorProfileInput) input: UpdateDoctorProfileInput,
    @Ctx() context: RequestContext,
  ): Promise<Doctor> {
    return context.services.doctorProfiles.update(context, doctorId, input);
  }
}
