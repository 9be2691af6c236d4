// insert, update, delete and findAndModify: each document is written whole or not at all; an
// ordered batch stops at its first error, an unordered one goes on and reports every error.
import { canonicalKey, type Doc } from '../bson-values.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { runFind } from '../mql.js';
import type { Collection } from '../storage/collection.js';
import { checkUpdateSpec, updatedDocument, upsertDocument, withIdFirst, type UpdateRequest } from '../updates/apply.js';
import { collectionArgument, optionalBoolean, optionalDoc, refuseCollation, writeBatch } from './arguments.js';
import type { CommandContext, CommandHandler } from './context.js';

function checkNewDocument(doc: Doc): Doc {
  for (const field of Object.keys(doc)) {
    if (field.startsWith('$')) {
      throw new MongoCommandError(ErrorCodes.BadValue, `Document can't have $ prefixed field names: ${field}`);
    }
  }
  if (Array.isArray(doc._id)) throw new MongoCommandError(ErrorCodes.BadValue, "can't use an array for _id");
  if (doc._id instanceof RegExp) throw new MongoCommandError(ErrorCodes.BadValue, "can't use a regex for _id");
  return withIdFirst(doc);
}

/** Runs each statement of a write batch, collecting MongoDB-shaped write errors. */
function eachStatement<T>(statements: T[], ordered: boolean, run: (statement: T, index: number) => void): Doc[] {
  const writeErrors: Doc[] = [];
  for (let index = 0; index < statements.length; index++) {
    try {
      run(statements[index], index);
    } catch (error) {
      if (!(error instanceof MongoCommandError)) throw error;
      writeErrors.push(error.toWriteError(index));
      if (ordered) break;
    }
  }
  return writeErrors;
}

function withWriteErrors(reply: Doc, writeErrors: Doc[]): Doc {
  return writeErrors.length > 0 ? { ...reply, writeErrors, ok: 1 } : { ...reply, ok: 1 };
}

function resolverFor(context: CommandContext) {
  return (name: string) => Array.from(context.catalog.collection(context.db, name)?.docs.values() ?? []);
}

function matching(collection: Collection | undefined, query: Doc, limitOne: boolean, sort?: Doc, variables?: Doc): Doc[] {
  if (!collection) return [];
  const plan = collection.plan(query);
  return runFind(plan.candidates, query, { limit: limitOne ? 1 : undefined, sort }, variables);
}

const insert: CommandHandler = (command, context) => {
  const name = collectionArgument(command, 'insert', context);
  const documents = writeBatch(command, 'documents');
  const bypass = optionalBoolean(command, 'bypassDocumentValidation');
  const { collection } = context.catalog.obtain(context.db, name);
  let n = 0;
  const writeErrors = eachStatement(documents, command.ordered !== false, (doc) => {
    collection.insert(checkNewDocument(doc), bypass);
    n += 1;
  });
  context.server.opcounters.insert += documents.length;
  return withWriteErrors({ n }, writeErrors);
};

const update: CommandHandler = (command, context) => {
  const name = collectionArgument(command, 'update', context);
  const statements = writeBatch(command, 'updates');
  const bypass = optionalBoolean(command, 'bypassDocumentValidation');
  const variables = optionalDoc(command, 'let');
  let n = 0;
  let nModified = 0;
  const upserted: Doc[] = [];
  const writeErrors = eachStatement(statements, command.ordered !== false, (statement, index) => {
    refuseCollation(statement);
    const query = optionalDoc(statement, 'q') ?? {};
    const multi = optionalBoolean(statement, 'multi');
    const request: UpdateRequest = {
      update: checkUpdateSpec(statement.u, !multi),
      query,
      arrayFilters: statement.arrayFilters,
      resolver: resolverFor(context),
      variables,
    };
    const existing = context.catalog.collection(context.db, name);
    const targets = matching(existing, query, !multi, optionalDoc(statement, 'sort'), variables);
    if (targets.length === 0 && optionalBoolean(statement, 'upsert')) {
      const doc = upsertDocument(request);
      context.catalog.obtain(context.db, name).collection.insert(checkNewDocument(doc), bypass);
      upserted.push({ index, _id: doc._id });
      n += 1;
      return;
    }
    for (const current of targets) {
      const next = updatedDocument(current, request);
      n += 1;
      if (canonicalKey(next) === canonicalKey(current)) continue;
      existing!.replace(current, next, bypass);
      nModified += 1;
    }
  });
  context.server.opcounters.update += statements.length;
  return withWriteErrors({ n, nModified, ...(upserted.length > 0 ? { upserted } : {}) }, writeErrors);
};

