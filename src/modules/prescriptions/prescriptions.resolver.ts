// Thin resolvers: the catalogue, prescriptions and their writes, and the links from the types
// around them (a patient's and an encounter's prescriptions).
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { Language } from '../../graphql/common-types.js';
import { PageArgs, type Page } from '../../graphql/connection.js';
import { validatedByService } from '../../graphql/validation.js';
import { Actor } from '../accounts/index.js';
import { Clinic } from '../clinics/index.js';
import { Doctor } from '../doctors/index.js';
import { Encounter } from '../encounters/index.js';
import { Patient } from '../patients/index.js';
import { Appointment } from '../scheduling/index.js';
import { Medication, MedicationCatalogue, MedicationConnection } from './medication.types.js';
import {
  FindingResolution,
  NewPrescriptionInput,
  Prescription,
  PrescriptionConnection,
  PrescriptionContentInput,
  PrescriptionItem,
  PrescriptionStatus,
  PrescriptionVerification,
  SafetyFinding,
} from './prescription.types.js';

@ArgsType()
class PrescriptionListArgs extends PageArgs {
  @Field(() => PrescriptionStatus, {
    nullable: true,
    description: 'Only those in this status (as seen today: EXPIRED includes those past their date).',
  })
  status?: PrescriptionStatus | null;
}

@Resolver()
export class PrescriptionsResolver {
  @Query(() => MedicationConnection, {
    description: 'The medicine catalogue by name, generic or brand (accents and case ignored); clinical staff.',
  })
  medications(
    @Arg('search', () => String, { nullable: true }) search: string | null,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Ctx() context: RequestContext,
  ): Promise<Page<Medication>> {
    return context.services.prescriptionViews.medications(search, first, after);
  }

  @Query(() => MedicationCatalogue, { description: 'Which knowledge base the safety checks use, and what it is.' })
  medicationCatalogue(@Ctx() context: RequestContext): Promise<MedicationCatalogue> {
    return context.services.prescriptionViews.catalogue();
  }

  @Query(() => Prescription, { nullable: true })
  prescription(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Prescription | null> {
    return context.services.prescriptionViews.prescription(context, id);
  }

  @Query(() => PrescriptionConnection, { description: 'Your prescriptions, newest first (a patient).' })
  myPrescriptions(
    @Args(() => PrescriptionListArgs) args: PrescriptionListArgs,
    @Ctx() context: RequestContext,
  ): Promise<Page<Prescription>> {
    return context.services.prescriptionViews.myPrescriptions(context, args);
  }

  @Query(() => PrescriptionConnection, { description: 'The prescriptions you wrote, newest first, drafts included (a doctor).' })
  prescribedByMe(
    @Args(() => PrescriptionListArgs) args: PrescriptionListArgs,
    @Ctx() context: RequestContext,
  ): Promise<Page<Prescription>> {
    return context.services.prescriptionViews.prescribedByMe(context, args);
  }

  @Query(() => PrescriptionVerification, {
    nullable: true,
    description:
      'Checks that a prescription is exactly what its prescriber signed, by number (RX-YYYY-NNNNNN) or id; null when there is none.',
  })
  verifyPrescription(
    @Arg('reference') reference: string,
    @Arg('clinicId', () => ID, { nullable: true, description: 'The clinic that issued it, when several have that number.' })
    clinicId: string | null,
    @Ctx() context: RequestContext,
  ): Promise<PrescriptionVerification | null> {
    return context.services.prescriptionViews.verify(context, reference, clinicId);
  }

  @Mutation(() => Prescription, { description: 'A draft prescription (a doctor who treats the patient). Its number is given now.' })
  createPrescription(
    // Validated by the service with the catalogue's checks: every problem at once.
    @Arg('input', () => NewPrescriptionInput, { validateFn: validatedByService }) input: NewPrescriptionInput,
    @Ctx() context: RequestContext,
  ): Promise<Prescription> {
    return context.services.prescriptions.create(context, input);
  }

  @Mutation(() => Prescription, { description: "Replaces a draft's content (its prescriber)." })
  updatePrescriptionDraft(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => PrescriptionContentInput, { validateFn: validatedByService }) input: PrescriptionContentInput,
    @Ctx() context: RequestContext,
  ): Promise<Prescription> {
    return context.services.prescriptions.updateDraft(context, id, input);
  }

