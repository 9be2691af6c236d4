// What every command handler gets: the target database, the storage, the cursors, and who asks.
import type { Doc } from '../bson-values.js';
import type { CursorRegistry } from '../cursors.js';
import type { Catalog } from '../storage/catalog.js';

export const STANDIN_NAME = 'mongo-standin';
/** The MongoDB release whose semantics and wire version the stand-in follows. */
export const EMULATED_VERSION = '7.0.0';
export const MAX_WIRE_VERSION = 21;

export interface ServerState {
  startedAt: Date;
  host: string;
  port: number;
  connections: { current: number; totalCreated: number };
  opcounters: Record<'insert' | 'query' | 'update' | 'delete' | 'getmore' | 'command', number>;
}

export interface CommandContext {
  db: string;
  catalog: Catalog;
  cursors: CursorRegistry;
  server: ServerState;
  connection: { id: number; remote: string };
}

export type CommandHandler = (command: Doc, context: CommandContext) => Doc;
