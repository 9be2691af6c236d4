// Startup only: config -> data stores -> API -> listen. Nothing imports this file.
import 'reflect-metadata';
import { createApi } from './app.js';
import { ConfigError, loadConfig } from './config/config.js';
import { createLogger } from './platform/logger.js';
import { openStores } from './platform/stores.js';
import { DEMO_PASSWORD, demoTokens, seedDemoData } from './seed/demo-data.js';
import { storeSettings } from './store-settings.js';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  throw error;
}

const log = createLogger(config.logLevel);
const stores = await openStores(storeSettings(config), log);

if (config.env === 'development') {
  const seeded = await seedDemoData(stores.database.prisma, stores.mongo.db, {
    demoPassword: DEMO_PASSWORD,
    prescriptionSigning: config.prescriptionSigning,
  });
  if (seeded) log.info(seeded, 'demo data loaded');
}

const api = await createApi(config, stores, log);

// Before listening: a signal that arrives as soon as the server says it listens must find these.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await api.stop();
    await stores.close();
    process.exit(0);
  });
}
await new Promise<void>((resolve) => api.server.listen(config.http.port, config.http.host, resolve));
const address = api.server.address();
const port = typeof address === 'object' && address ? address.port : config.http.port;
const url = `http://${config.http.host}:${port}/graphql`;
log.info({ url, env: config.env }, 'API listening');

if (config.env === 'development') {
  const tokens = await demoTokens(stores.database.prisma, api.services.sessions);
  const explorer = {
    graphiql: `Explorer (GraphiQL, works offline; demo accounts one click away): ${url}`,
    sandbox: `Apollo Sandbox (needs the internet): ${url}`,
    off: 'No explorer (EXPLORER=off).',
  }[config.explorer];
  const lines = [
    '',
    `clinic-graph is running at ${url}`,
    explorer,
    '',
    `Demo accounts (development only; sign in with \`login\` and the password ${DEMO_PASSWORD}):`,
    ...tokens.map(({ who, email }) => `  ${who.padEnd(30)} ${email}`),
    '',
    'Access tokens for them (15 minutes; send as "Authorization: Bearer <token>"):',
    ...tokens.map(({ who, token }) => `  ${who.padEnd(30)} ${token}`),
    '',
    'New tokens: npm run token -- <email>, or a click in the explorer.',
    '',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}