const remove: CommandHandler = (command, context) => {
  const name = collectionArgument(command, 'delete', context);
  const statements = writeBatch(command, 'deletes');
  const variables = optionalDoc(command, 'let');
  let n = 0;
  const writeErrors = eachStatement(statements, command.ordered !== false, (statement) => {
    refuseCollation(statement);
    const limit = statement.limit ?? 0;
    if (limit !== 0 && limit !== 1) {
      throw new MongoCommandError(ErrorCodes.FailedToParse, `The limit field in delete objects must be 0 or 1. Got ${String(limit)}`);
    }
    const collection = context.catalog.collection(context.db, name);
    for (const doc of matching(collection, optionalDoc(statement, 'q') ?? {}, limit === 1, undefined, variables)) {
      collection!.remove(doc);
      n += 1;
    }
  });
  context.server.opcounters.delete += statements.length;
  return withWriteErrors({ n }, writeErrors);
};

const findAndModify: CommandHandler = (command, context) => {
  const name = collectionArgument(command, Object.keys(command)[0], context);
  refuseCollation(command);
  const query = optionalDoc(command, 'query') ?? {};
  const removing = optionalBoolean(command, 'remove');
  const upsert = optionalBoolean(command, 'upsert');
  const returnNew = optionalBoolean(command, 'new');
  const projection = optionalDoc(command, 'fields');
  const bypass = optionalBoolean(command, 'bypassDocumentValidation');
  const variables = optionalDoc(command, 'let');
  if (removing && command.update !== undefined)
    throw new MongoCommandError(ErrorCodes.FailedToParse, 'Cannot specify both an update and remove=true');
  if (!removing && command.update === undefined)
    throw new MongoCommandError(ErrorCodes.FailedToParse, 'Either an update or remove=true must be specified');
  if (removing && upsert) throw new MongoCommandError(ErrorCodes.FailedToParse, 'Cannot specify both upsert=true and remove=true');
  if (removing && returnNew) {
    throw new MongoCommandError(
      ErrorCodes.FailedToParse,
      "Cannot specify both new=true and remove=true; 'remove' always returns the deleted document",
    );
  }
  const existing = context.catalog.collection(context.db, name);
  const [current] = matching(existing, query, true, optionalDoc(command, 'sort'), variables);
  const shown = (doc: Doc | undefined) => (doc ? (projection ? runFind([doc], {}, { projection })[0] : doc) : null);

  if (removing) {
    context.server.opcounters.delete += 1;
    if (current) existing!.remove(current);
    return { lastErrorObject: { n: current ? 1 : 0 }, value: shown(current), ok: 1 };
  }
  context.server.opcounters.update += 1;
  const request: UpdateRequest = {
    update: checkUpdateSpec(command.update, true),
    query,
    arrayFilters: command.arrayFilters,
    resolver: resolverFor(context),
    variables,
  };
  if (current) {
    const next = updatedDocument(current, request);
    if (canonicalKey(next) !== canonicalKey(current)) existing!.replace(current, next, bypass);
    return { lastErrorObject: { n: 1, updatedExisting: true }, value: shown(returnNew ? next : current), ok: 1 };
  }
  if (!upsert) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  const doc = checkNewDocument(upsertDocument(request));
  context.catalog.obtain(context.db, name).collection.insert(doc, bypass);
  return { lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id }, value: shown(returnNew ? doc : undefined), ok: 1 };
};

export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: remove,
  findAndModify,
  findandmodify: findAndModify,
};
