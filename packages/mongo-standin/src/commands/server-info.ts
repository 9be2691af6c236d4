// Handshake and server information: hello / isMaster, ping, buildInfo and what shells ask at start.
// The stand-in says it is a standalone server, which is what it is: no replica set, so drivers
// neither retry writes nor expect transactions or change streams.
import os from 'node:os';
import mingoPackage from 'mingo/package.json' with { type: 'json' };
import type { Doc } from '../bson-values.js';
import { ErrorCodes, MongoCommandError, type ErrorCode } from '../errors.js';
import { EMULATED_VERSION, MAX_WIRE_VERSION, STANDIN_NAME, type CommandContext, type CommandHandler } from './context.js';

export const STANDIN_INFO = { name: STANDIN_NAME, engine: `mingo ${mingoPackage.version}` };

function hello(legacy: boolean): CommandHandler {
  return (command, context) => ({
    ...(command.helloOk === true ? { helloOk: true } : {}),
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: context.connection.id,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    standIn: STANDIN_INFO,
    ok: 1,
  });
}

const versionArray = EMULATED_VERSION.split('.').map(Number).concat(0);

const buildInfo: CommandHandler = () => ({
  version: EMULATED_VERSION,
  gitVersion: STANDIN_NAME,
  versionArray,
  bits: 64,
  debug: false,
  maxBsonObjectSize: 16 * 1024 * 1024,
  storageEngines: ['mongo-standin-memory'],
  javascriptEngine: 'none',
  modules: [],
  standIn: STANDIN_INFO,
  ok: 1,
});

const serverStatus: CommandHandler = (_command, context) => ({
  host: `${os.hostname()}:${context.server.port}`,
  version: EMULATED_VERSION,
  process: STANDIN_NAME,
  pid: process.pid,
  uptime: Math.floor((Date.now() - context.server.startedAt.getTime()) / 1000),
  localTime: new Date(),
  connections: { ...context.server.connections, available: 1000 },
  opcounters: { ...context.server.opcounters },
  mem: { resident: Math.round(process.memoryUsage().rss / 1024 / 1024) },
  metrics: { cursor: { open: { total: context.cursors.size } } },
  standIn: STANDIN_INFO,
  ok: 1,
});

const refused =
  (message: string, code: ErrorCode = ErrorCodes.IllegalOperation): CommandHandler =>
  () => {
    throw new MongoCommandError(code, message);
  };

export const TRANSACTIONS_REFUSED = 'Transaction numbers are only allowed on a replica set member or mongos';

export const serverInfoCommands: Record<string, CommandHandler> = {
  hello: hello(false),
  isMaster: hello(true),
  ismaster: hello(true),
  ping: () => ({ ok: 1 }),
  buildInfo,
  buildinfo: buildInfo,
  serverStatus,
  hostInfo: () => ({
    system: { hostname: os.hostname(), numCores: os.cpus().length, memSizeMB: Math.round(os.totalmem() / 1024 / 1024) },
    os: { type: os.type(), name: os.platform(), version: os.release() },
    ok: 1,
  }),
  whatsmyuri: (_command, context: CommandContext) => ({ you: context.connection.remote, ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  getCmdLineOpts: (_command, context) => ({ argv: [STANDIN_NAME], parsed: { net: { port: context.server.port } }, ok: 1 }),
  getLog: (command) => (command.getLog === '*' ? { names: ['startupWarnings'], ok: 1 } : { totalLinesWritten: 0, log: [], ok: 1 }),
  getParameter: (command) => ({
    ...(command.featureCompatibilityVersion || command.getParameter === '*'
      ? { featureCompatibilityVersion: { version: EMULATED_VERSION.split('.').slice(0, 2).join('.') } }
      : {}),
    ok: 1,
  }),
  endSessions: () => ({ ok: 1 }),
  refreshSessions: () => ({ ok: 1 }),
  killSessions: () => ({ ok: 1 }),
  killAllSessions: () => ({ ok: 1 }),
  commitTransaction: refused(TRANSACTIONS_REFUSED),
  abortTransaction: refused(TRANSACTIONS_REFUSED),
  saslStart: refused('Authentication failed.', ErrorCodes.AuthenticationFailed),
  authenticate: refused('Authentication failed.', ErrorCodes.AuthenticationFailed),
  logout: () => ({ ok: 1 }),
};

/** Fields that mark a command as part of a transaction. */
export function isTransactional(command: Doc): boolean {
  return 'txnNumber' in command || 'startTransaction' in command || 'autocommit' in command;
}
