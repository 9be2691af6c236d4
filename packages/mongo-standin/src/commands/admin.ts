// Collections, databases and indexes: create, collMod, drop, list; createIndexes, listIndexes,
// dropIndexes; and the statistics shells ask for.
import { calculateObjectSize } from 'bson';
import { canonicalKey, isPlainObject, valuesEqual, type Doc } from '../bson-values.js';
import { ErrorCodes, MongoCommandError, notImplemented } from '../errors.js';
import { runFind } from '../mql.js';
import type { Collection, CollectionOptions } from '../storage/collection.js';
import { validateIndexSpec, type IndexSpec } from '../storage/index.js';
import { collectionArgument, optionalBoolean, optionalDoc, requiredArray } from './arguments.js';
import type { CommandContext, CommandHandler } from './context.js';

const UNSUPPORTED_COLLECTION_OPTIONS = [
  'capped',
  'timeseries',
  'viewOn',
  'pipeline',
  'clusteredIndex',
  'collation',
  'encryptedFields',
  'changeStreamPreAndPostImages',
];
const IGNORED_COLLECTION_OPTIONS = new Set([
  'create',
  'collMod',
  'writeConcern',
  'lsid',
  '$db',
  'comment',
  'storageEngine',
  'indexOptionDefaults',
  '$readPreference',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  '$clusterTime',
  'maxTimeMS',
  'readConcern',
  'index',
  'size',
  'max',
  'autoIndexId',
  'flags',
]);

function unsupportedOption(command: Doc): string | undefined {
  return UNSUPPORTED_COLLECTION_OPTIONS.find((option) => command[option] !== undefined && command[option] !== false);
}

/** The options `command` asks for, on top of `base`; unsupported options are the caller's to refuse. */
function collectionOptions(command: Doc, base: CollectionOptions = {}): CollectionOptions {
  const options: CollectionOptions = { ...base };
  if (command.validator !== undefined) {
    const validator = optionalDoc(command, 'validator');
    if (validator && Object.keys(validator).length > 0) options.validator = validator;
    else delete options.validator;
  }
  if (command.validationLevel !== undefined) {
    if (!['off', 'strict', 'moderate'].includes(command.validationLevel as string)) {
      throw new MongoCommandError(
        ErrorCodes.BadValue,
        `Enumeration value '${String(command.validationLevel)}' for field 'validationLevel' is not a valid value.`,
      );
    }
    options.validationLevel = command.validationLevel as CollectionOptions['validationLevel'];
  }
  if (command.validationAction !== undefined) {
    if (!['error', 'warn'].includes(command.validationAction as string)) {
      throw new MongoCommandError(
        ErrorCodes.BadValue,
        `Enumeration value '${String(command.validationAction)}' for field 'validationAction' is not a valid value.`,
      );
    }
    options.validationAction = command.validationAction as CollectionOptions['validationAction'];
  }
  for (const field of Object.keys(command)) {
    if (
      !IGNORED_COLLECTION_OPTIONS.has(field) &&
      !['validator', 'validationLevel', 'validationAction'].includes(field) &&
      !UNSUPPORTED_COLLECTION_OPTIONS.includes(field)
    ) {
      throw new MongoCommandError(ErrorCodes.InvalidOptions, `BSON field '${field}' is an unknown field.`);
    }
  }
  return options;
}

function existingCollection(context: CommandContext, name: string): Collection {
  const collection = context.catalog.collection(context.db, name);
  if (!collection) throw new MongoCommandError(ErrorCodes.NamespaceNotFound, `ns does not exist: ${context.db}.${name}`);
  return collection;
}

/** Same options field by field: the order collMod happened to store them in does not matter. */
function sameCollectionOptions(a: CollectionOptions, b: CollectionOptions): boolean {
  const fields = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof CollectionOptions)[]);
  return [...fields].every((field) => valuesEqual(a[field], b[field]));
}

const create: CommandHandler = (command, context) => {
  const name = collectionArgument(command, 'create', context);
  const requested = collectionOptions(command);
  const unsupported = unsupportedOption(command);
  const existing = context.catalog.collection(context.db, name);
  if (existing) {
    // MongoDB 7.0 lets `create` name an existing collection only with identical options. The
    // stand-in never holds a collection with an unsupported option, so asking for one differs.
    if (unsupported || !sameCollectionOptions(requested, existing.options)) {
      throw new MongoCommandError(ErrorCodes.NamespaceExists, `Collection ${context.db}.${name} already exists.`);
    }
    return { ok: 1 };
  }
  if (unsupported) throw notImplemented(`Collection option '${unsupported}'`);
  context.catalog.create(context.db, name, requested);
  return { ok: 1 };
};

