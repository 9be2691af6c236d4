// Per-request batching of accounts (what viewer shows beyond the session's load).
import DataLoader from 'dataloader';
import { byKey } from '../../context/batch.js';
import type { AccountRow, AccountsRepository } from './accounts.repository.js';

export function createAccountLoaders(repository: AccountsRepository) {
  return {
    accountById: new DataLoader<string, AccountRow | null>(async (ids) => byKey(ids, await repository.findByIds(ids), (row) => row.id)),
  };
}
