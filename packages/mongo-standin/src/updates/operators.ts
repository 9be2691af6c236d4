// MongoDB's update operators ($set, $inc, $push with modifiers, $pull, ...) applied to a copy of a
// document, with positional paths ($, $[], $[id] + arrayFilters) and MongoDB's errors.
import { Long, Timestamp } from 'bson';
import { bsonTypeOf, cloneDoc, compareValues, isPlainObject, isNumericType, renderValue, valuesEqual, type Doc } from '../bson-values.js';
import { ErrorCodes, MongoCommandError, type ErrorCode } from '../errors.js';
import { compileFilter } from '../mql.js';

export const UPDATE_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$currentDate',
  '$push',
  '$addToSet',
  '$pop',
  '$pull',
  '$pullAll',
  '$bit',
  '$setOnInsert',
]);

function fail(code: ErrorCode, message: string): never {
  throw new MongoCommandError(code, message);
}

export interface OperatorContext {
  /** The filter that selected the document, for the positional `$`. */
  query: Doc;
  arrayFilters: Map<string, (element: unknown) => boolean>;
  inserting: boolean;
}

export function compileArrayFilters(arrayFilters: unknown): Map<string, (element: unknown) => boolean> {
  const compiled = new Map<string, (element: unknown) => boolean>();
  if (arrayFilters === undefined) return compiled;
  if (!Array.isArray(arrayFilters)) fail(ErrorCodes.TypeMismatch, 'arrayFilters must be an array');
  for (const filter of arrayFilters) {
    if (!isPlainObject(filter) || Object.keys(filter).length === 0)
      fail(ErrorCodes.FailedToParse, 'Cannot use an expression without a top-level field name in arrayFilters');
    const identifiers = new Set(Object.keys(filter).map((key) => key.split('.')[0]));
    if (identifiers.size !== 1) fail(ErrorCodes.FailedToParse, 'Error parsing array filter: expected a single top-level field name');
    const [identifier] = identifiers;
    if (compiled.has(identifier))
      fail(ErrorCodes.FailedToParse, `Found multiple array filters with the same top-level field name ${identifier}`);
    const test = compileFilter(filter);
    compiled.set(identifier, (element) => test.test({ [identifier]: element }));
  }
  return compiled;
}

/** Index of the first element of the array at `arrayPath` that satisfies the query's conditions on it. */
function positionalIndex(doc: Doc, arrayPath: string[], query: Doc): number {
  const prefix = arrayPath.join('.');
  const relevant: Doc = {};
  for (const [key, condition] of Object.entries(query)) {
    if (key === prefix || key.startsWith(`${prefix}.`)) relevant[key] = condition;
  }
  const array = arrayPath.reduce<unknown>((at, part) => (isPlainObject(at) ? at[part] : undefined), doc);
  if (Object.keys(relevant).length > 0 && Array.isArray(array)) {
    const filter = compileFilter(relevant);
    for (let i = 0; i < array.length; i++) {
      const probe = cloneShallowAlong(doc, arrayPath, [array[i]]);
      if (filter.test(probe)) return i;
    }
  }
  return fail(ErrorCodes.BadValue, 'The positional operator did not find the match needed from the query.');
}

function cloneShallowAlong(doc: Doc, path: string[], leaf: unknown): Doc {
  const root: Doc = { ...doc };
  let at = root;
  path.forEach((part, i) => {
    if (i === path.length - 1) at[part] = leaf;
    else at = at[part] = { ...(at[part] as Doc) };
  });
  return root;
}

interface Target {
  container: Doc | unknown[];
  key: string;
  path: string;
}

