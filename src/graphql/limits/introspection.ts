// An operation that only introspects (every root field is __schema, __type or __typename), like
// the query Apollo Sandbox sends: its depth and cost are exempt while introspection is enabled.
import type { OperationDefinitionNode } from 'graphql';
import { foldSelections, type Fragments } from './document.js';

const META_FIELDS = new Set(['__schema', '__type', '__typename']);

export function isIntrospectionOnly(operation: OperationDefinitionNode, fragments: Fragments): boolean {
  // Counts the root fields that are not meta fields.
  const others = foldSelections(
    fragments,
    (a, b) => a + b,
    0,
    (field) => (META_FIELDS.has(field.name.value) ? 0 : 1),
  );
  return others(operation.selectionSet) === 0;
}
