// find, getMore, killCursors, count, distinct, aggregate and explain.
import { Long } from 'bson';
import { canonicalKey, compareValues, isPlainObject, type Doc } from '../bson-values.js';
import type { Batch } from '../cursors.js';
import { ErrorCodes, MongoCommandError, notImplemented } from '../errors.js';
import { MINGO_PIPELINE_STAGES, runFind, runPipeline, unrecognizedStage } from '../mql.js';
import type { Collection, QueryPlan } from '../storage/collection.js';
import { withIdFirst } from '../updates/apply.js';
import {
  collectionArgument,
  nonNegative,
  optionalBoolean,
  optionalDoc,
  optionalNumber,
  refuseCollation,
  requiredArray,
} from './arguments.js';
import { EMULATED_VERSION, type CommandContext, type CommandHandler } from './context.js';

/** Stages MongoDB has that the stand-in does not run: refused by name instead of misbehaving. */
const REFUSED_STAGES = new Set([
  '$merge',
  '$geoNear',
  '$search',
  '$searchMeta',
  '$vectorSearch',
  '$collStats',
  '$indexStats',
  '$currentOp',
  '$listSessions',
  '$listLocalSessions',
  '$planCacheStats',
  '$listSearchIndexes',
  '$changeStreamSplitLargeEvent',
]);

function cursorReply(batch: Batch, field: 'firstBatch' | 'nextBatch'): Doc {
  return { cursor: { id: batch.id, ns: batch.namespace, [field]: batch.docs }, ok: 1 };
}

function resolverFor(context: CommandContext) {
  return (name: string) => Array.from(context.catalog.collection(context.db, name)?.docs.values() ?? []);
}

function checkHint(collection: Collection | undefined, hint: unknown): void {
  if (hint === undefined || hint === null || !collection) return;
  const found = [...collection.indexes.values()].some((index) =>
    typeof hint === 'string' ? index.name === hint : isPlainObject(hint) && canonicalKey(index.spec.key) === canonicalKey(hint),
  );
  if (!found && !(isPlainObject(hint) && '$natural' in hint)) {
    throw new MongoCommandError(
      ErrorCodes.BadValue,
      'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
    );
  }
}

interface FindRun {
  plan: QueryPlan;
  docs: Doc[];
}

function runFindCommand(command: Doc, context: CommandContext): FindRun & { collection?: Collection } {
  const name = collectionArgument(command, 'find', context);
  refuseCollation(command);
  for (const option of ['min', 'max', 'returnKey', 'showRecordId']) {
    if (command[option] !== undefined && command[option] !== false) throw notImplemented(`find option '${option}'`);
  }
  if (optionalBoolean(command, 'tailable')) {
    throw new MongoCommandError(ErrorCodes.BadValue, 'error processing query: tailable cursor requested on non capped collection');
  }
  const filter = optionalDoc(command, 'filter') ?? {};
  const collection = context.catalog.collection(context.db, name);
  checkHint(collection, command.hint);
  const plan = collection ? collection.plan(filter) : { candidates: [], keysExamined: 0 };
  const docs = runFind(
    plan.candidates,
    filter,
    {
      sort: optionalDoc(command, 'sort'),
      projection: optionalDoc(command, 'projection'),
      skip: nonNegative(command, 'skip'),
      limit: nonNegative(command, 'limit'),
    },
    optionalDoc(command, 'let'),
  );
  return { plan, docs, collection };
}

const find: CommandHandler = (command, context) => {
  const { docs } = runFindCommand(command, context);
  context.server.opcounters.query += 1;
  const namespace = `${context.db}.${command.find as string}`;
  const batch = context.cursors.start(namespace, docs, nonNegative(command, 'batchSize'), optionalBoolean(command, 'singleBatch'));
  return cursorReply(batch, 'firstBatch');
};

const getMore: CommandHandler = (command, context) => {
  const raw = command.getMore;
  if (!(raw instanceof Long) && typeof raw !== 'number') {
    throw new MongoCommandError(ErrorCodes.TypeMismatch, "BSON field 'getMore.getMore' is the wrong type, expected type 'long'");
  }
  const collection = collectionArgument(command, 'collection', context);
  context.server.opcounters.getmore += 1;
  const id = raw instanceof Long ? raw : Long.fromNumber(raw);
  return cursorReply(context.cursors.more(id, `${context.db}.${collection}`, nonNegative(command, 'batchSize')), 'nextBatch');
};

