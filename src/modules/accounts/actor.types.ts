// Who did something, as those allowed to see it are shown: a name and a role, never contact details.
import { Field, ID, ObjectType } from 'type-graphql';
import { RoleName } from './accounts.types.js';

@ObjectType({ description: 'A person who acted (in an audit trail, an emergency access grant).' })
export class Actor {
  @Field(() => ID, { description: "The user's id." }) id!: string;
  @Field({ description: 'First and last name.' }) name!: string;
  @Field(() => RoleName) role!: RoleName;
}
