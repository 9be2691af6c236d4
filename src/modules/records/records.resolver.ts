import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { HistoryEntryStatus } from './medical-history.types.js';
import type { RequestContext } from '../../context/context.js';
import { Patient } from '../patients/index.js';
import {
  Allergy,
  AllergyInput,
  AllergyUpdateInput,
  BloodType,
  ChronicCondition,
  ChronicConditionInput,
  ChronicConditionUpdateInput,
  FamilyHistoryEntry,
  FamilyHistoryInput,
  FamilyHistoryUpdateInput,
  Immunization,
  ImmunizationInput,
  ImmunizationUpdateInput,
  MedicalHistory,
  SocialHistory,
  SocialHistoryInput,
  Surgery,
  SurgeryInput,
  SurgeryUpdateInput,
} from './medical-history.types.js';
import { toAllergy, toCondition, toFamilyEntry, toImmunization, toSurgery } from './records.mapper.js';

/** Entries marked entered-in-error are kept, and shown only when asked for. */
const INCLUDE = { name: 'includeEnteredInError', description: 'Also the entries marked ENTERED_IN_ERROR.' };
const shown = <T extends { entryStatus: HistoryEntryStatus }>(entries: T[], include: boolean) =>
  include ? entries : entries.filter((entry) => entry.entryStatus === HistoryEntryStatus.ACTIVE);

@Resolver(() => MedicalHistory)
export class MedicalHistoryListsResolver {
  @FieldResolver(() => [Allergy])
  allergies(
    @Root() history: MedicalHistory,
    @Arg(INCLUDE.name, { defaultValue: false, description: INCLUDE.description }) include: boolean,
  ): Allergy[] {
    return shown(history.entries.allergies, include);
  }

  @FieldResolver(() => [ChronicCondition])
  chronicConditions(
    @Root() history: MedicalHistory,
    @Arg(INCLUDE.name, { defaultValue: false, description: INCLUDE.description }) include: boolean,
  ): ChronicCondition[] {
    return shown(history.entries.chronicConditions, include);
  }

  @FieldResolver(() => [Immunization])
  immunizations(
    @Root() history: MedicalHistory,
    @Arg(INCLUDE.name, { defaultValue: false, description: INCLUDE.description }) include: boolean,
  ): Immunization[] {
    return shown(history.entries.immunizations, include);
  }

  @FieldResolver(() => [Surgery])
  surgeries(
    @Root() history: MedicalHistory,
    @Arg(INCLUDE.name, { defaultValue: false, description: INCLUDE.description }) include: boolean,
  ): Surgery[] {
    return shown(history.entries.surgeries, include);
  }

  @FieldResolver(() => [FamilyHistoryEntry])
  familyHistory(
    @Root() history: MedicalHistory,
    @Arg(INCLUDE.name, { defaultValue: false, description: INCLUDE.description }) include: boolean,
  ): FamilyHistoryEntry[] {
    return shown(history.entries.familyHistory, include);
  }
}

@Resolver(() => Patient)
export class MedicalHistoryResolver {
  @FieldResolver(() => MedicalHistory, {
    nullable: true,
    description:
      'Clinical (null when the caller may not see it): allergies, conditions, immunizations, surgeries, family and social history, pregnancy and breastfeeding.',
  })
  medicalHistory(@Root() patient: Patient, @Ctx() context: RequestContext): Promise<MedicalHistory> {
    return context.services.records.history(context, patient);
  }
}

@Resolver()
export class RecordsMutationsResolver {
  @Mutation(() => Allergy)
  recordAllergy(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('input', () => AllergyInput) input: AllergyInput,
    @Ctx() context: RequestContext,
  ): Promise<Allergy> {
    return context.services.records.recordAllergy(context, patientId, input);
  }

  @Mutation(() => ChronicCondition)
  recordChronicCondition(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('input', () => ChronicConditionInput) input: ChronicConditionInput,
    @Ctx() context: RequestContext,
  ): Promise<ChronicCondition> {
    return context.services.records.recordChronicCondition(context, patientId, input);
  }

