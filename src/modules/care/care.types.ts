import { Field, ID, ObjectType } from 'type-graphql';
import { DateTime } from '../../graphql/scalars.js';

@ObjectType({ description: 'Time-limited access to a patient without a care relationship (break-the-glass).' })
export class EmergencyAccessGrant {
  @Field(() => ID) id!: string;
  @Field(() => ID) patientId!: string;
  @Field(() => DateTime) expiresAt!: Date;
}
