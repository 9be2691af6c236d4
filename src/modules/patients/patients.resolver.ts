import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { PageArgs, type Page } from '../../graphql/connection.js';
import { idOf } from '../../graphql/global-id.js';
import { Patient, PatientConnection, PatientSearchInput, RegisterPatientInput, UpdatePatientInput } from './patient.types.js';

@Resolver(() => Patient)
export class PatientsResolver {
  @Query(() => Patient)
  patient(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Patient> {
    return context.services.patients.get(context, idOf('Patient', id, ['id']));
  }

  @Query(() => PatientConnection, {
    description: "The front desk's search among a clinic's patients, in name order (each search is audited).",
  })
  patients(
    @Arg('search', () => PatientSearchInput) search: PatientSearchInput,
    @Arg('clinicId', () => ID, { nullable: true, description: 'Needed only when you work in several clinics.' }) clinicId: string | null,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Ctx() context: RequestContext,
  ): Promise<Page<Patient>> {
    return context.services.patients.search(context, search, clinicId, first, after);
  }

  @Mutation(() => Patient, { description: 'Registers a patient (front desk); the person sets a password later.' })
  registerPatient(@Arg('input', () => RegisterPatientInput) input: RegisterPatientInput, @Ctx() context: RequestContext): Promise<Patient> {
    return context.services.patients.register(context, input);
  }

  @Mutation(() => Patient, { description: "Changes contact details, insurance or language (the patient, or their clinic's front desk)." })
  updatePatient(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdatePatientInput) input: UpdatePatientInput,
    @Ctx() context: RequestContext,
  ): Promise<Patient> {
    return context.services.patients.update(context, id, input);
  }
}