  @Mutation(() => Immunization)
  recordImmunization(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('input', () => ImmunizationInput) input: ImmunizationInput,
    @Ctx() context: RequestContext,
  ): Promise<Immunization> {
    return context.services.records.recordImmunization(context, patientId, input);
  }

  @Mutation(() => Surgery)
  recordSurgery(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('input', () => SurgeryInput) input: SurgeryInput,
    @Ctx() context: RequestContext,
  ): Promise<Surgery> {
    return context.services.records.recordSurgery(context, patientId, input);
  }

  @Mutation(() => FamilyHistoryEntry)
  recordFamilyHistory(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('input', () => FamilyHistoryInput) input: FamilyHistoryInput,
    @Ctx() context: RequestContext,
  ): Promise<FamilyHistoryEntry> {
    return context.services.records.recordFamilyHistory(context, patientId, input);
  }

  @Mutation(() => MedicalHistory)
  setBloodType(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('bloodType', () => BloodType) bloodType: BloodType,
    @Ctx() context: RequestContext,
  ): Promise<MedicalHistory> {
    return context.services.records.setBloodType(context, patientId, bloodType);
  }

  @Mutation(() => SocialHistory)
  updateSocialHistory(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('input', () => SocialHistoryInput) input: SocialHistoryInput,
    @Ctx() context: RequestContext,
  ): Promise<SocialHistory> {
    return context.services.records.updateSocialHistory(context, patientId, input);
  }

  @Mutation(() => Allergy, {
    description: 'Corrects an allergy: the fields given change (null clears an optional one); the earlier version is kept in its history.',
  })
  updateAllergy(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('entryId', () => ID) entryId: string,
    @Arg('input', () => AllergyUpdateInput) input: AllergyUpdateInput,
    @Ctx() context: RequestContext,
  ): Promise<Allergy> {
    return context.services.records.correct(context, patientId, 'allergies', entryId, input, toAllergy);
  }

  @Mutation(() => ChronicCondition, { description: 'Corrects a chronic condition (partial; the earlier version is kept).' })
  updateChronicCondition(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('entryId', () => ID) entryId: string,
    @Arg('input', () => ChronicConditionUpdateInput) input: ChronicConditionUpdateInput,
    @Ctx() context: RequestContext,
  ): Promise<ChronicCondition> {
    return context.services.records.correct(context, patientId, 'chronicConditions', entryId, input, toCondition);
  }

  @Mutation(() => Immunization, { description: 'Corrects an immunization (partial; the earlier version is kept).' })
  updateImmunization(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('entryId', () => ID) entryId: string,
    @Arg('input', () => ImmunizationUpdateInput) input: ImmunizationUpdateInput,
    @Ctx() context: RequestContext,
  ): Promise<Immunization> {
    return context.services.records.correct(context, patientId, 'immunizations', entryId, input, toImmunization);
  }

  @Mutation(() => Surgery, { description: 'Corrects a surgery (partial; the earlier version is kept).' })
  updateSurgery(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('entryId', () => ID) entryId: string,
    @Arg('input', () => SurgeryUpdateInput) input: SurgeryUpdateInput,
    @Ctx() context: RequestContext,
  ): Promise<Surgery> {
    return context.services.records.correct(context, patientId, 'surgeries', entryId, input, toSurgery);
  }

  @Mutation(() => FamilyHistoryEntry, { description: 'Corrects a family history entry (partial; the earlier version is kept).' })
  updateFamilyHistory(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('entryId', () => ID) entryId: string,
    @Arg('input', () => FamilyHistoryUpdateInput) input: FamilyHistoryUpdateInput,
    @Ctx() context: RequestContext,
  ): Promise<FamilyHistoryEntry> {
    return context.services.records.correct(context, patientId, 'familyHistory', entryId, input, toFamilyEntry);
  }

  @Mutation(() => MedicalHistory, {
    description: 'Marks a history entry recorded by mistake ENTERED_IN_ERROR: hidden from the history unless asked for, never deleted.',
  })
  markHistoryEntryEnteredInError(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('entryId', () => ID) entryId: string,
    @Arg('reason') reason: string,
    @Ctx() context: RequestContext,
  ): Promise<MedicalHistory> {
    return context.services.records.markEnteredInError(context, patientId, entryId, reason);
  }
}
