// Thin resolvers: pharmacies, the queue and dispensing.
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { PageArgs, type Page } from '../../graphql/connection.js';
import { Patient } from '../patients/index.js';
import { Prescription } from '../prescriptions/index.js';
import {
  Dispense,
  DispenseInput,
  Fulfillment,
  FulfillmentConnection,
  FulfillmentStatus,
  PartnerPharmacyInput,
  Pharmacy,
} from './pharmacy.types.js';

@Resolver()
export class PharmacyResolver {
  @Query(() => [Pharmacy], {
    description:
      "Pharmacies where a prescription can be presented: a clinic's dispensary and its partners (all clinics' when none is named).",
  })
  pharmacies(@Arg('clinicId', () => ID, { nullable: true }) clinicId: string | null, @Ctx() context: RequestContext): Promise<Pharmacy[]> {
    return context.services.pharmacies.list(context, clinicId);
  }

  @Query(() => FulfillmentConnection, {
    description: "A pharmacy's queue: urgent first, then oldest first; open ones unless a status is named.",
  })
  pharmacyQueue(
    @Arg('pharmacyId', () => ID) pharmacyId: string,
    @Arg('status', () => FulfillmentStatus, { nullable: true }) status: FulfillmentStatus | null,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Ctx() context: RequestContext,
  ): Promise<Page<Fulfillment>> {
    return context.services.dispensing.queue(context, pharmacyId, status, first, after);
  }

  @Mutation(() => Pharmacy, { description: 'Registers a partner pharmacy (an admin of the clinic).' })
  registerPartnerPharmacy(
    @Arg('input', () => PartnerPharmacyInput) input: PartnerPharmacyInput,
    @Ctx() context: RequestContext,
  ): Promise<Pharmacy> {
    return context.services.pharmacies.registerPartner(context, input);
  }

  @Mutation(() => Pharmacy, { description: "Adds a pharmacist to a pharmacy of the admin's clinic." })
  addPharmacist(
    @Arg('pharmacyId', () => ID) pharmacyId: string,
    @Arg('userId', () => ID) userId: string,
    @Ctx() context: RequestContext,
  ): Promise<Pharmacy> {
    return context.services.pharmacies.addPharmacist(context, pharmacyId, userId);
  }

  @Mutation(() => Fulfillment, { description: 'Presents a signed prescription at a pharmacy: the patient, or the staff of its clinic.' })
  presentPrescription(
    @Arg('prescriptionId', () => ID) prescriptionId: string,
    @Arg('pharmacyId', () => ID) pharmacyId: string,
    @Arg('urgent', { defaultValue: false }) urgent: boolean,
    @Ctx() context: RequestContext,
  ): Promise<Fulfillment> {
    return context.services.dispensing.present(context, prescriptionId, pharmacyId, urgent);
  }

  @Mutation(() => Fulfillment, { description: "The pharmacist has read a prescriber's override (each one, before dispensing)." })
  acknowledgeOverride(
    @Arg('fulfillmentId', () => ID) fulfillmentId: string,
    @Arg('findingId', () => ID) findingId: string,
    @Ctx() context: RequestContext,
  ): Promise<Fulfillment> {
    return context.services.dispensing.acknowledgeOverride(context, fulfillmentId, findingId);
  }

  @Mutation(() => Fulfillment)
  startPreparation(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Fulfillment> {
    return context.services.dispensing.startPreparation(context, id);
  }

  @Mutation(() => Fulfillment)
  markFulfillmentReady(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Fulfillment> {
    return context.services.dispensing.markReady(context, id);
  }

  @Mutation(() => Fulfillment)
  declineFulfillment(@Arg('id', () => ID) id: string, @Arg('reason') reason: string, @Ctx() context: RequestContext): Promise<Fulfillment> {
    return context.services.dispensing.decline(context, id, reason);
  }

  @Mutation(() => Fulfillment)
  holdFulfillment(@Arg('id', () => ID) id: string, @Arg('reason') reason: string, @Ctx() context: RequestContext): Promise<Fulfillment> {
    return context.services.dispensing.hold(context, id, reason);
  }

  @Mutation(() => Dispense, {
    description:
      'Gives all or part of an item, from the lots that expire first (expired and held lots never); CONFLICT with `available` when stock is short.',
  })
  dispense(@Arg('input', () => DispenseInput) input: DispenseInput, @Ctx() context: RequestContext): Promise<Dispense> {
    return context.services.dispensing.dispense(context, input);
  }
}

@Resolver(() => Fulfillment)
export class FulfillmentLinksResolver {
  @FieldResolver(() => Prescription, { nullable: true })
  prescription(@Root() fulfillment: Fulfillment, @Ctx() context: RequestContext): Promise<Prescription | null> {
    return context.loaders.prescriptionById.load(fulfillment.prescriptionDbId);
  }

  @FieldResolver(() => Pharmacy, { nullable: true })
  async pharmacy(@Root() fulfillment: Fulfillment, @Ctx() context: RequestContext): Promise<Pharmacy | null> {
    return context.services.pharmacies.byDbId(context, fulfillment.pharmacyDbId);
  }

  @FieldResolver(() => Patient, { nullable: true })
  patient(@Root() fulfillment: Fulfillment, @Ctx() context: RequestContext): Promise<Patient | null> {
    return context.loaders.patientById.load(fulfillment.patientDbId);
  }
}
