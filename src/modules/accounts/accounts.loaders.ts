// Per-request batching of accounts: what viewer shows beyond the session's load, and who users are
// (name and role) in one query for all the users a response shows.
import DataLoader from 'dataloader';
import { byKey } from '../../context/batch.js';
import { toGlobalId } from '../../graphql/global-id.js';
import type { AccountRow, AccountsRepository } from './accounts.repository.js';
import type { Actor } from './actor.types.js';

export function createAccountLoaders(repository: AccountsRepository) {
  return {
    accountById: new DataLoader<string, AccountRow | null>(async (ids) => byKey(ids, await repository.findByIds(ids), (row) => row.id)),
    actorById: new DataLoader<string, Actor | null>(async (ids) =>
      byKey(ids, await repository.actors(ids), (row) => row.id).map(
        (row) =>
          row && {
            id: toGlobalId('User', row.id),
            name: [row.profile?.firstName, row.profile?.lastName].filter(Boolean).join(' '),
            role: row.role,
          },
      ),
    ),
  };
}
