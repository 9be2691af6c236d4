// npm run db:setup: PostgreSQL migrations and MongoDB collections, validators and indexes (idempotent).
import 'reflect-metadata'; // before type-graphql's decorators run (the imports below load them)
import { runWithStores } from './run-with-stores.js';

await runWithStores(async () => {
  console.log('PostgreSQL migrated; MongoDB collections, validators and indexes applied.');
});
