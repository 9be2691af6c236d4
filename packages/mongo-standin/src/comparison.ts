// Comparison operators with MongoDB's semantics for every BSON type: numbers of any width compare
// by value (int, long, double, decimal), comparisons stay within a type bracket, and a path through
// arrays matches when the array itself or any element does.
import { evalExpr } from 'mingo/core';
import { canonicalKey, compareValues, isPlainObject, typeRank, type Doc } from './bson-values.js';

/**
 * The values a query path offers for comparison: leaf arrays count whole and by element. Not
 * `valuesAt` (an index's keys), which never yields a whole array, takes a numeric part only as a
 * position, and gives null for array elements that are not documents, where a query skips them.
 */
function candidateValues(doc: Doc, parts: string[]): unknown[] {
  const found: unknown[] = [];
  const walk = (value: unknown, depth: number): void => {
    if (depth === parts.length) {
      found.push(value);
      if (Array.isArray(value)) found.push(...value);
      return;
    }
    const part = parts[depth];
    if (Array.isArray(value)) {
      if (/^\d+$/.test(part) && Number(part) < value.length) walk(value[Number(part)], depth + 1);
      for (const element of value) if (isPlainObject(element)) walk(element[part], depth + 1);
      return;
    }
    walk(isPlainObject(value) ? value[part] : undefined, depth + 1);
  };
  walk(doc, 0);
  return found.length > 0 ? found : [undefined];
}

// mingo builds each operator once per query and then runs its predicate on every document, so
// whatever depends only on the query (the split path, the wanted value's key) is worked out up front.
type QueryOperator = (selector: string, value: unknown) => (doc: Doc) => boolean;

const ordered =
  (accepts: (order: number) => boolean): QueryOperator =>
  (selector, wanted) => {
    const parts = selector.split('.');
    const rank = typeRank(wanted);
    return (doc) =>
      candidateValues(doc, parts).some((candidate) => typeRank(candidate) === rank && accepts(compareValues(candidate, wanted)));
  };

const $eq: QueryOperator = (selector, wanted) => {
  const parts = selector.split('.');
  const key = canonicalKey(wanted);
  return (doc) => candidateValues(doc, parts).some((candidate) => canonicalKey(candidate) === key);
};

const $in: QueryOperator = (selector, list) => {
  if (!Array.isArray(list)) throw new TypeError('$in needs an array');
  const parts = selector.split('.');
  const patterns = list.filter((wanted): wanted is RegExp => wanted instanceof RegExp);
  const keys = new Set(list.filter((wanted) => !(wanted instanceof RegExp)).map((wanted) => canonicalKey(wanted)));
  const listed = (candidate: unknown) =>
    keys.has(canonicalKey(candidate)) || (typeof candidate === 'string' && patterns.some((pattern) => pattern.test(candidate)));
  return (doc) => candidateValues(doc, parts).some(listed);
};

export const comparisonQueryOperators = {
  $eq,
  $ne: ((selector, wanted) => {
    const eq = $eq(selector, wanted);
    return (doc) => !eq(doc);
  }) as QueryOperator,
  $gt: ordered((order) => order > 0),
  $gte: ordered((order) => order >= 0),
  $lt: ordered((order) => order < 0),
  $lte: ordered((order) => order <= 0),
  $in,
  $nin: ((selector, list) => {
    const inside = $in(selector, list);
    return (doc) => !inside(doc);
  }) as QueryOperator,
};

type ExpressionOperator = (doc: Doc, expression: unknown, options: never) => unknown;

const compareExpression =
  (result: (order: number) => unknown): ExpressionOperator =>
  (doc, expression, options) => {
    const args = evalExpr(doc, expression as never, options) as unknown[];
    if (!Array.isArray(args) || args.length !== 2) throw new TypeError('comparison expressions take exactly 2 arguments');
    return result(compareValues(args[0], args[1]));
  };

/** Aggregation expressions ($gt: [a, b] ...) over MongoDB's total order of BSON values. */
export const comparisonExpressionOperators = {
  $cmp: compareExpression((order) => order),
  $eq: compareExpression((order) => order === 0),
  $ne: compareExpression((order) => order !== 0),
  $gt: compareExpression((order) => order > 0),
  $gte: compareExpression((order) => order >= 0),
  $lt: compareExpression((order) => order < 0),
  $lte: compareExpression((order) => order <= 0),
};
