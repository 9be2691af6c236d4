import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { PageArgs, type Page } from '../../graphql/connection.js';
import { Clinic } from '../clinics/index.js';
import { RoleName } from './accounts.types.js';
import { StaffMember, StaffMemberConnection } from './clinic-staff.types.js';

@Resolver(() => Clinic)
export class ClinicStaffResolver {
  @FieldResolver(() => StaffMemberConnection, {
    nullable: true,
    description: "Who works here, in name order, optionally of one role (the clinic's admins; null with FORBIDDEN for other clinics).",
  })
  staff(
    @Root() clinic: Clinic,
    @Arg('role', () => RoleName, { nullable: true }) role: RoleName | null,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Ctx() context: RequestContext,
  ): Promise<Page<StaffMember>> {
    return context.services.clinicStaff.list(context, clinic.dbId, role, first, after);
  }
}
