// Shared by the measurements: the fragments of a document by name, and a fold over a selection
// set that expands fragment spreads with each fragment measured once (memoized), so a document
// that spreads fragments into each other cannot make the measuring itself expensive.
import { Kind, type DocumentNode, type FragmentDefinitionNode, type FieldNode, type SelectionSetNode } from 'graphql';

export type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

export function fragmentsOf(document: DocumentNode): Fragments {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/**
 * Combines `field(node)` over every field of a selection set, with inline fragments and fragment
 * spreads expanded in place. A fragment's value is computed once and reused; a cycle (which
 * validation rejects before we run) counts as `empty` instead of recursing forever.
 */
export function foldSelections(
  fragments: Fragments,
  combine: (a: number, b: number) => number,
  empty: number,
  field: (node: FieldNode) => number,
): (set: SelectionSetNode | undefined) => number {
  const memo = new Map<string, number>();
  const fold = (set: SelectionSetNode | undefined): number => {
    let result = empty;
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) result = combine(result, field(selection));
      else if (selection.kind === Kind.INLINE_FRAGMENT) result = combine(result, fold(selection.selectionSet));
      else result = combine(result, spread(selection.name.value));
    }
    return result;
  };
  const spread = (name: string): number => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    memo.set(name, empty);
    const value = fold(fragments.get(name)?.selectionSet);
    memo.set(name, value);
    return value;
  };
  return fold;
}
