// npm run token -- <email>: a 15-minute access token for an account (development only; `login` issues them too).
import 'reflect-metadata'; // before type-graphql's decorators run (the imports below load them)
import { AccessTokens } from '../auth/tokens.js';
import { createRepositories, createServices } from '../context/services.js';
import { AuditLog } from '../modules/audit/index.js';
import { SelfHostedVideoRooms } from '../platform/video-rooms.js';
import { SimulatedNotifier } from '../platform/notifier.js';
import { tokenFor } from '../seed/demo-data.js';
import { runWithStores } from './run-with-stores.js';

const email = process.argv[2];
if (!email) {
  console.error('usage: npm run token -- <email>');
  process.exit(2);
}
await runWithStores(async (stores, config) => {
  if (config.isProduction) throw new Error('npm run token is for development only');
  const sessions = createServices(createRepositories(stores.database.prisma, stores.mongo.db, stores.cache), {
    tokens: new AccessTokens(config.tokens),
    notifier: new SimulatedNotifier(),
    rateLimiter: stores.rateLimiter,
    auditLog: new AuditLog(stores.mongo.db),
    videoRooms: new SelfHostedVideoRooms(config.video.baseUrl),
    settings: { appUrl: config.appUrl, prescriptionSigning: config.prescriptionSigning },
  }).sessions;
  const token = await tokenFor(stores.database.prisma, sessions, email.toLowerCase());
  if (!token) {
    console.error(`no active account for ${email}`);
    process.exitCode = 1;
    return;
  }
  console.log(token);
});
