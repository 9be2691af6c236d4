import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { idOf } from '../../graphql/global-id.js';
import { Patient, RegisterPatientInput } from './patient.types.js';

@Resolver(() => Patient)
export class PatientsResolver {
  @Query(() => Patient)
  patient(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Patient> {
    return context.services.patients.get(context, idOf('Patient', id, ['id']));
  }

  @Mutation(() => Patient, { description: 'Registers a patient (front desk); the person sets a password later.' })
  registerPatient(@Arg('input', () => RegisterPatientInput) input: RegisterPatientInput, @Ctx() context: RequestContext): Promise<Patient> {
    return context.services.patients.register(context, input);
  }
}
