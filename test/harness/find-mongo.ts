// Chooses the MongoDB for a test run: an explicit MONGODB_URL, else a server on the standard
// local port, else the project's stand-in started in this process.
import net from 'node:net';
import { MongoClient } from 'mongodb';
import { startMongoStandin } from '../../tools/mongo-standin/src/server.js';

export interface FoundMongo {
  uri: string;
  label: string;
  reason: string;
  stop(): Promise<void>;
}

async function describeServer(uri: string): Promise<string> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 3000 });
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    return info.standIn ? `mongo-standin (MongoDB ${info.version} semantics)` : `MongoDB ${info.version}`;
  } finally {
    await client.close();
  }
}

function portAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(300, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function findMongo(): Promise<FoundMongo> {
  const explicit = process.env.MONGODB_URL;
  if (explicit) {
    return { uri: explicit, label: await describeServer(explicit), reason: 'MONGODB_URL is set', stop: async () => {} };
  }
  if (await portAnswers(27017)) {
    const uri = 'mongodb://127.0.0.1:27017';
    return { uri, label: await describeServer(uri), reason: 'a server answers on 127.0.0.1:27017', stop: async () => {} };
  }
  const standin = await startMongoStandin({ port: 0, ttlMonitorIntervalMs: 200 });
  return {
    uri: standin.uri,
    label: await describeServer(standin.uri),
    reason: 'no MONGODB_URL and nothing on 127.0.0.1:27017; started the stand-in in-process',
    stop: () => standin.close(),
  };
}
