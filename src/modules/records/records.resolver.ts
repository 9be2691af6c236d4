import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { Patient } from '../patients/index.js';
import {
  Allergy, AllergyInput, BloodType, ChronicCondition, ChronicConditionInput, FamilyHistoryEntry, FamilyHistoryInput,
  Immunization, ImmunizationInput, MedicalHistory, SocialHistory, SocialHistoryInput, Surgery, SurgeryInput,
} from './medical-history.types.js';

@Resolver(() => Patient)
export class MedicalHistoryResolver {
  @FieldResolver(() => MedicalHistory, { nullable: true, description: 'Clinical (null when the caller may not see it): allergies, conditions, immunizations, surgeries, family and social history.' })
  medicalHistory(@Root() patient: Patient, @Ctx() context: RequestContext): Promise<MedicalHistory> {
    return context.services.records.history(context, patient);
  }
}

@Resolver()
export class RecordsMutationsResolver {
  @Mutation(() => Allergy)
  recordAllergy(@Arg('patientId', () => ID) patientId: string, @Arg('input', () => AllergyInput) input: AllergyInput, @Ctx() context: RequestContext): Promise<Allergy> {
    return context.services.records.recordAllergy(context, patientId, input);
  }

  @Mutation(() => ChronicCondition)
  recordChronicCondition(@Arg('patientId', () => ID) patientId: string, @Arg('input', () => ChronicConditionInput) input: ChronicConditionInput, @Ctx() context: RequestContext): Promise<ChronicCondition> {
    return context.services.records.recordChronicCondition(context, patientId, input);
  }

  @Mutation(() => Immunization)
  recordImmunization(@Arg('patientId', () => ID) patientId: string, @Arg('input', () => ImmunizationInput) input: ImmunizationInput, @Ctx() context: RequestContext): Promise<Immunization> {
    return context.services.records.recordImmunization(context, patientId, input);
  }

  @Mutation(() => Surgery)
  recordSurgery(@Arg('patientId', () => ID) patientId: string, @Arg('input', () => SurgeryInput) input: SurgeryInput, @Ctx() context: RequestContext): Promise<Surgery> {
    return context.services.records.recordSurgery(context, patientId, input);
  }

  @Mutation(() => FamilyHistoryEntry)
  recordFamilyHistory(@Arg('patientId', () => ID) patientId: string, @Arg('input', () => FamilyHistoryInput) input: FamilyHistoryInput, @Ctx() context: RequestContext): Promise<FamilyHistoryEntry> {
    return context.services.records.recordFamilyHistory(context, patientId, input);
  }

  @Mutation(() => MedicalHistory)
  setBloodType(@Arg('patientId', () => ID) patientId: string, @Arg('bloodType', () => BloodType) bloodType: BloodType, @Ctx() context: RequestContext): Promise<MedicalHistory> {
    return context.services.records.setBloodType(context, patientId, bloodType);
  }

  @Mutation(() => SocialHistory)
  updateSocialHistory(@Arg('patientId', () => ID) patientId: string, @Arg('input', () => SocialHistoryInput) input: SocialHistoryInput, @Ctx() context: RequestContext): Promise<SocialHistory> {
    return context.services.records.updateSocialHistory(context, patientId, input);
  }
}