  @Mutation(() => Prescription, { description: 'Runs the safety checks on a draft and stores their findings.' })
  checkPrescription(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Prescription> {
    return context.services.prescriptions.check(context, id);
  }

  @Mutation(() => SafetyFinding, {
    description: 'Goes ahead despite a finding, saying why (10 to 500 characters): audited and shown to the pharmacist.',
  })
  overrideSafetyFinding(
    @Arg('findingId', () => ID) findingId: string,
    @Arg('reason') reason: string,
    @Ctx() context: RequestContext,
  ): Promise<SafetyFinding> {
    return context.services.prescriptions.override(context, findingId, reason);
  }

  @Mutation(() => SafetyFinding, { description: 'Acknowledges a moderate or low finding.' })
  acknowledgeSafetyFinding(@Arg('findingId', () => ID) findingId: string, @Ctx() context: RequestContext): Promise<SafetyFinding> {
    return context.services.prescriptions.acknowledge(context, findingId);
  }

  @Mutation(() => Prescription, {
    description:
      'Signs a draft: the checks run again, every high finding must be overridden and every moderate one acknowledged; SAFETY_CHECKS_UNAVAILABLE when they cannot run.',
  })
  signPrescription(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Prescription> {
    return context.services.prescriptions.sign(context, id);
  }

  @Mutation(() => Prescription, { description: 'Cancels a draft or a signed prescription (a doctor who treats the patient).' })
  cancelPrescription(
    @Arg('id', () => ID) id: string,
    @Arg('reason') reason: string,
    @Ctx() context: RequestContext,
  ): Promise<Prescription> {
    return context.services.prescriptions.cancel(context, id, reason);
  }

  @Mutation(() => Prescription, { description: 'Puts an active prescription on hold (not dispensable until resumed).' })
  holdPrescription(@Arg('id', () => ID) id: string, @Arg('reason') reason: string, @Ctx() context: RequestContext): Promise<Prescription> {
    return context.services.prescriptions.hold(context, id, reason);
  }

  @Mutation(() => Prescription)
  resumePrescription(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Prescription> {
    return context.services.prescriptions.resume(context, id);
  }

  @Mutation(() => Prescription, { description: 'Marks a prescription written by mistake (kept, never deleted).' })
  markPrescriptionEnteredInError(
    @Arg('id', () => ID) id: string,
    @Arg('reason') reason: string,
    @Ctx() context: RequestContext,
  ): Promise<Prescription> {
    return context.services.prescriptions.markEnteredInError(context, id, reason);
  }

  @Mutation(() => Prescription, {
    description: 'Corrects a signed prescription: cancels it and returns a new draft with its content, linked (replaces).',
  })
  reissuePrescription(
    @Arg('id', () => ID) id: string,
    @Arg('reason') reason: string,
    @Ctx() context: RequestContext,
  ): Promise<Prescription> {
    return context.services.prescriptions.reissue(context, id, reason);
  }
}

@Resolver(() => Prescription)
export class PrescriptionLinksResolver {
  @FieldResolver(() => Patient, { nullable: true })
  patient(@Root() prescription: Prescription, @Ctx() context: RequestContext): Promise<Patient | null> {
    return context.loaders.patientById.load(prescription.patientDbId);
  }

  @FieldResolver(() => Doctor, { nullable: true })
  async prescriber(@Root() prescription: Prescription, @Ctx() context: RequestContext): Promise<Doctor | null> {
    return prescription.prescriberDoctorDbId ? context.loaders.doctorById.load(prescription.prescriberDoctorDbId) : null;
  }

  @FieldResolver(() => Clinic, { nullable: true })
  clinic(@Root() prescription: Prescription, @Ctx() context: RequestContext): Promise<Clinic | null> {
    return context.loaders.clinicById.load(prescription.clinicDbId);
  }

  @FieldResolver(() => Appointment, { nullable: true })
  async appointment(@Root() prescription: Prescription, @Ctx() context: RequestContext): Promise<Appointment | null> {
    return prescription.appointmentDbId ? context.loaders.appointmentById.load(prescription.appointmentDbId) : null;
  }

  @FieldResolver(() => Encounter, { nullable: true, description: 'The consultation record it came from.' })
  async encounter(@Root() prescription: Prescription, @Ctx() context: RequestContext): Promise<Encounter | null> {
    return prescription.appointmentDbId ? context.loaders.encounterByAppointmentId.load(prescription.appointmentDbId) : null;
  }

  @FieldResolver(() => Prescription, { nullable: true, description: 'The prescription this one corrects.' })
  async replaces(@Root() prescription: Prescription, @Ctx() context: RequestContext): Promise<Prescription | null> {
    return prescription.replacesDbId ? context.loaders.prescriptionById.load(prescription.replacesDbId) : null;
  }

  @FieldResolver(() => Prescription, { nullable: true, description: 'The prescription that corrects this one.' })
  async replacedBy(@Root() prescription: Prescription, @Ctx() context: RequestContext): Promise<Prescription | null> {
    return prescription.replacedByDbId ? context.loaders.prescriptionById.load(prescription.replacedByDbId) : null;
  }
}

@Resolver(() => PrescriptionItem)
export class PrescriptionItemResolver {
  @FieldResolver(() => Medication, { nullable: true, description: 'The catalogue entry (the item keeps its own name and strength).' })
  medication(@Root() item: PrescriptionItem, @Ctx() context: RequestContext): Promise<Medication | null> {
    return context.loaders.medicationById.load(item.medicineDbId);
  }
}

@Resolver(() => SafetyFinding)
export class SafetyFindingResolver {
  @FieldResolver(() => String)
  message(@Root() finding: SafetyFinding, @Arg('language', () => Language, { defaultValue: Language.EN }) language: Language): string {
    return language === Language.FR ? finding.messageFr : finding.messageEn;
  }
}

@Resolver(() => FindingResolution)
export class FindingResolutionResolver {
  @FieldResolver(() => Actor, { nullable: true, description: 'The prescriber who resolved it.' })
  by(@Root() resolution: FindingResolution, @Ctx() context: RequestContext): Promise<Actor | null> {
    return context.loaders.actorById.load(resolution.resolvedByDbId);
  }
}

@Resolver(() => PrescriptionVerification)
export class PrescriptionVerificationResolver {
  @FieldResolver(() => Prescription, { nullable: true, description: 'The prescription itself, for those who may read it.' })
  prescription(@Root() verification: PrescriptionVerification, @Ctx() context: RequestContext): Promise<Prescription | null> {
    return context.loaders.prescriptionById.load(verification.prescriptionDbId);
  }
}

@Resolver(() => Patient)
export class PatientPrescriptionsResolver {
  @FieldResolver(() => PrescriptionConnection, { nullable: true, description: 'Prescriptions, newest first (clinical).' })
  prescriptions(
    @Root() patient: Patient,
    @Args(() => PrescriptionListArgs) args: PrescriptionListArgs,
    @Ctx() context: RequestContext,
  ): Promise<Page<Prescription>> {
    return context.services.prescriptionViews.patientPrescriptions(context, patient, args);
  }
}

@Resolver(() => Encounter)
export class EncounterPrescriptionsResolver {
  @FieldResolver(() => [Prescription], { description: 'The prescriptions written at this visit.' })
  prescriptions(@Root() encounter: Encounter, @Ctx() context: RequestContext): Promise<Prescription[]> {
    return context.services.prescriptionViews.ofAppointment(context, encounter.appointmentDbId, encounter.patientDbId);
  }
}
