// Where this process keeps its data, from the configuration: the same for the server, the seed
// command and the setup command, so they always find the same databases.
import path from 'node:path';
import type { Config } from './config/config.js';
import { collectionSpecsFor } from './modules/collections.js';
import { PROJECT_ROOT } from './platform/paths.js';
import type { StoreSettings } from './platform/stores.js';

export function storeSettings(config: Config): StoreSettings {
  const dataDir = path.resolve(PROJECT_ROOT, config.dataDir);
  return {
    postgres: {
      url: config.postgres.url,
      database: config.isProduction ? 'clinic' : 'clinic_dev',
      embeddedDir: path.join(dataDir, 'pglite'),
    },
    mongo: {
      url: config.mongo.url,
      database: config.mongo.database,
      standinDataDir: path.join(dataDir, 'mongo'),
      timeoutMs: config.mongo.timeoutMs,
    },
    redis: { url: config.redis.url, keyPrefix: 'clinic:' },
    collections: collectionSpecsFor({ auditRetentionSeconds: config.audit.retentionSeconds }),
  };
}
