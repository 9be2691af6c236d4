// Alias count: every aliased field, fragments expanded (a fragment spread twice counts twice), so
// aliases cannot multiply the work of one field past the limit.
import type { OperationDefinitionNode } from 'graphql';
import { foldSelections, type Fragments } from './document.js';

export function aliasCount(operation: OperationDefinitionNode, fragments: Fragments): number {
  const count = foldSelections(fragments, (a, b) => a + b, 0, (field) => (field.alias ? 1 : 0) + count(field.selectionSet));
  return count(operation.selectionSet);
}
