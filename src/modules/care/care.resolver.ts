import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { EmergencyAccessGrant } from './care.types.js';

@Resolver()
export class CareResolver {
  @Mutation(() => EmergencyAccessGrant, { description: 'Break-the-glass: one hour of access to a patient you have no care relationship with. The reason is required and your clinic\'s admins are alerted.' })
  requestEmergencyAccess(@Arg('patientId', () => ID) patientId: string, @Arg('reason') reason: string, @Ctx() context: RequestContext): Promise<EmergencyAccessGrant> {
    return context.services.care.requestEmergencyAccess(context, patientId, reason);
  }

  @Mutation(() => Boolean, { description: 'Assigns a clinician of your clinic to a patient of your clinic.' })
  assignCareTeamMember(@Arg('patientId', () => ID) patientId: string, @Arg('staffUserId', () => ID) staffUserId: string, @Ctx() context: RequestContext): Promise<boolean> {
    return context.services.care.assignClinician(context, patientId, staffUserId);
  }
}
