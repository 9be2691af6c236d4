// Bench-only entry of the API: the compiled server (dist/) assembled as main.ts does, over the
// benchmark's databases, with two things main.ts has no need of: counters (SQL statements from
// Database.statementCount, MongoDB commands from the driver's command monitoring) and, when
// BENCH_SERVER.cache is false, a cache that never holds anything (every read goes to the stores).
import { NO_CACHE } from '../../test/harness/no-cache.js';
import { fromDist } from '../lib/dist.js';
import { BENCH_CLIENT, benchSigningKey } from '../settings.js';
import { host } from './host.js';

export interface ApiServerSettings {
  postgresUrl: string;
  mongoUrl: string;
  mongoDatabase: string;
  redisUrl: string | null;
  keyPrefix: string;
  cache: boolean;
  tokenSecret: string;
}

const settings = JSON.parse(process.env.BENCH_SERVER ?? '{}') as ApiServerSettings;

await host(async () => {
  const { createApi } = await fromDist<typeof import('../../src/app.js')>('src/app.js');
  const { loadConfig } = await fromDist<typeof import('../../src/config/config.js')>('src/config/config.js');
  const { collectionSpecsFor } = await fromDist<typeof import('../../src/modules/collections.js')>('src/modules/collections.js');
  const { connectStores } = await fromDist<typeof import('../../src/platform/stores.js')>('src/platform/stores.js');
  const { createLogger } = await fromDist<typeof import('../../src/platform/logger.js')>('src/platform/logger.js');
  const config = loadConfig({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    TOKEN_SECRET: settings.tokenSecret,
    FIRST_PARTY_CLIENTS: BENCH_CLIENT,
    DATABASE_URL: settings.postgresUrl,
    MONGODB_URL: settings.mongoUrl,
    MONGODB_DB: settings.mongoDatabase,
    REDIS_URL: settings.redisUrl ?? 'redis://127.0.0.1:6379',
    APP_URL: 'https://app.example.org',
    PRESCRIPTION_SIGNING_KEY: benchSigningKey().setting,
  });
  const log = createLogger(config.logLevel);
  const mongoUrl = `${settings.mongoUrl}${settings.mongoUrl.includes('?') ? '&' : '/?'}monitorCommands=true`;
  const stores = await connectStores(
    {
      postgres: { kind: 'server', url: settings.postgresUrl },
      mongo: { uri: mongoUrl, database: settings.mongoDatabase },
      redis: { url: settings.redisUrl ?? undefined, keyPrefix: settings.keyPrefix },
      collections: collectionSpecsFor({ auditRetentionSeconds: config.audit.retentionSeconds }),
    },
    log,
  );
  let mongoCommands = 0;
  stores.mongo.client.on('commandStarted', () => void (mongoCommands += 1));
  const api = await createApi(config, settings.cache ? stores : { ...stores, cache: NO_CACHE }, log);
  return {
    server: api.server,
    counts: () => ({ sql: stores.database.statementCount, mongo: mongoCommands }),
    async stop() {
      await api.stop();
      await stores.close();
    },
  };
});