const killCursors: CommandHandler = (command, context) => {
  collectionArgument(command, 'killCursors', context);
  const ids = requiredArray(command, 'cursors').map((id) => (id instanceof Long ? id : Long.fromNumber(Number(id))));
  const { killed, notFound } = context.cursors.kill(ids);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

const count: CommandHandler = (command, context) => {
  const name = collectionArgument(command, 'count', context);
  refuseCollation(command);
  const query = optionalDoc(command, 'query') ?? {};
  const collection = context.catalog.collection(context.db, name);
  checkHint(collection, command.hint);
  if (!collection) return { n: 0, ok: 1 };
  const skip = nonNegative(command, 'skip') ?? 0;
  const limit = Math.abs(optionalNumber(command, 'limit') ?? 0);
  const matched = Object.keys(query).length === 0 ? collection.docs.size : runFind(collection.plan(query).candidates, query, {}).length;
  const afterSkip = Math.max(0, matched - skip);
  return { n: limit > 0 ? Math.min(limit, afterSkip) : afterSkip, ok: 1 };
};

/** The values of `parts` in `value`, an array at the end contributing its elements. */
function distinctValues(value: unknown, parts: string[], depth: number, into: unknown[]): void {
  if (value === undefined) return;
  if (depth === parts.length) {
    if (Array.isArray(value)) into.push(...value);
    else into.push(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const element of value) distinctValues(element, parts, depth, into);
  } else if (isPlainObject(value)) {
    distinctValues(value[parts[depth]], parts, depth + 1, into);
  }
}

const distinct: CommandHandler = (command, context) => {
  const name = collectionArgument(command, 'distinct', context);
  refuseCollation(command);
  const key = command.key;
  if (typeof key !== 'string')
    throw new MongoCommandError(ErrorCodes.TypeMismatch, "BSON field 'distinct.key' is missing but a required field");
  const query = optionalDoc(command, 'query') ?? {};
  const collection = context.catalog.collection(context.db, name);
  if (!collection) return { values: [], ok: 1 };
  const found = new Map<string, unknown>();
  for (const doc of runFind(collection.plan(query).candidates, query, {})) {
    const values: unknown[] = [];
    distinctValues(doc, key.split('.'), 0, values);
    for (const value of values) found.set(canonicalKey(value), value);
  }
  return { values: [...found.values()].sort(compareValues), ok: 1 };
};

function stageName(stage: unknown): string {
  if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
    throw new MongoCommandError(ErrorCodes.Location40323, 'A pipeline stage specification object must contain exactly one field.');
  }
  return Object.keys(stage)[0];
}

function checkPipeline(pipeline: Doc[]): { stages: Doc[]; out?: string } {
  let out: string | undefined;
  pipeline.forEach((stage, index) => {
    const name = stageName(stage);
    if (name === '$changeStream') {
      throw new MongoCommandError(ErrorCodes.Location40573, 'The $changeStream stage is only supported on replica sets');
    }
    if (name === '$out') {
      if (index !== pipeline.length - 1)
        throw new MongoCommandError(ErrorCodes.Location40601, '$out can only be the final stage in the pipeline');
      const target = stage.$out;
      if (isPlainObject(target) && typeof target.coll === 'string' && target.db === undefined) out = target.coll;
      else if (typeof target === 'string') out = target;
      else throw notImplemented('$out to another database');
      return;
    }
    if (REFUSED_STAGES.has(name))
      throw new MongoCommandError(ErrorCodes.Location40324, `Unrecognized pipeline stage name: '${name}' (not supported by mongo-standin)`);
    if (!MINGO_PIPELINE_STAGES.has(name)) throw unrecognizedStage(name);
  });
  return { stages: out ? pipeline.slice(0, -1) : pipeline, out };
}

