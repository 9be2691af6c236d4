// A graphql-codegen plugin (see codegen.yml): writes the persisted-operation manifest partners run
// by id, in Apollo's manifest format ({ format, version, operations: [{ id, name, type, body }] }).
// Each body is the operation with the fragments it uses and `__typename` in every selection set
// below the root, printed by graphql-js: exactly the document Apollo Client sends, so the id (the
// SHA-256 of the body, hex) is the same one its persisted-queries link computes.
import { createHash } from 'node:crypto';
import { Kind, print, visit } from 'graphql';

const TYPENAME = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

function withTypenames(definition) {
  return visit(definition, {
    SelectionSet(node, _key, parent) {
      if (parent?.kind === Kind.OPERATION_DEFINITION) return undefined;
      const hasMeta = node.selections.some((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'));
      return hasMeta ? undefined : { ...node, selections: [...node.selections, TYPENAME] };
    },
  });
}

/** Names of the fragments `definition` spreads, directly or through other fragments. */
function fragmentsUsed(definition, fragments, found = new Set()) {
  visit(definition, {
    FragmentSpread(node) {
      const name = node.name.value;
      if (found.has(name)) return;
      const fragment = fragments.get(name);
      if (!fragment) throw new Error(`fragment ${name} is not defined in operations/`);
      found.add(name);
      fragmentsUsed(fragment, fragments, found);
    },
  });
  return found;
}

export function plugin(_schema, documents) {
  const definitions = documents.flatMap((file) => file.document?.definitions ?? []);
  const fragments = new Map(definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const operations = definitions
    .filter((d) => d.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => {
      if (!operation.name) throw new Error('every operation in operations/ needs a name');
      const used = [...fragmentsUsed(operation, fragments)].sort().map((name) => fragments.get(name));
      const body = print({ kind: Kind.DOCUMENT, definitions: [operation, ...used].map(withTypenames) });
      return { id: createHash('sha256').update(body).digest('hex'), name: operation.name.value, type: operation.operation, body };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const names = new Set();
  for (const { name } of operations) {
    if (names.has(name)) throw new Error(`two operations in operations/ are named ${name}`);
    names.add(name);
  }
  return `${JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }, null, 2)}\n`;
}
