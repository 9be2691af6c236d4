// No text argument may carry control characters (NUL among them, which PostgreSQL refuses): such
// a request is BAD_USER_INPUT naming where, before anything runs.
import { Kind, visit, type DocumentNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { AppError } from '../errors/errors.js';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function findInValue(value: unknown, path: Array<string | number>): Array<string | number> | undefined {
  if (typeof value === 'string') return CONTROL.test(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findInValue(item, [...path, index]);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findInValue(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

function literalHasControl(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (CONTROL.test(node.value)) found = true;
    },
  });
  return found;
}

const refusal = (fields: Array<{ path: Array<string | number>; message: string }>) =>
  new AppError('BAD_USER_INPUT', 'A text argument contains control characters.', { fields, http: { status: 400 } });

export const controlCharactersPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document }) {
        const inVariables = findInValue(request.variables ?? {}, []);
        if (inVariables) throw refusal([{ path: inVariables, message: 'must not contain control characters' }]);
        if (literalHasControl(document)) throw refusal([]);
      },
    };
  },
};
