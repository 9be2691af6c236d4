// Query depth: the deepest chain of nested fields, fragments expanded. `{ clinics { id } }` is 2.
import type { OperationDefinitionNode } from 'graphql';
import { foldSelections, type Fragments } from './document.js';

export function queryDepth(operation: OperationDefinitionNode, fragments: Fragments): number {
  const depth = foldSelections(fragments, Math.max, 0, (field) => 1 + depth(field.selectionSet));
  return depth(operation.selectionSet);
}
