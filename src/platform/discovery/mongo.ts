// Finding MongoDB: MONGODB_URL; else a server on 127.0.0.1:27017; else a testcontainers container;
// else mongodb-memory-server (a real mongod) when it can have a binary; else the project's own
// stand-in (the workspace package @clinic-graph/mongo-standin), in-process. What the server is (its
// version, or the stand-in) is asked over the connection its user opens anyway: see describeServer
// in ../mongo.ts.
// testcontainers, mongodb-memory-server and the stand-in are development tools, absent from the
// production image: they are loaded only by import() on the paths after MONGODB_URL, never by a
// static import (test/platform/production-footprint tests check both).
import dns from 'node:dns/promises';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { containerRuntimeAvailable, portAnswers, type Choice } from './probes.js';

export interface FoundMongo extends Omit<Choice, 'label'> {
  uri: string;
}

/** mongodb-memory-server needs a mongod: one already on disk, or a download host that resolves. */
async function memoryServerCanHaveBinary(): Promise<boolean> {
  if (process.env.MONGOMS_SYSTEM_BINARY) return true;
  const caches = [
    process.env.MONGOMS_DOWNLOAD_DIR,
    path.join(os.homedir(), '.cache', 'mongodb-binaries'),
    path.resolve('node_modules', '.cache', 'mongodb-memory-server'),
  ];
  if (caches.some((dir) => dir && existsSync(dir) && readdirSync(dir).some((file) => file.startsWith('mongod')))) return true;
  const mirror = process.env.MONGOMS_DOWNLOAD_MIRROR ?? 'https://fastdl.mongodb.org';
  try {
    await Promise.race([
      dns.lookup(new URL(mirror).hostname),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000)),
    ]);
    return true;
  } catch {
    return false;
  }
}

export async function findMongo(options: { url?: string; standinDataDir?: string; ttlMonitorIntervalMs?: number }): Promise<FoundMongo> {
  const none = async () => {};
  if (options.url) return { uri: options.url, reason: 'MONGODB_URL is set', stop: none };
  if (await portAnswers(27017)) return { uri: 'mongodb://127.0.0.1:27017', reason: 'a server answers on 127.0.0.1:27017', stop: none };
  if (await containerRuntimeAvailable()) {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer('mongo:7')
      .withExposedPorts(27017)
      .withWaitStrategy(Wait.forLogMessage(/Waiting for connections/))
      .start();
    const uri = `mongodb://${container.getHost()}:${container.getMappedPort(27017)}`;
    return {
      uri,
      reason: 'no server found; a container runtime answers (a mongo:7 container)',
      stop: async () => {
        await container.stop();
      },
    };
  }
  if (await memoryServerCanHaveBinary()) {
    try {
      const { MongoMemoryServer } = await import('mongodb-memory-server');
      const server = await MongoMemoryServer.create();
      return {
        uri: server.getUri(),
        reason: 'no server or container; mongodb-memory-server obtained a mongod',
        stop: async () => {
          await server.stop();
        },
      };
    } catch {
      // fall through to the stand-in
    }
  }
  const standin = await startEmbeddedStandin(options);
  return {
    ...standin,
    reason: 'no MONGODB_URL, nothing on 127.0.0.1:27017, no container runtime, no mongod binary to be had; started the stand-in in-process',
  };
}

/** The stand-in on a free port of 127.0.0.1, in this process. */
export async function startEmbeddedStandin(options: {
  standinDataDir?: string;
  ttlMonitorIntervalMs?: number;
}): Promise<{ uri: string; stop(): Promise<void> }> {
  const { startMongoStandin } = await import('@clinic-graph/mongo-standin').catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new Error(
      'no MongoDB found, and the MongoDB stand-in is not installed here (it is a development tool, absent from production installs): set MONGODB_URL',
      { cause: error },
    );
  });
  const standin = await startMongoStandin({
    port: 0,
    dataDir: options.standinDataDir,
    ttlMonitorIntervalMs: options.ttlMonitorIntervalMs,
    log: () => {},
  });
  return { uri: standin.uri, stop: () => standin.close() };
}
