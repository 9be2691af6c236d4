// Runs a command-line task against the data stores the server would use, then closes them.
import 'reflect-metadata';
import { loadConfig, type Config } from '../config/config.js';
import { createLogger } from '../platform/logger.js';
import { openStores, type Stores } from '../platform/stores.js';
import { storeSettings } from '../store-settings.js';

export async function runWithStores(task: (stores: Stores, config: Config) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const stores = await openStores(storeSettings(config), createLogger(config.logLevel));
  try {
    await task(stores, config);
  } finally {
    await stores.close();
  }
}
