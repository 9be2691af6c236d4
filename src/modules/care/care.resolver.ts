import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import type { Page } from '../../graphql/connection.js';
import { Actor } from '../accounts/index.js';
import { EmergencyAccessGrant, EmergencyAccessGrantConnection, EmergencyAccessGrantsArgs } from './care.types.js';

@Resolver(() => EmergencyAccessGrant)
export class CareResolver {
  @Mutation(() => EmergencyAccessGrant, {
    description:
      "Break-the-glass: one hour of access to a patient you have no care relationship with. The reason is required and your clinic's admins are alerted with it. Asked again while a grant is active, returns that grant unchanged (it is not extended).",
  })
  requestEmergencyAccess(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('reason') reason: string,
    @Ctx() context: RequestContext,
  ): Promise<EmergencyAccessGrant> {
    return context.services.care.requestEmergencyAccess(context, patientId, reason);
  }

  @Query(() => EmergencyAccessGrantConnection, {
    description: "Emergency access grants made from a clinic, with their reasons, newest first (the clinic's admins).",
  })
  emergencyAccessGrants(
    @Args(() => EmergencyAccessGrantsArgs) args: EmergencyAccessGrantsArgs,
    @Ctx() context: RequestContext,
  ): Promise<Page<EmergencyAccessGrant>> {
    return context.services.care.grantsOfClinic(context, args);
  }

  @FieldResolver(() => Actor, { nullable: true, description: 'Who broke the glass.' })
  clinician(@Root() grant: EmergencyAccessGrant, @Ctx() context: RequestContext): Promise<Actor | null> {
    return context.loaders.actorById.load(grant.staffUserId);
  }

  @Mutation(() => Boolean, { description: 'Assigns a clinician of your clinic to a patient of your clinic.' })
  assignCareTeamMember(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('staffUserId', () => ID) staffUserId: string,
    @Ctx() context: RequestContext,
  ): Promise<boolean> {
    return context.services.care.assignClinician(context, patientId, staffUserId);
  }
}
