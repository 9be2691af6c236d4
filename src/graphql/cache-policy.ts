// The Cache-Control header of each response, decided from what the operation asks and who asks:
// public (shared caches may keep it) only for anonymous queries made entirely of directory fields,
// which read the same for everyone; anything else, and anything about a patient, is no-store.
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, visit, type DocumentNode } from 'graphql';
import type { RequestContext } from '../context/context.js';
import { allModules } from '../modules/registry.js';
import { mergeDeclarations, type ModuleManifest } from '../platform/module.js';

const declared = (what: string, pick: (module: ModuleManifest) => Record<string, number> | undefined): Array<[string, number]> =>
  Object.entries(
    mergeDeclarations(
      what,
      allModules.map((module) => [module.name, pick(module)]),
    ),
  );

/** Root query fields whose answers are public, with how long (seconds) they may be kept (each module declares its own). */
const PUBLIC_ROOT_FIELDS: ReadonlyMap<string, number> = new Map([
  ['__typename', 3600],
  ...declared('public field', (module) => module.publicFields),
]);

/** Fields inside public answers that shorten how long they may be kept (a clinic's doctors, like the directory's). */
const NESTED_LIMITS: ReadonlyMap<string, number> = new Map(declared('cache limit', (module) => module.cacheLimits));

/** The shortest nested limit of any field in the document (fragments included), if any. */
function nestedLimit(document: DocumentNode): number | undefined {
  let seconds: number | undefined;
  visit(document, {
    Field(node) {
      const limit = NESTED_LIMITS.get(node.name.value);
      if (limit !== undefined) seconds = Math.min(seconds ?? limit, limit);
    },
  });
  return seconds;
}

const NOT_STORED = 'private, no-store';

export const cachePolicyPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ operation, document, response, contextValue, errors }) {
        let maxAge: number | undefined;
        const publicQuery =
          operation?.operation === 'query' &&
          !contextValue.principal &&
          !errors?.length &&
          operation.selectionSet.selections.every((selection) => {
            const seconds = selection.kind === Kind.FIELD ? PUBLIC_ROOT_FIELDS.get(selection.name.value) : undefined;
            if (seconds !== undefined) maxAge = Math.min(maxAge ?? seconds, seconds);
            return seconds !== undefined;
          });
        if (publicQuery && maxAge && document) maxAge = Math.min(maxAge, nestedLimit(document) ?? maxAge);
        response.http.headers.set('cache-control', publicQuery && maxAge ? `public, max-age=${maxAge}` : NOT_STORED);
      },
    };
  },
};