/** Every location a (possibly positional) path names; creates missing parents when `create`. */
function targets(doc: Doc, path: string, context: OperatorContext, create: boolean): Target[] {
  const parts = path.split('.');
  const found: Target[] = [];
  const walk = (container: Doc | unknown[], depth: number, walked: string[]): void => {
    const part = parts[depth];
    let keys: string[];
    if (part === '$' || part === '$[]' || /^\$\[\w+\]$/.test(part)) {
      if (!Array.isArray(container)) {
        if (part === '$') fail(ErrorCodes.BadValue, 'The positional operator did not find the match needed from the query.');
        fail(ErrorCodes.BadValue, `The path '${walked.join('.')}' must exist in the document in order to apply array updates.`);
      }
      if (part === '$') keys = [String(positionalIndex(doc, walked, context.query))];
      else if (part === '$[]') keys = container.map((_, i) => String(i));
      else {
        const identifier = part.slice(2, -1);
        const matches = context.arrayFilters.get(identifier);
        if (!matches) fail(ErrorCodes.BadValue, `No array filter found for identifier '${identifier}' in path '${path}'`);
        keys = container.flatMap((element, i) => (matches(element) ? [String(i)] : []));
      }
    } else {
      keys = [part];
    }
    for (const key of keys) {
      if (depth === parts.length - 1) {
        found.push({ container, key, path: [...walked, key].join('.') });
        continue;
      }
      let next = Array.isArray(container) ? container[Number(key)] : container[key];
      if (next === undefined || next === null) {
        if (!create) continue;
        if (Array.isArray(container) && !/^\d+$/.test(key)) {
          fail(ErrorCodes.PathNotViable, `Cannot create field '${key}' in element {${walked.at(-1)}: ${renderValue(container)}}`);
        }
        if (next === null && !Array.isArray(container)) {
          fail(ErrorCodes.PathNotViable, `Cannot create field '${parts[depth + 1]}' in element {${key}: null}`);
        }
        next = {};
        setAt(container, key, next);
      }
      if (typeof next !== 'object' || next instanceof Date || (!Array.isArray(next) && !isPlainObject(next))) {
        if (!create) continue;
        fail(ErrorCodes.PathNotViable, `Cannot create field '${parts[depth + 1]}' in element {${key}: ${renderValue(next)}}`);
      }
      walk(next as Doc | unknown[], depth + 1, [...walked, key]);
    }
  };
  walk(doc, 0, []);
  return found;
}

function getAt(target: Target): unknown {
  const { container, key } = target;
  return Array.isArray(container) ? container[Number(key)] : container[key];
}

function hasAt(target: Target): boolean {
  const { container, key } = target;
  return Array.isArray(container) ? Number(key) < container.length : Object.prototype.hasOwnProperty.call(container, key);
}

function setAt(container: Doc | unknown[], key: string, value: unknown): void {
  if (Array.isArray(container)) {
    const index = Number(key);
    if (!/^\d+$/.test(key)) fail(ErrorCodes.PathNotViable, `Cannot create field '${key}' in element of an array`);
    while (container.length < index) container.push(null);
    container[index] = value;
  } else {
    container[key] = value;
  }
}

function requireNumber(operator: string, field: string, value: unknown): number {
  if (typeof value === 'number') return value;
  if (value instanceof Long) return value.toNumber();
  return fail(
    ErrorCodes.TypeMismatch,
    `Cannot ${operator === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${field}: ${renderValue(value)}}`,
  );
}

function arrayAt(doc: Doc, target: Target, _operator: string): unknown[] | undefined {
  const current = getAt(target);
  if (current === undefined) return undefined;
  if (!Array.isArray(current)) {
    fail(
      ErrorCodes.BadValue,
      `The field '${target.path}' must be an array but is of type ${bsonTypeOf(current)} in document {_id: ${renderValue(doc._id)}}`,
    );
  }
  return current;
}

function sortElements(values: unknown[], spec: unknown): unknown[] {
  if (spec === 1 || spec === -1) return [...values].sort((a, b) => compareValues(a, b) * (spec as number));
  if (!isPlainObject(spec) || Object.keys(spec).length === 0)
    fail(ErrorCodes.BadValue, 'The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields');
  const fields = Object.entries(spec);
  return [...values].sort((a, b) => {
    for (const [field, direction] of fields) {
      const pick = (value: unknown) => field.split('.').reduce<unknown>((at, part) => (isPlainObject(at) ? at[part] : undefined), value);
      const order = compareValues(pick(a), pick(b)) * (direction === -1 ? -1 : 1);
      if (order !== 0) return order;
    }
    return 0;
  });
}

