// An update document of any form (operators, replacement, pipeline) turned into the next version
// of a document, and the document an upsert inserts.
import { ObjectId } from 'bson';
import { canonicalKey, cloneDoc, isPlainObject, setPath, type Doc } from '../bson-values.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { runPipeline, type CollectionResolver } from '../mql.js';
import { applyOperatorUpdate, compileArrayFilters } from './operators.js';

const UPDATE_PIPELINE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

export type UpdateSpec = Doc | Doc[];

export interface UpdateRequest {
  update: UpdateSpec;
  query: Doc;
  arrayFilters?: unknown;
  resolver: CollectionResolver;
  variables?: Doc;
}

export function isOperatorUpdate(update: UpdateSpec): boolean {
  return !Array.isArray(update) && Object.keys(update).some((key) => key.startsWith('$'));
}

/** Refuses malformed update documents before any document is touched. */
export function checkUpdateSpec(update: unknown, allowReplacement: boolean): UpdateSpec {
  if (Array.isArray(update)) {
    for (const stage of update) {
      const name = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
      if (!name || !UPDATE_PIPELINE_STAGES.has(name)) {
        throw new MongoCommandError(ErrorCodes.InvalidOptions, `${name ?? 'stage'} is not allowed to be used within an update`);
      }
    }
    return update as Doc[];
  }
  if (!isPlainObject(update)) throw new MongoCommandError(ErrorCodes.FailedToParse, 'Update argument must be either an object or an array');
  const keys = Object.keys(update);
  const dollar = keys.filter((key) => key.startsWith('$'));
  if (dollar.length > 0 && dollar.length < keys.length) {
    if (keys[0].startsWith('$')) {
      const plain = keys.find((key) => !key.startsWith('$'));
      throw new MongoCommandError(
        ErrorCodes.FailedToParse,
        `Unknown modifier: ${plain}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    throw new MongoCommandError(
      ErrorCodes.BadValue,
      `The dollar ($) prefixed field '${dollar[0]}' in '${dollar[0]}' is not valid for storage.`,
    );
  }
  if (dollar.length === 0 && !allowReplacement && keys.length > 0) {
    throw new MongoCommandError(ErrorCodes.FailedToParse, 'multi update is not supported for replacement-style update');
  }
  return update;
}

function immutableId(): MongoCommandError {
  return new MongoCommandError(ErrorCodes.ImmutableField, "Performing an update on the path '_id' would modify the immutable field '_id'");
}

/** `_id` first, as MongoDB stores it; one is generated when missing. */
export function withIdFirst(doc: Doc): Doc {
  if (doc._id === undefined) return { _id: new ObjectId(), ...doc };
  if (Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

function applyTo(base: Doc, request: UpdateRequest, inserting: boolean): Doc {
  const { update } = request;
  if (Array.isArray(update)) {
    const [result] = runPipeline([base], update, request.resolver, request.variables);
    if (!result) throw new MongoCommandError(ErrorCodes.BadValue, 'the update pipeline produced no document');
    return result;
  }
  if (isOperatorUpdate(update)) {
    const next = cloneDoc(base);
    applyOperatorUpdate(next, update as Doc, {
      query: inserting ? {} : request.query,
      arrayFilters: compileArrayFilters(request.arrayFilters),
      inserting,
    });
    return next;
  }
  return cloneDoc(update);
}

/** The next version of an existing document; its `_id` may not change. */
export function updatedDocument(current: Doc, request: UpdateRequest): Doc {
  const next = applyTo(current, request, false);
  if (next._id === undefined) next._id = current._id;
  else if (canonicalKey(next._id) !== canonicalKey(current._id)) throw immutableId();
  return withIdFirst(next);
}

/** The fields an upsert copies from its filter: equalities, including inside `$and`. */
function seedFromQuery(query: Doc, seed: Doc = {}): Doc {
  for (const [field, condition] of Object.entries(query)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const part of condition) if (isPlainObject(part)) seedFromQuery(part, seed);
    } else if (field.startsWith('$')) {
      continue;
    } else if (isPlainObject(condition) && Object.keys(condition).some((key) => key.startsWith('$'))) {
      if ('$eq' in condition) setPath(seed, field, cloneDoc(condition.$eq));
    } else {
      setPath(seed, field, cloneDoc(condition));
    }
  }
  return seed;
}

/** The document an upsert inserts when its filter matched nothing. */
export function upsertDocument(request: UpdateRequest): Doc {
  const seed = seedFromQuery(request.query);
  if (!isOperatorUpdate(request.update) && !Array.isArray(request.update)) {
    const replacement = cloneDoc(request.update as Doc);
    if (seed._id !== undefined && replacement._id !== undefined && canonicalKey(seed._id) !== canonicalKey(replacement._id)) {
      throw immutableId();
    }
    return withIdFirst({ ...(seed._id !== undefined ? { _id: seed._id } : {}), ...replacement });
  }
  const next = applyTo(seed, request, true);
  if (seed._id !== undefined && canonicalKey(next._id) !== canonicalKey(seed._id)) throw immutableId();
  return withIdFirst(next);
}
