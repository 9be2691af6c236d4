// npm run db:setup: PostgreSQL migrations and MongoDB collections, validators and indexes (idempotent).
import { runWithStores } from './run-with-stores.js';

await runWithStores(async () => {
  console.log('PostgreSQL migrated; MongoDB collections, validators and indexes applied.');
});
