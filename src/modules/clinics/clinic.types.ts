// Clinics as the graph shows them.
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Address } from '../../graphql/common-types.js';
import { Node } from '../../graphql/node.js';

@ObjectType()
export class Coordinates {
  @Field(() => Float) latitude!: number;
  @Field(() => Float) longitude!: number;
}

@ObjectType({ description: "Opening hours for one day, in the clinic's time zone." })
export class OpeningHours {
  @Field(() => Int, { description: '0 = Sunday ... 6 = Saturday.' }) dayOfWeek!: number;
  @Field({ description: 'HH:MM' }) opens!: string;
  @Field({ description: 'HH:MM' }) closes!: string;
}

@ObjectType({ implements: Node })
export class Clinic implements Node {
  /** The database id, for loaders; not part of the schema. */
  dbId!: string;

  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => Address) address!: Address;
  @Field() city!: string;
  @Field(() => Coordinates, { nullable: true }) coordinates!: Coordinates | null;
  @Field({ description: 'IANA time zone, e.g. Africa/Douala.' }) timeZone!: string;
  @Field(() => [OpeningHours]) operatingHours!: OpeningHours[];
  @Field(() => [String]) services!: string[];
}
