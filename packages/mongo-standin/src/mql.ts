// MongoDB's query, update and aggregation languages, through mingo, with BSON-aware types and
// MongoDB's error codes for what mingo refuses.
import { Context, evalExpr, ProcessingMode } from 'mingo/core';
import { Query as MingoQuery } from 'mingo/query';
import { Aggregator } from 'mingo/aggregator';
import { MingoError, resolve } from 'mingo/util';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { BSON_TYPE_CODES, bsonTypeOf, cloneDoc, isNumericType, type Doc } from './bson-values.js';
import { ErrorCodes, MongoCommandError } from './errors.js';
import { compileJsonSchema } from './json-schema.js';
import { comparisonExpressionOperators, comparisonQueryOperators } from './comparison.js';
import { sortDocuments } from './sort.js';
import { $count, $lookup, $project, checkProjection } from './stages.js';

const TYPE_ALIASES_BY_CODE = new Map(Object.entries(BSON_TYPE_CODES).map(([alias, code]) => [code, alias]));

function typeAlias(expected: unknown): string {
  if (typeof expected === 'number') {
    const alias = TYPE_ALIASES_BY_CODE.get(expected);
    if (!alias) throw new MongoCommandError(ErrorCodes.BadValue, `Invalid numerical type code: ${expected}`);
    return alias;
  }
  if (typeof expected === 'string' && (expected === 'number' || expected in BSON_TYPE_CODES)) return expected;
  throw new MongoCommandError(ErrorCodes.BadValue, `Unknown type name alias: ${String(expected)}`);
}

function typeMatches(value: unknown, alias: string): boolean {
  const actual = bsonTypeOf(value);
  return actual === alias || (alias === 'number' && isNumericType(actual));
}

/** `$type` as MongoDB has it: BSON type aliases and codes; an array also matches by its elements. */
function $type(selector: string, expected: unknown) {
  const aliases = (Array.isArray(expected) ? expected : [expected]).map(typeAlias);
  return (doc: Doc): boolean => {
    const value = resolve(doc, selector);
    if (value === undefined) return false;
    return aliases.some((alias) => typeMatches(value, alias) || (Array.isArray(value) && value.some((item) => typeMatches(item, alias))));
  };
}

type ExpressionOperator = (obj: unknown, expr: unknown, options: unknown) => unknown;

/**
 * mingo counts UTF-8 bytes by percent-encoding the whole string and splitting the result (19 s of
 * a 48 MB insertMany contract test's 20 s went there, profiled); Buffer.byteLength counts them
 * directly, and agrees for every string BSON can hold (well-formed UTF-8). Anything else still
 * gets mingo's own answer (its error for a non-string).
 */
const $strLenBytes: ExpressionOperator = (obj, expr, options) => {
  const value = evalExpr(obj as Doc, expr, options as never);
  return typeof value === 'string'
    ? Buffer.byteLength(value, 'utf8')
    : (expressionOperators.$strLenBytes as ExpressionOperator)(obj, expr, options);
};

const context = Context.init({
  accumulator: accumulatorOperators,
  expression: { ...expressionOperators, ...comparisonExpressionOperators, $strLenBytes },
  pipeline: { ...pipelineOperators, $count, $lookup, $project },
  projection: projectionOperators,
  query: { ...queryOperators, ...comparisonQueryOperators, $type },
  window: windowOperators,
} as unknown as Parameters<typeof Context.init>[0]);

const jsonSchemaValidator = (schema: Doc) => {
  const check = compileJsonSchema(schema);
  return (doc: Doc) => check(doc).valid;
};

export type CollectionResolver = (name: string) => Doc[];

function options(extra: { collectionResolver?: CollectionResolver; variables?: Doc; processingMode?: ProcessingMode } = {}) {
  return {
    context,
    jsonSchemaValidator,
    scriptEnabled: false,
    useStrictMode: true,
    processingMode: extra.processingMode ?? ProcessingMode.CLONE_OFF,
    collectionResolver: extra.collectionResolver,
    variables: extra.variables,
  };
}

/** Turns mingo's complaints into the errors MongoDB gives for the same input. */
export function translateMingoError(error: unknown): never {
  if (error instanceof MongoCommandError) throw error;
  if (!(error instanceof MingoError) && !(error instanceof TypeError) && !(error instanceof RangeError)) throw error;
  const message = (error as Error).message;
  const unknownQueryOp = /unknown query operator (\$\w+)/.exec(message);
  if (unknownQueryOp) throw new MongoCommandError(ErrorCodes.BadValue, `unknown operator: ${unknownQueryOp[1]}`);
  const unknownStage = /unregistered pipeline operator (\$\w+)/.exec(message);
  if (unknownStage) throw unrecognizedStage(unknownStage[1]);
  const unknownExpression = /'(\$\w+)' is not registered/.exec(message);
  if (unknownExpression) {
    throw new MongoCommandError(ErrorCodes.InvalidPipelineOperator, `Unrecognized expression '${unknownExpression[1]}'`);
  }
  throw new MongoCommandError(ErrorCodes.BadValue, message);
}

export function unrecognizedStage(name: string): MongoCommandError {
  return new MongoCommandError(ErrorCodes.Location40324, `Unrecognized pipeline stage name: '${name}'`);
}

function guarded<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    translateMingoError(error);
  }
}

export interface CompiledFilter {
  test(doc: Doc): boolean;
}

/** A compiled query filter; an empty filter matches everything without evaluation. */
export function compileFilter(filter: Doc | undefined, variables?: Doc): CompiledFilter {
  if (!filter || Object.keys(filter).length === 0) return { test: () => true };
  const query = guarded(() => new MingoQuery(filter, options({ variables })));
  return { test: (doc) => guarded(() => query.test(doc)) };
}

export interface FindShape {
  sort?: Doc;
  skip?: number;
  limit?: number;
  projection?: Doc;
}

/** Filters, sorts, pages and projects candidate documents (projection never touches the originals). */
export function runFind(candidates: Doc[], filter: Doc | undefined, shape: FindShape, variables?: Doc): Doc[] {
  // MongoDB refuses a bad projection before it reads a single document.
  if (shape.projection) checkProjection(shape.projection);
  const matcher = compileFilter(filter, variables);
  let matched = candidates.filter((doc) => matcher.test(doc));
  if (shape.sort) matched = sortDocuments(matched, shape.sort);
  const skip = shape.skip ?? 0;
  if (skip > 0 || shape.limit) matched = matched.slice(skip, shape.limit ? skip + shape.limit : undefined);
  if (!shape.projection || Object.keys(shape.projection).length === 0) return matched;
  const projection = shape.projection;
  return guarded(() => new MingoQuery(filter ?? {}, options({ variables })).find(matched, projection).all() as Doc[]);
}

export const MINGO_PIPELINE_STAGES = new Set(Object.keys(pipelineOperators));

/**
 * Runs an aggregation pipeline over copies of the input, and of every collection it reads
 * (`$lookup`, `$unionWith`, `$graphLookup`), so stored documents stay untouched by its stages.
 */
export function runPipeline(input: Doc[], pipeline: Doc[], resolver: CollectionResolver, variables?: Doc): Doc[] {
  const copies: CollectionResolver = (name) => resolver(name).map((doc) => cloneDoc(doc));
  return guarded(
    () =>
      new Aggregator(pipeline, options({ collectionResolver: copies, variables, processingMode: ProcessingMode.CLONE_INPUT })).run(
        input,
      ) as Doc[],
  );
}
