// A clinic's staff list, as its admins see it.
import { Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '../../graphql/connection.js';
import { DateTime } from '../../graphql/scalars.js';
import { AccountStatus, RoleName } from './accounts.types.js';

@ObjectType({ description: "Someone who works at a clinic, with their role there and their account's status." })
export class StaffMember {
  @Field(() => ID, { description: "The user's id (as suspendUser takes it)." }) id!: string;
  @Field() firstName!: string;
  @Field() lastName!: string;
  @Field(() => RoleName) role!: RoleName;
  @Field(() => AccountStatus) status!: AccountStatus;
  @Field(() => DateTime) joinedAt!: Date;
}

export const StaffMemberConnection = Connection(StaffMember, 'StaffMember');
