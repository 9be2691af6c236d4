// npm run db:seed: loads the demo data (once; a second run changes nothing).
import { seedDemoData } from '../seed/demo-data.js';
import { runWithStores } from './run-with-stores.js';

await runWithStores(async (stores) => {
  const loaded = await seedDemoData(stores.database.prisma, stores.mongo.db);
  console.log(loaded ? `Demo data loaded: ${JSON.stringify(loaded)}` : 'Demo data already present; nothing changed.');
});
