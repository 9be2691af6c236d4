// The Cache-Control header of each response, decided from what the operation asks and who asks:
// public (shared caches may keep it) only for anonymous queries made entirely of directory fields,
// which read the same for everyone; anything else, and anything about a patient, is no-store.
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind } from 'graphql';
import type { RequestContext } from '../context/context.js';

/** Root query fields whose answers are public, with how long (seconds) they may be kept. */
const PUBLIC_ROOT_FIELDS: ReadonlyMap<string, number> = new Map([
  ['__typename', 3600],
  ['clinics', 300],
  ['clinic', 300],
  // A suspended doctor leaves the directory at once on the server; shared caches follow within a minute.
  ['doctors', 60],
  ['doctor', 60],
  ['appointmentTypes', 300],
  // Slots change with every booking: a short life.
  ['availableSlots', 30],
]);

const NOT_STORED = 'private, no-store';

export const cachePolicyPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ operation, response, contextValue, errors }) {
        let maxAge: number | undefined;
        const publicQuery = operation?.operation === 'query' && !contextValue.principal && !errors?.length
          && operation.selectionSet.selections.every((selection) => {
            const seconds = selection.kind === Kind.FIELD ? PUBLIC_ROOT_FIELDS.get(selection.name.value) : undefined;
            if (seconds !== undefined) maxAge = Math.min(maxAge ?? seconds, seconds);
            return seconds !== undefined;
          });
        response.http.headers.set('cache-control', publicQuery && maxAge ? `public, max-age=${maxAge}` : NOT_STORED);
      },
    };
  },
};