function pullMatcher(condition: unknown): (element: unknown) => boolean {
  if (isPlainObject(condition)) {
    const keys = Object.keys(condition);
    if (keys.length > 0 && keys.every((key) => key.startsWith('$') && key !== '$and' && key !== '$or' && key !== '$nor')) {
      const filter = compileFilter({ v: condition });
      return (element) => filter.test({ v: element });
    }
    const filter = compileFilter(condition);
    return (element) => isPlainObject(element) && filter.test(element);
  }
  return (element) => valuesEqual(element, condition);
}

let timestampIncrement = 0;

type Apply = (doc: Doc, path: string, argument: unknown, context: OperatorContext) => void;

const each = (doc: Doc, path: string, context: OperatorContext, create: boolean, apply: (target: Target) => void) => {
  for (const target of targets(doc, path, context, create)) apply(target);
};

const APPLY: Record<string, Apply> = {
  $set: (doc, path, value, context) => each(doc, path, context, true, (t) => setAt(t.container, t.key, cloneDoc(value))),
  $setOnInsert: (doc, path, value, context) => {
    if (context.inserting) APPLY.$set(doc, path, value, context);
  },
  $unset: (doc, path, _value, context) =>
    each(doc, path, context, false, (t) => {
      if (!hasAt(t)) return;
      if (Array.isArray(t.container)) t.container[Number(t.key)] = null;
      else delete t.container[t.key];
    }),
  $inc: (doc, path, amount, context) => {
    const by = requireNumber('$inc', path, amount);
    each(doc, path, context, true, (t) => {
      const current = getAt(t);
      if (current === undefined) return setAt(t.container, t.key, by);
      if (!isNumericType(bsonTypeOf(current))) {
        fail(
          ErrorCodes.TypeMismatch,
          `Cannot apply $inc to a value of non-numeric type. {_id: ${renderValue(doc._id)}} has the field '${t.key}' of non-numeric type ${bsonTypeOf(current)}`,
        );
      }
      setAt(t.container, t.key, requireNumber('$inc', path, current) + by);
    });
  },
  $mul: (doc, path, factor, context) => {
    const by = requireNumber('$mul', path, factor);
    each(doc, path, context, true, (t) => {
      const current = getAt(t);
      if (current === undefined) return setAt(t.container, t.key, 0);
      if (!isNumericType(bsonTypeOf(current))) {
        fail(
          ErrorCodes.TypeMismatch,
          `Cannot apply $mul to a value of non-numeric type. {_id: ${renderValue(doc._id)}} has the field '${t.key}' of non-numeric type ${bsonTypeOf(current)}`,
        );
      }
      setAt(t.container, t.key, requireNumber('$mul', path, current) * by);
    });
  },
  $min: (doc, path, value, context) =>
    each(doc, path, context, true, (t) => {
      const current = getAt(t);
      if (current === undefined || compareValues(value, current) < 0) setAt(t.container, t.key, cloneDoc(value));
    }),
  $max: (doc, path, value, context) =>
    each(doc, path, context, true, (t) => {
      const current = getAt(t);
      if (current === undefined || compareValues(value, current) > 0) setAt(t.container, t.key, cloneDoc(value));
    }),
  $currentDate: (doc, path, spec, context) => {
    const wantsTimestamp = isPlainObject(spec) && spec.$type === 'timestamp';
    if (isPlainObject(spec) && spec.$type !== 'date' && !wantsTimestamp)
      fail(ErrorCodes.BadValue, "The '$type' string field is required to be 'date' or 'timestamp'");
    if (!isPlainObject(spec) && typeof spec !== 'boolean')
      fail(
        ErrorCodes.BadValue,
        `${path} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({$type: 'timestamp/date'}).`,
      );
    const now = new Date();
    const value = wantsTimestamp ? new Timestamp({ t: Math.floor(now.getTime() / 1000), i: ++timestampIncrement }) : now;
    APPLY.$set(doc, path, value, context);
  },
  $rename: (doc, path, newName, context) => {
    if (typeof newName !== 'string' || newName.length === 0)
      fail(ErrorCodes.BadValue, `The 'to' field for $rename must be a string: ${path}: ${renderValue(newName)}`);
    if (newName === path) fail(ErrorCodes.BadValue, `The source and target field for $rename must differ: ${path}: "${newName}"`);
    if (path.includes('$') || newName.includes('$'))
      fail(ErrorCodes.BadValue, 'The source and target field for $rename must not contain positional operators');
    const [source] = targets(doc, path, context, false);
    if (!source || !hasAt(source)) return;
    if (Array.isArray(source.container))
      fail(
        ErrorCodes.BadValue,
        `The source field cannot be an array element, '${path}' in doc with _id: ${renderValue(doc._id)} has an array field called '${source.path.split('.').slice(-2, -1)[0]}'`,
      );
    const value = getAt(source);
    delete (source.container as Doc)[source.key];
    APPLY.$set(doc, newName, value, context);
  },
  $push: (doc, path, argument, context) => {
    const modifiers = isPlainObject(argument) && '$each' in argument ? argument : undefined;
    if (isPlainObject(argument) && !modifiers && Object.keys(argument).some((key) => ['$slice', '$sort', '$position'].includes(key))) {
      fail(ErrorCodes.BadValue, 'Modifiers $slice, $sort and $position require $each');
    }
    if (modifiers && !Array.isArray(modifiers.$each))
      fail(ErrorCodes.BadValue, `The argument to $each in $push must be an array but it was of type: ${bsonTypeOf(modifiers.$each)}`);
    const additions = (modifiers ? (modifiers.$each as unknown[]) : [argument]).map(cloneDoc);
    each(doc, path, context, true, (t) => {
      let array = [...(arrayAt(doc, t, '$push') ?? [])];
      const position = modifiers?.$position;
      if (position === undefined) array.push(...additions);
      else {
        if (typeof position !== 'number' || !Number.isInteger(position))
          fail(ErrorCodes.BadValue, 'The value for $position must be an integer value');
        const at = position < 0 ? Math.max(0, array.length + position) : Math.min(position, array.length);
        array.splice(at, 0, ...additions);
      }
      if (modifiers?.$sort !== undefined) array = sortElements(array, modifiers.$sort);
      const slice = modifiers?.$slice;
      if (slice !== undefined) {
        if (typeof slice !== 'number' || !Number.isInteger(slice))
          fail(ErrorCodes.BadValue, 'The value for $slice must be an integer value');
        array = slice >= 0 ? array.slice(0, slice) : array.slice(Math.max(0, array.length + slice));
      }
      setAt(t.container, t.key, array);
    });
  },
  $addToSet: (doc, path, argument, context) => {
    const values = isPlainObject(argument) && '$each' in argument ? argument.$each : [argument];
    if (!Array.isArray(values))
      fail(ErrorCodes.TypeMismatch, `The argument to $each in $addToSet must be an array but it was of type ${bsonTypeOf(values)}`);
    each(doc, path, context, true, (t) => {
      const array = [...(arrayAt(doc, t, '$addToSet') ?? [])];
      for (const value of values) if (!array.some((existing) => valuesEqual(existing, value))) array.push(cloneDoc(value));
      setAt(t.container, t.key, array);
    });
  },
  $pop: (doc, path, end, context) => {
    if (end !== 1 && end !== -1) fail(ErrorCodes.FailedToParse, `$pop expects 1 or -1, found: ${renderValue(end)}`);
    each(doc, path, context, false, (t) => {
      const current = getAt(t);
      if (current === undefined) return;
      if (!Array.isArray(current))
        fail(ErrorCodes.TypeMismatch, `Path '${t.path}' contains an element of non-array type '${bsonTypeOf(current)}'`);
      setAt(t.container, t.key, end === 1 ? current.slice(0, -1) : current.slice(1));
    });
  },
  $pull: (doc, path, condition, context) => {
    const matches = pullMatcher(condition);
    each(doc, path, context, false, (t) => {
      const current = getAt(t);
      if (current === undefined) return;
      if (!Array.isArray(current)) fail(ErrorCodes.BadValue, 'Cannot apply $pull to a non-array value');
      setAt(
        t.container,
        t.key,
        current.filter((element) => !matches(element)),
      );
    });
  },
  $pullAll: (doc, path, values, context) => {
    if (!Array.isArray(values)) fail(ErrorCodes.BadValue, `$pullAll requires an array argument but was given a ${bsonTypeOf(values)}`);
    each(doc, path, context, false, (t) => {
      const current = getAt(t);
      if (current === undefined) return;
      if (!Array.isArray(current)) fail(ErrorCodes.BadValue, 'Cannot apply $pullAll to a non-array value');
      setAt(
        t.container,
        t.key,
        current.filter((element) => !values.some((value) => valuesEqual(element, value))),
      );
    });
  },
  $bit: (doc, path, spec, context) => {
    if (!isPlainObject(spec))
      fail(
        ErrorCodes.BadValue,
        `The $bit modifier is not compatible with a ${bsonTypeOf(spec)}. You must pass in an embedded document: {$bit: {field: {and/or/xor: #}}`,
      );
    each(doc, path, context, true, (t) => {
      let current = getAt(t) ?? 0;
      if (typeof current !== 'number' || !Number.isInteger(current))
        fail(
          ErrorCodes.BadValue,
          `Cannot apply $bit to a value of non-integral type. {_id: ${renderValue(doc._id)}} has the field ${t.key} of non-integer type ${bsonTypeOf(current)}`,
        );
      for (const [operation, operand] of Object.entries(spec)) {
        if (typeof operand !== 'number' || !Number.isInteger(operand))
          fail(ErrorCodes.BadValue, 'The $bit modifier field must be an Integer(32/64 bit)');
        if (operation === 'and') current &= operand;
        else if (operation === 'or') current |= operand;
        else if (operation === 'xor') current ^= operand;
        else
          fail(
            ErrorCodes.BadValue,
            `The $bit modifier only supports 'and', 'or', and 'xor', not '${operation}' which is an unknown operator: {${operation}: ${operand}}`,
          );
      }
      setAt(t.container, t.key, current);
    });
  },
};

