// The persisted-operation manifest (operations/persisted-operations.json, written by `npm run
// codegen`): the reviewed operations partners may run by id. Checked when loaded: an id that is
// not the SHA-256 of its body stops the server rather than running something nobody reviewed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { sha256 } from '../../auth/secrets.js';
import { PROJECT_ROOT } from '../../platform/paths.js';

export const MANIFEST_FILE = path.join(PROJECT_ROOT, 'operations', 'persisted-operations.json');

const manifestShape = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(
    z.object({
      id: z.string().regex(/^[0-9a-f]{64}$/),
      name: z.string().min(1),
      type: z.enum(['query', 'mutation', 'subscription']),
      body: z.string().min(1),
    }),
  ),
});

export type PersistedOperation = z.output<typeof manifestShape>['operations'][number];

export class PersistedOperations {
  private readonly byId: ReadonlyMap<string, PersistedOperation>;

  constructor(readonly operations: readonly PersistedOperation[]) {
    for (const operation of operations) {
      if (sha256(operation.body) !== operation.id)
        throw new Error(`persisted operation ${operation.name}: its id is not the SHA-256 of its body`);
    }
    this.byId = new Map(operations.map((operation) => [operation.id, operation]));
  }

  static load(file = MANIFEST_FILE): PersistedOperations {
    return new PersistedOperations(manifestShape.parse(JSON.parse(readFileSync(file, 'utf8'))).operations);
  }

  /** The document of the operation with this id, if the manifest lists it. */
  body(id: string): string | undefined {
    return this.byId.get(id)?.body;
  }

  get size(): number {
    return this.byId.size;
  }
}
