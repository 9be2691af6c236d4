// `npm start -- --port 27017 [--host 127.0.0.1] [--data-dir DIR] [--ttl-interval-ms N]` here, or
// `npm run mongo:standin -- ...` from the project's root.
// Runs in the foreground, prints its mongodb:// URI on stdout, stops cleanly on SIGINT / SIGTERM.
import { parseArgs } from 'node:util';
import { startMongoStandin } from './server.js';
import { EMULATED_VERSION } from './commands/context.js';

const usage = 'usage: mongo-standin [--port 27017] [--host 127.0.0.1] [--data-dir DIR] [--ttl-interval-ms 1000]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) fail(`--${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  return value;
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'ttl-interval-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }).values;
} catch (error) {
  fail((error as Error).message);
}
if (parsed.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

const standin = await startMongoStandin({
  port: integer('port', parsed.port, 27017, 0, 65535),
  host: parsed.host ?? '127.0.0.1',
  dataDir: parsed['data-dir'],
  ttlMonitorIntervalMs: integer('ttl-interval-ms', parsed['ttl-interval-ms'], 1000, 10, 3_600_000),
}).catch((error: Error) => fail(`mongo-standin could not start: ${error.message}`));

process.stdout.write(`${standin.uri}\n`);
process.stderr.write(
  `mongo-standin: MongoDB ${EMULATED_VERSION} semantics, standalone, ${parsed['data-dir'] ? `data in ${parsed['data-dir']}` : 'in memory'}; Ctrl-C to stop\n`,
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    standin.close().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`mongo-standin: error while stopping: ${error.message}\n`);
        process.exit(1);
      },
    );
  });
}
