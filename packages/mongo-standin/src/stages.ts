// Pipeline stages whose mingo versions differ from MongoDB, written to MongoDB's semantics.
import { Lazy } from 'mingo/lazy';
import { $lookup as mingoLookup, $project as mingoProject } from 'mingo/operators/pipeline';
import { MingoError } from 'mingo/util';
import { canonicalKey, cloneDoc, isPlainObject, type Doc } from './bson-values.js';
import { ErrorCodes, MongoCommandError } from './errors.js';
import { EMPTY_ARRAY, valuesAt } from './paths.js';

type Stage = (collection: ReturnType<typeof Lazy>, expression: unknown, options: never) => ReturnType<typeof Lazy>;

/** `$count`: one document with the count, or no document at all for empty input. */
export const $count: Stage = (collection, expression) => {
  if (typeof expression !== 'string' || expression.length === 0 || expression.startsWith('$') || expression.includes('.')) {
    throw new MingoError('the count field must be a non-empty string that does not start with $ and contains no .');
  }
  const size = collection.size();
  return Lazy(size > 0 ? [{ [expression]: size }] : []);
};

/** MongoDB refuses a projection that both includes and excludes fields (other than `_id`). */
export function checkProjection(projection: Doc): void {
  let mode: 'inclusion' | 'exclusion' | undefined;
  for (const [field, value] of Object.entries(projection)) {
    if (field === '_id') continue;
    if (isPlainObject(value) && Object.keys(value).some((key) => key === '$slice' || key === '$elemMatch')) continue;
    const kind = value === 0 || value === false ? 'exclusion' : 'inclusion';
    if (mode && mode !== kind) {
      throw kind === 'exclusion'
        ? new MongoCommandError(ErrorCodes.Location31254, `Cannot do exclusion on field ${field} in inclusion projection`)
        : new MongoCommandError(ErrorCodes.Location31253, `Cannot do inclusion on field ${field} in exclusion projection`);
    }
    mode = kind;
  }
}

/** `$project`: mingo's, after the same check `find` makes (mingo's own refusal has the wrong code). */
export const $project: Stage = (collection, expression, options) => {
  if (isPlainObject(expression)) checkProjection(expression);
  return mingoProject(collection as never, expression as never, options);
};

/** Keys of the values at a path; a missing field or an empty array joins as null, as in MongoDB. */
function joinKeys(doc: Doc, path: string): string[] {
  const { values } = valuesAt(doc, path.split('.'));
  return [...new Set(values.map((value) => (value === EMPTY_ARRAY ? canonicalKey(null) : canonicalKey(value))))];
}

/**
 * `$lookup` with localField/foreignField: equality by BSON value (an array on either side matches
 * by element), documents in foreign order; a sub-pipeline, when given, runs over the matches only.
 */
export const $lookup: Stage = (collection, expression, options) => {
  const spec = expression as Doc;
  if (!isPlainObject(spec) || spec.localField === undefined || spec.foreignField === undefined) {
    return mingoLookup(collection as never, spec as never, options);
  }
  const resolver = (options as { collectionResolver?: (name: string) => Doc[] }).collectionResolver;
  const foreign: Doc[] = typeof spec.from === 'string' ? (resolver?.(spec.from) ?? []) : ((spec.from as Doc[]) ?? []);
  const byKey = new Map<string, number[]>();
  foreign.forEach((doc, position) => {
    for (const key of joinKeys(doc, spec.foreignField as string)) {
      const positions = byKey.get(key);
      if (positions) positions.push(position);
      else byKey.set(key, [position]);
    }
  });
  const { localField: _local, foreignField: _foreign, ...rest } = spec;
  return collection.map((value) => {
    const doc = value as Doc;
    const positions = new Set<number>();
    for (const key of joinKeys(doc, spec.localField as string)) for (const position of byKey.get(key) ?? []) positions.add(position);
    // Each joining document gets copies of its own: a foreign document that joins several must not
    // carry one join's later changes into another's.
    const matches = [...positions].sort((a, b) => a - b).map((position) => cloneDoc(foreign[position]));
    if (!Array.isArray(spec.pipeline) || spec.pipeline.length === 0) return { ...doc, [spec.as as string]: matches };
    const [joined] = mingoLookup(Lazy([doc]) as never, { ...rest, from: matches } as never, options).collect() as Doc[];
    return joined;
  }) as ReturnType<typeof Lazy>;
};