function findIndex(collection: Collection, selector: unknown) {
  const index = [...collection.indexes.values()].find((candidate) =>
    typeof selector === 'string'
      ? candidate.name === selector
      : isPlainObject(selector) && canonicalKey(candidate.spec.key) === canonicalKey(selector),
  );
  if (!index) {
    const described = typeof selector === 'string' ? `name [${selector}]` : `key pattern ${JSON.stringify(selector)}`;
    throw new MongoCommandError(ErrorCodes.IndexNotFound, `index not found with ${described}`);
  }
  return index;
}

const collMod: CommandHandler = (command, context) => {
  const name = collectionArgument(command, 'collMod', context);
  const collection = existingCollection(context, name);
  const reply: Doc = { ok: 1 };
  const indexChange = optionalDoc(command, 'index');
  if (indexChange) {
    const index = findIndex(collection, indexChange.name ?? indexChange.keyPattern);
    const spec: IndexSpec = { ...index.spec };
    if (indexChange.expireAfterSeconds !== undefined) {
      if (spec.expireAfterSeconds === undefined)
        throw new MongoCommandError(ErrorCodes.InvalidOptions, 'no expireAfterSeconds field to update');
      reply.expireAfterSeconds_old = spec.expireAfterSeconds;
      reply.expireAfterSeconds_new = indexChange.expireAfterSeconds;
      spec.expireAfterSeconds = indexChange.expireAfterSeconds as number;
    }
    if (indexChange.hidden !== undefined) {
      reply.hidden_old = spec.hidden === true;
      reply.hidden_new = indexChange.hidden === true;
      spec.hidden = indexChange.hidden === true;
      if (!spec.hidden) delete spec.hidden;
    }
    if (indexChange.unique !== undefined || indexChange.prepareUnique !== undefined) throw notImplemented('collMod unique conversion');
    collection.updateIndexSpec(index.name, validateIndexSpec(spec));
  }
  const { index: _index, ...rest } = command;
  const unsupported = unsupportedOption(rest);
  if (unsupported) throw notImplemented(`Collection option '${unsupported}'`);
  const options = collectionOptions(rest, collection.options);
  if (!sameCollectionOptions(options, collection.options)) collection.setOptions(options);
  return reply;
};

const drop: CommandHandler = (command, context) => {
  const name = collectionArgument(command, 'drop', context);
  const dropped = context.catalog.drop(context.db, name);
  return { ns: `${context.db}.${name}`, nIndexesWas: dropped?.indexes.size ?? 0, ok: 1 };
};

const dropDatabase: CommandHandler = (_command, context) => {
  context.catalog.dropDatabase(context.db);
  return { dropped: context.db, ok: 1 };
};

function collectionInfo(collection: Collection): Doc {
  return {
    name: collection.name,
    type: 'collection',
    options: { ...collection.options },
    info: { readOnly: false, uuid: collection.uuid },
    idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
  };
}

const listCollections: CommandHandler = (command, context) => {
  const filter = optionalDoc(command, 'filter');
  const nameOnly = optionalBoolean(command, 'nameOnly');
  let infos = context.catalog.collections(context.db).map(collectionInfo);
  if (filter) infos = runFind(infos, filter, {});
  const docs = nameOnly ? infos.map(({ name, type }) => ({ name, type })) : infos;
  const batch = context.cursors.start(
    `${context.db}.$cmd.listCollections`,
    docs,
    optionalDoc(command, 'cursor')?.batchSize as number | undefined,
  );
  return { cursor: { id: batch.id, ns: batch.namespace, firstBatch: batch.docs }, ok: 1 };
};

function sizeOf(collection: Collection): number {
  let bytes = 0;
  for (const doc of collection.docs.values()) bytes += calculateObjectSize(doc, { ignoreUndefined: true });
  return bytes;
}

const listDatabases: CommandHandler = (command, context) => {
  const nameOnly = optionalBoolean(command, 'nameOnly');
  let databases: Doc[] = context.catalog.databaseNames().map((name) => {
    if (nameOnly) return { name };
    const sizeOnDisk = context.catalog.collections(name).reduce((total, collection) => total + sizeOf(collection), 0);
    return { name, sizeOnDisk, empty: sizeOnDisk === 0 };
  });
  const filter = optionalDoc(command, 'filter');
  if (filter) databases = runFind(databases, filter, {});
  const totalSize = databases.reduce((total, db) => total + ((db.sizeOnDisk as number) ?? 0), 0);
  return nameOnly ? { databases, ok: 1 } : { databases, totalSize, totalSizeMb: Math.round(totalSize / 1048576), ok: 1 };
};

