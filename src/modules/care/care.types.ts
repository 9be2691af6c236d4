import { ArgsType, Field, ID, ObjectType } from 'type-graphql';
import { Connection, PageArgs } from '../../graphql/connection.js';
import { DateTime } from '../../graphql/scalars.js';

@ObjectType({ description: 'Time-limited access to a patient without a care relationship (break-the-glass).' })
export class EmergencyAccessGrant {
  /** Whose data it opens and who holds it (for the audit of reads and `clinician`); not part of the schema. */
  patientDbId!: string;
  staffUserId!: string;

  @Field(() => ID) id!: string;
  @Field(() => ID) patientId!: string;
  @Field({ description: 'Why the clinician needed access, in their words.' }) reason!: string;
  @Field(() => DateTime) createdAt!: Date;
  @Field(() => DateTime) expiresAt!: Date;
}

export const EmergencyAccessGrantConnection = Connection(EmergencyAccessGrant, 'EmergencyAccessGrant');

@ArgsType()
export class EmergencyAccessGrantsArgs extends PageArgs {
  @Field(() => ID) clinicId!: string;
  @Field(() => DateTime, { description: 'Grants made at or after this instant.' }) from!: Date;
  @Field(() => DateTime, { description: 'Grants made before this instant (at most 366 days after from).' }) to!: Date;
}
