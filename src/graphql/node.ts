// The Relay Node interface: anything with a global id can be refetched with node(id:).
import { Field, ID, InterfaceType } from 'type-graphql';
import { parseGlobalId } from './global-id.js';

@InterfaceType({
  description: 'An object with a global id.',
  resolveType: (value: { id: string }) => parseGlobalId(value.id)?.type,
})
export abstract class Node {
  @Field(() => ID) id!: string;
}