function sameOptions(a: IndexSpec, b: IndexSpec): boolean {
  const strip = ({ name: _name, v: _v, ...rest }: IndexSpec) =>
    canonicalKey(Object.fromEntries(Object.entries(rest).sort(([x], [y]) => (x < y ? -1 : 1))));
  return strip(a) === strip(b);
}

const createIndexes: CommandHandler = (command, context) => {
  const name = collectionArgument(command, 'createIndexes', context);
  const specs = requiredArray(command, 'indexes').map((spec) => {
    if (!isPlainObject(spec))
      throw new MongoCommandError(ErrorCodes.TypeMismatch, "BSON field 'createIndexes.indexes' must be an array of objects");
    return validateIndexSpec(spec);
  });
  if (specs.length === 0) throw new MongoCommandError(ErrorCodes.BadValue, 'Must specify at least one index to create');
  const existing = context.catalog.collection(context.db, name);
  // Refuse conflicting specifications before creating anything.
  const toCreate: IndexSpec[] = [];
  for (const spec of specs) {
    const sameName = existing?.indexes.get(spec.name);
    const sameKey = existing && [...existing.indexes.values()].find((index) => canonicalKey(index.spec.key) === canonicalKey(spec.key));
    if (sameName && canonicalKey(sameName.spec.key) !== canonicalKey(spec.key)) {
      throw new MongoCommandError(
        ErrorCodes.IndexKeySpecsConflict,
        `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName.spec)}`,
      );
    }
    if (sameKey && sameKey.name !== spec.name) {
      throw new MongoCommandError(ErrorCodes.IndexOptionsConflict, `Index already exists with a different name: ${sameKey.name}`);
    }
    if (sameName && !sameOptions(sameName.spec, spec)) {
      throw new MongoCommandError(
        ErrorCodes.IndexOptionsConflict,
        `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName.spec)}`,
      );
    }
    if (!sameName) toCreate.push(spec);
  }
  const { collection, created } = context.catalog.obtain(context.db, name);
  const before = collection.indexes.size;
  const made: string[] = [];
  try {
    for (const spec of toCreate) {
      collection.createIndex(spec);
      made.push(spec.name);
    }
  } catch (error) {
    for (const indexName of made) collection.dropIndex(indexName);
    throw error;
  }
  return {
    numIndexesBefore: before,
    numIndexesAfter: collection.indexes.size,
    createdCollectionAutomatically: created,
    ...(toCreate.length === 0 ? { note: 'all indexes already exist' } : {}),
    ok: 1,
  };
};

const listIndexes: CommandHandler = (command, context) => {
  const name = collectionArgument(command, 'listIndexes', context);
  const collection = existingCollection(context, name);
  const specs = [...collection.indexes.values()].map((index) => index.spec);
  const batch = context.cursors.start(`${context.db}.${name}`, specs, optionalDoc(command, 'cursor')?.batchSize as number | undefined);
  return { cursor: { id: batch.id, ns: batch.namespace, firstBatch: batch.docs }, ok: 1 };
};

const dropIndexes: CommandHandler = (command, context) => {
  const name = collectionArgument(command, 'dropIndexes', context);
  const collection = existingCollection(context, name);
  const selector = command.index;
  const before = collection.indexes.size;
  let names: string[];
  if (selector === '*') names = [...collection.indexes.keys()].filter((index) => index !== '_id_');
  else if (Array.isArray(selector)) names = selector.map((one) => findIndex(collection, one).name);
  else names = [findIndex(collection, selector).name];
  if (names.includes('_id_')) throw new MongoCommandError(ErrorCodes.InvalidOptions, 'cannot drop _id index');
  for (const index of names) collection.dropIndex(index);
  return { nIndexesWas: before, ok: 1 };
};

const dbStats: CommandHandler = (_command, context) => {
  const collections = context.catalog.collections(context.db);
  const dataSize = collections.reduce((total, collection) => total + sizeOf(collection), 0);
  const objects = collections.reduce((total, collection) => total + collection.docs.size, 0);
  return {
    db: context.db,
    collections: collections.length,
    views: 0,
    objects,
    avgObjSize: objects ? dataSize / objects : 0,
    dataSize,
    storageSize: dataSize,
    indexes: collections.reduce((total, collection) => total + collection.indexes.size, 0),
    ok: 1,
  };
};

export const adminCommands: Record<string, CommandHandler> = {
  create,
  collMod,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
  dbStats,
};
