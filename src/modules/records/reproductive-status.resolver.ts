import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { MedicalHistory } from './medical-history.types.js';
import { LactationStatusInput, PregnancyStatusInput } from './reproductive-status.types.js';

@Resolver()
export class ReproductiveStatusResolver {
  @Mutation(() => MedicalHistory, {
    description: "Records whether the patient is pregnant: replaces the current status, which is kept in the status's history.",
  })
  recordPregnancyStatus(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('input', () => PregnancyStatusInput) input: PregnancyStatusInput,
    @Ctx() context: RequestContext,
  ): Promise<MedicalHistory> {
    return context.services.reproductiveStatus.recordPregnancy(context, patientId, input);
  }

  @Mutation(() => MedicalHistory, {
    description: "Records whether the patient is breastfeeding: replaces the current status, which is kept in the status's history.",
  })
  recordLactationStatus(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('input', () => LactationStatusInput) input: LactationStatusInput,
    @Ctx() context: RequestContext,
  ): Promise<MedicalHistory> {
    return context.services.reproductiveStatus.recordLactation(context, patientId, input);
  }
}
