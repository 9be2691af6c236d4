// The stand-in server: a TCP listener speaking MongoDB's wire protocol over the in-memory
// catalog, with an optional journal on disk and a monitor that expires TTL documents.
import net from 'node:net';
import type { Doc } from './bson-values.js';
import { runCommand, type Logger } from './commands/index.js';
import type { ServerState } from './commands/context.js';
import { CursorRegistry } from './cursors.js';
import { Catalog } from './storage/catalog.js';
import { Journal, NO_CHANGE_LOG } from './storage/journal.js';
import { encodeMsgReply, encodeQueryReply, MessageFramer, parseRequest, type QueryRequest } from './wire.js';

export interface StandinOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Keep the data in this folder (journal + snapshot) instead of only in memory. */
  dataDir?: string;
  /** How often expired TTL documents are deleted (MongoDB's own monitor: every 60 s). */
  ttlMonitorIntervalMs?: number;
  log?: Logger;
}

export interface RunningStandin {
  uri: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

const HANDSHAKE_COMMANDS = new Set(['hello', 'isMaster', 'ismaster']);

function queryReply(request: QueryRequest, run: (command: Doc) => Doc): Doc {
  const [db, collection] = [
    request.fullCollectionName.split('.')[0],
    request.fullCollectionName.slice(request.fullCollectionName.indexOf('.') + 1),
  ];
  if (collection !== '$cmd') {
    return { $err: 'OP_QUERY is no longer supported for queries; use the find command', code: 5739101, ok: 0 };
  }
  const command = (request.query.$query as Doc | undefined) ?? request.query;
  const name = Object.keys(command)[0];
  if (!HANDSHAKE_COMMANDS.has(name)) {
    return {
      ok: 0,
      errmsg: `Unsupported OP_QUERY command: ${name}. The client driver may require an upgrade.`,
      code: 352,
      codeName: 'UnsupportedOpQueryCommand',
    };
  }
  return run({ ...command, $db: db });
}

export async function startMongoStandin(options: StandinOptions = {}): Promise<RunningStandin> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((message: string) => process.stderr.write(`[mongo-standin] ${message}\n`));
  const journal = options.dataDir ? new Journal(options.dataDir) : undefined;
  const catalog = new Catalog(journal ?? NO_CHANGE_LOG);
  if (journal) {
    catalog.replay(journal.replay());
    journal.compact(catalog.state());
  }
  const cursors = new CursorRegistry();
  const state: ServerState = {
    startedAt: new Date(),
    host,
    port: 0,
    connections: { current: 0, totalCreated: 0 },
    opcounters: { insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0 },
  };
  const sockets = new Set<net.Socket>();
  let nextReplyId = 1;

  const server = net.createServer((socket) => {
    const connection = { id: ++state.connections.totalCreated, remote: `${socket.remoteAddress}:${socket.remotePort}` };
    state.connections.current += 1;
    sockets.add(socket);
    socket.setNoDelay(true);
    const framer = new MessageFramer();
    const run = (command: Doc) => runCommand(command, { catalog, cursors, server: state, connection }, log);
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const message of framer.push(chunk)) {
          const request = parseRequest(message);
          if (request.kind === 'query') {
            socket.write(encodeQueryReply(queryReply(request, run), nextReplyId++, request.requestId));
            continue;
          }
          const reply = run(request.command);
          if (!request.moreToCome) socket.write(encodeMsgReply(reply, nextReplyId++, request.requestId));
        }
      } catch (error) {
        log(`closing connection ${connection.id}: ${(error as Error).message}`);
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      state.connections.current -= 1;
      sockets.delete(socket);
    });
  });

  const monitor = setInterval(() => {
    const now = Date.now();
    for (const db of catalog.databaseNames()) {
      for (const collection of catalog.collections(db)) for (const doc of collection.expired(now)) collection.remove(doc);
    }
    cursors.closeIdle(now);
  }, options.ttlMonitorIntervalMs ?? 1000);
  monitor.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  state.port = typeof address === 'object' && address ? address.port : 0;
  const hostInUri = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    uri: `mongodb://${hostInUri}:${state.port}`,
    host,
    port: state.port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(monitor);
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          cursors.clear();
          if (journal) {
            journal.compact(catalog.state());
            journal.close();
          }
          resolve();
        });
      });
      return closing;
    },
  };
}
