// node(id:): refetch any object by its global id, with the loader its module declares.
import type DataLoader from 'dataloader';
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context/context.js';
import { BadUserInputError } from '../errors/errors.js';
import { allModules } from '../modules/registry.js';
import { mergeDeclarations } from '../platform/module.js';
import { parseGlobalId } from './global-id.js';
import { Node } from './node.js';

interface NodeKind {
  /** Null for ids that only name (node(id:) answers null). */
  load: ((loaders: RequestContext['loaders']) => DataLoader<string, unknown>) | null;
  public: boolean;
}

/** Every kind of global id the modules declare, with its loader. */
export const NODE_KINDS: ReadonlyMap<string, NodeKind> = new Map(
  Object.entries(
    mergeDeclarations<NodeKind>(
      'node type',
      allModules.map((module) => [
        module.name,
        {
          ...Object.fromEntries(
            Object.entries(module.nodes ?? {}).map(([type, spec]) => [
              type,
              { load: spec.load as NodeKind['load'], public: spec.public ?? false },
            ]),
          ),
          ...Object.fromEntries((module.idKinds ?? []).map((type) => [type, { load: null, public: false }])),
        },
      ]),
    ),
  ),
);

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when there is none.' })
  async node(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Node | null> {
    const parsed = parseGlobalId(id);
    const kind = parsed && NODE_KINDS.get(parsed.type);
    if (!parsed || !kind) throw new BadUserInputError([{ path: ['id'], message: 'is not an id from this API' }]);
    return ((await kind.load?.(context.loaders).load(parsed.id)) ?? null) as Node | null;
  }
}
