// Static cost of an operation, fragments expanded: every object the operation would resolve costs
// 1 (the rows, loader calls and resolvers behind it), a scalar or enum field costs `scalarCost`
// (0 by default: it is read off an object already paid for), `__typename` nothing. A list field
// counts each item: its `first` (or `last`) argument, else `defaultListSize`; a connection (an
// object field taking `first`) passes its page size to its `edges` and `nodes` lists. Branches on
// different types are added, not maxed, and repeated fields are not merged: the estimate errs high.
import {
  getNamedType,
  getNullableType,
  isInterfaceType,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  valueFromASTUntyped,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Fragments } from './document.js';

const PAGE_SIZE_ARGUMENTS = ['first', 'last'];
const PAGED_LISTS = new Set(['edges', 'nodes']);

export interface CostInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Fragments;
  variables: Readonly<Record<string, unknown>> | undefined;
  defaultListSize: number;
  scalarCost: number;
}

export function queryCost({ schema, operation, fragments, variables, defaultListSize, scalarCost }: CostInput): number {
  const defaults = new Map(
    operation.variableDefinitions?.map((v) => [v.variable.name.value, v.defaultValue ? valueFromASTUntyped(v.defaultValue) : undefined]) ??
      [],
  );
  const memo = new Map<string, number>();

  /** The page size a field asks for, when it has one and it is a usable number. */
  const pageSize = (node: FieldNode): number | undefined => {
    for (const argument of node.arguments ?? []) {
      if (!PAGE_SIZE_ARGUMENTS.includes(argument.name.value)) continue;
      const value =
        argument.value.kind === Kind.VARIABLE
          ? (variables?.[argument.value.name.value] ?? defaults.get(argument.value.name.value))
          : valueFromASTUntyped(argument.value);
      if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
    }
    return undefined;
  };

  const fieldDefinition = (parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined => {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  };

  /** Cost of a selection set resolved once; `inherited` is the page size of an enclosing connection. */
  const costOf = (set: SelectionSetNode | undefined, parent: GraphQLNamedType | undefined, inherited: number | undefined): number => {
    let total = 0;
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) total += fieldCost(selection, parent, inherited);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        total += costOf(selection.selectionSet, type, inherited);
      } else total += spreadCost(selection.name.value, inherited);
    }
    return total;
  };

  const spreadCost = (name: string, inherited: number | undefined): number => {
    const key = `${name}:${inherited ?? ''}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    memo.set(key, 0); // a cycle (rejected by validation before we run) costs nothing more
    const fragment = fragments.get(name);
    const value = fragment ? costOf(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), inherited) : 0;
    memo.set(key, value);
    return value;
  };

  const fieldCost = (node: FieldNode, parent: GraphQLNamedType | undefined, inherited: number | undefined): number => {
    if (node.name.value === '__typename') return 0;
    const definition = fieldDefinition(parent, node.name.value);
    if (!definition) return 1;
    const type = getNamedType(definition.type);
    if (isLeafType(type)) return scalarCost;
    const size = pageSize(node);
    if (isListType(getNullableType(definition.type))) {
      const items = size ?? (PAGED_LISTS.has(node.name.value) ? inherited : undefined) ?? defaultListSize;
      return items * (1 + costOf(node.selectionSet, type, undefined));
    }
    return 1 + costOf(node.selectionSet, type, size);
  };

  return costOf(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined, undefined);
}
