// Runs one command: refuses transactions as a standalone MongoDB does, answers unknown commands
// with CommandNotFound, and turns every failure into MongoDB's error reply.
import type { Doc } from '../bson-values.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { adminCommands } from './admin.js';
import type { CommandContext, CommandHandler } from './context.js';
import { readCommands } from './read.js';
import { isTransactional, serverInfoCommands, TRANSACTIONS_REFUSED } from './server-info.js';
import { writeCommands } from './write.js';

const handlers: Record<string, CommandHandler> = {
  ...serverInfoCommands,
  ...writeCommands,
  ...readCommands,
  ...adminCommands,
};

handlers.listCommands = () => ({
  commands: Object.fromEntries(
    Object.keys(handlers)
      .sort()
      .map((name) => [name, { help: '', requiresAuth: false }]),
  ),
  ok: 1,
});

export type Logger = (message: string) => void;

export function runCommand(command: Doc, context: Omit<CommandContext, 'db'>, log: Logger): Doc {
  const name = Object.keys(command)[0];
  try {
    const db = command.$db;
    if (typeof db !== 'string') throw new MongoCommandError(ErrorCodes.FailedToParse, 'OP_MSG requests require a $db argument');
    if (isTransactional(command)) throw new MongoCommandError(ErrorCodes.IllegalOperation, TRANSACTIONS_REFUSED);
    const handler = name === undefined ? undefined : Object.hasOwn(handlers, name) ? handlers[name] : undefined;
    if (!handler) throw new MongoCommandError(ErrorCodes.CommandNotFound, `no such command: '${name}'`);
    if (!['hello', 'isMaster', 'ismaster', 'ping'].includes(name)) context.server.opcounters.command += 1;
    return handler(command, { ...context, db });
  } catch (error) {
    if (error instanceof MongoCommandError) return error.toReply();
    log(`command '${name}' failed unexpectedly: ${(error as Error)?.stack ?? String(error)}`);
    return {
      ok: 0,
      errmsg: `internal error in mongo-standin: ${(error as Error)?.message ?? String(error)}`,
      code: 1,
      codeName: 'InternalError',
    };
  }
}
