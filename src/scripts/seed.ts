// npm run db:seed: loads the demo data (once; a second run changes nothing). In development the demo
// accounts also get the demo password, so that `login` works; never in production.
import 'reflect-metadata'; // before type-graphql's decorators run (the imports below load them)
import { DEMO_PASSWORD, seedDemoData } from '../seed/demo-data.js';
import { runWithStores } from './run-with-stores.js';

await runWithStores(async (stores, config) => {
  const development = config.env === 'development';
  const loaded = await seedDemoData(stores.database.prisma, stores.mongo.db, {
    prescriptionSigning: config.prescriptionSigning,
    ...(development ? { demoPassword: DEMO_PASSWORD } : {}),
  });
  console.log(loaded ? `Demo data loaded: ${JSON.stringify(loaded)}` : 'Demo data already present; nothing changed.');
  if (development) console.log(`Demo accounts sign in with the password ${DEMO_PASSWORD} (development only).`);
});