function pathsConflict(a: string[], b: string[]): boolean {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Applies an operator update document to `doc` in place (callers pass a copy). */
export function applyOperatorUpdate(doc: Doc, update: Doc, context: OperatorContext): void {
  const operations: Array<{ operator: string; path: string; argument: unknown }> = [];
  for (const [operator, fields] of Object.entries(update)) {
    if (!UPDATE_OPERATORS.has(operator)) {
      fail(
        ErrorCodes.FailedToParse,
        `Unknown modifier: ${operator}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (!isPlainObject(fields)) {
      fail(
        ErrorCodes.FailedToParse,
        `Modifiers operate on fields but we found type ${bsonTypeOf(fields)} instead. For example: {$mod: {<field>: ...}} not {${operator}: ${renderValue(fields)}}`,
      );
    }
    for (const [path, argument] of Object.entries(fields)) {
      if (path === '' || path.split('.').some((part) => part === ''))
        fail(ErrorCodes.EmptyFieldName, `An update path '${path}' contains an empty field name, which is not allowed.`);
      operations.push({ operator, path, argument });
      if (operator === '$rename' && typeof argument === 'string') operations.push({ operator: '', path: argument, argument: undefined });
    }
  }
  const split = operations.map((operation) => operation.path.split('.'));
  for (let i = 0; i < operations.length; i++) {
    for (let j = i + 1; j < operations.length; j++) {
      if (pathsConflict(split[i], split[j])) {
        fail(
          ErrorCodes.ConflictingUpdateOperators,
          `Updating the path '${operations[j].path}' would create a conflict at '${split[j].slice(0, Math.min(split[i].length, split[j].length)).join('.')}'`,
        );
      }
    }
  }
  // MongoDB applies field updates in the lexicographic order of their paths.
  const ordered = operations
    .filter((operation) => operation.operator !== '')
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const { operator, path, argument } of ordered) APPLY[operator](doc, path, argument, context);
}