function explainPlan(
  collection: Collection | undefined,
  namespace: string,
  filter: Doc,
  plan: QueryPlan,
  returned: number,
  verbosity: unknown,
): Doc {
  const index = plan.indexName ? collection?.indexes.get(plan.indexName) : undefined;
  const winningPlan = index
    ? {
        stage: 'FETCH',
        filter,
        inputStage: { stage: 'IXSCAN', keyPattern: index.spec.key, indexName: index.name, isUnique: index.unique, direction: 'forward' },
      }
    : { stage: 'COLLSCAN', filter, direction: 'forward' };
  const explained: Doc = {
    explainVersion: '1',
    queryPlanner: { namespace, indexFilterSet: false, parsedQuery: filter, winningPlan, rejectedPlans: [] },
  };
  if (verbosity !== 'queryPlanner') {
    explained.executionStats = {
      executionSuccess: true,
      nReturned: returned,
      executionTimeMillis: 0,
      totalKeysExamined: plan.keysExamined,
      totalDocsExamined: plan.candidates.length,
      executionStages: { ...winningPlan, nReturned: returned, docsExamined: plan.candidates.length },
    };
  }
  return explained;
}

function aggregateInput(command: Doc, context: CommandContext, stages: Doc[]): { input: Doc[]; plan?: QueryPlan; collection?: Collection } {
  if (command.aggregate === 1) {
    if (stages.length === 0 || stageName(stages[0]) !== '$documents') {
      throw new MongoCommandError(
        ErrorCodes.InvalidNamespace,
        `{aggregate: 1} is not valid for '${stages[0] ? stageName(stages[0]) : 'an empty pipeline'}'; a collection is required.`,
      );
    }
    return { input: [] };
  }
  const collection = context.catalog.collection(context.db, collectionArgument(command, 'aggregate', context));
  if (!collection) return { input: [] };
  const first = stages[0];
  const match = first && isPlainObject(first.$match) ? first.$match : undefined;
  const plan = collection.plan(match);
  return { input: plan.candidates, plan, collection };
}

const aggregate: CommandHandler = (command, context) => {
  refuseCollation(command);
  const pipeline = requiredArray(command, 'pipeline') as Doc[];
  const { stages, out } = checkPipeline(pipeline);
  const explain = optionalBoolean(command, 'explain');
  if (!explain && !isPlainObject(command.cursor)) {
    throw new MongoCommandError(
      ErrorCodes.FailedToParse,
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  }
  const { input, plan, collection } = aggregateInput(command, context, stages);
  const results = runPipeline(input, stages, resolverFor(context), optionalDoc(command, 'let'));
  const namespace = `${context.db}.${String(command.aggregate === 1 ? '$cmd.aggregate' : command.aggregate)}`;
  if (explain) {
    const cursorStage = explainPlan(
      collection,
      namespace,
      (stages[0]?.$match as Doc) ?? {},
      plan ?? { candidates: [], keysExamined: 0 },
      results.length,
      'executionStats',
    );
    return { explainVersion: '1', stages: [{ $cursor: cursorStage }, ...stages.slice(1)], ok: 1 };
  }
  if (out) {
    const { collection: target } = context.catalog.obtain(context.db, out);
    target.replaceContents(results.map(withIdFirst), optionalBoolean(command, 'bypassDocumentValidation'));
    return cursorReply({ id: Long.ZERO, namespace, docs: [] }, 'firstBatch');
  }
  const batchSize = nonNegative(command.cursor as Doc, 'batchSize');
  return cursorReply(context.cursors.start(namespace, results, batchSize), 'firstBatch');
};

const explain: CommandHandler = (command, context) => {
  const inner = optionalDoc(command, 'explain');
  if (!inner) throw new MongoCommandError(ErrorCodes.FailedToParse, "BSON field 'explain.explain' is missing but a required field");
  const verbosity = command.verbosity ?? 'allPlansExecution';
  const innerName = Object.keys(inner)[0];
  const serverInfo = { host: context.server.host, port: context.server.port, version: EMULATED_VERSION };
  if (innerName === 'find') {
    const { plan, docs, collection } = runFindCommand(inner, context);
    const namespace = `${context.db}.${String(inner.find)}`;
    return {
      ...explainPlan(collection, namespace, optionalDoc(inner, 'filter') ?? {}, plan, docs.length, verbosity),
      command: inner,
      serverInfo,
      ok: 1,
    };
  }
  if (innerName === 'aggregate') return { ...aggregate({ ...inner, explain: true }, context), serverInfo };
  throw notImplemented(`explain of '${innerName}'`);
};

export const readCommands: Record<string, CommandHandler> = {
  find,
  getMore,
  killCursors,
  count,
  distinct,
  aggregate,
  explain,
};
