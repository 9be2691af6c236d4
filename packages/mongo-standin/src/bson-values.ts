// How stored values behave: their MongoDB type names, the canonical keys that make two values
// "equal" for an index, and copies that keep BSON class instances intact.
import { Binary, BSONRegExp, Decimal128, Long, ObjectId, Timestamp, MinKey, MaxKey, Code, BSONSymbol, DBRef } from 'bson';

export type Doc = Record<string, unknown>;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export function isPlainObject(value: unknown): value is Doc {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * MongoDB's type alias for a stored value ("int", "objectId", ...). Numbers arrive promoted to JS
 * numbers, so their alias is what the Node driver would send for that number: an integer in the
 * int32 range is "int", any other number "double"; only integers beyond 2^53 stay "long".
 */
export function bsonTypeOf(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX ? 'int' : 'double';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'long';
  }
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp || value instanceof BSONRegExp) return 'regex';
  if (value instanceof ObjectId) return 'objectId';
  if (value instanceof Binary) return 'binData';
  if (value instanceof Long) return 'long';
  if (value instanceof Decimal128) return 'decimal';
  if (value instanceof Timestamp) return 'timestamp';
  if (value instanceof MinKey) return 'minKey';
  if (value instanceof MaxKey) return 'maxKey';
  if (value instanceof Code) return 'javascript';
  if (value instanceof BSONSymbol) return 'symbol';
  if (value instanceof DBRef) return 'object';
  return 'object';
}

/** MongoDB's numeric type codes, by alias, for `$type: <number>`. */
export const BSON_TYPE_CODES: Record<string, number> = {
  double: 1,
  string: 2,
  object: 3,
  array: 4,
  binData: 5,
  undefined: 6,
  objectId: 7,
  bool: 8,
  date: 9,
  null: 10,
  regex: 11,
  dbPointer: 12,
  javascript: 13,
  symbol: 14,
  int: 16,
  timestamp: 17,
  long: 18,
  decimal: 19,
  minKey: -1,
  maxKey: 127,
};

export function isNumericType(alias: string): boolean {
  return alias === 'int' || alias === 'long' || alias === 'double' || alias === 'decimal';
}

/**
 * A string that is equal for two values exactly when MongoDB's index treats them as the same key
 * (1, 1.0 and Long(1) are one key; field order inside embedded documents matters).
 */
export function canonicalKey(value: unknown): string {
  if (value === undefined || value === null) return 'z';
  switch (typeof value) {
    case 'number':
      return Number.isNaN(value) ? 'n:NaN' : `n:${value === 0 ? 0 : value}`;
    case 'string':
      return `s:${JSON.stringify(value)}`;
    case 'boolean':
      return value ? 'b:1' : 'b:0';
    case 'bigint':
      return `n:${value.toString()}`;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(',')}]`;
  if (value instanceof Date) return `d:${value.getTime()}`;
  if (value instanceof ObjectId) return `o:${value.toHexString()}`;
  if (value instanceof Binary) return `x:${value.sub_type}:${Buffer.from(value.buffer).toString('base64')}`;
  if (value instanceof Long) {
    const asNumber = value.toNumber();
    return Number.isSafeInteger(asNumber) ? `n:${asNumber}` : `n:${value.toString()}`;
  }
  if (value instanceof Decimal128) {
    const asNumber = Number(value.toString());
    return Number.isFinite(asNumber) && String(asNumber) === value.toString() ? `n:${asNumber}` : `m:${value.toString()}`;
  }
  if (value instanceof RegExp) return `r:${JSON.stringify(value.source)}/${value.flags}`;
  if (value instanceof Timestamp) return `t:${value.toString()}`;
  if (value instanceof MinKey) return 'min';
  if (value instanceof MaxKey) return 'max';
  if (isPlainObject(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalKey(v)}`)
      .join(',')}}`;
  }
  return `?:${JSON.stringify(String(value))}`;
}

/** Deep copy of a document: plain objects, arrays and dates are copied, BSON values are shared. */
export function cloneDoc<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneDoc) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (isPlainObject(value)) {
    const copy: Doc = {};
    for (const key of Object.keys(value)) copy[key] = cloneDoc(value[key]);
    return copy as T;
  }
  return value;
}

/** A short, MongoDB-like rendering of a value for error messages ({ email: "a@b" }). */
export function renderValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[ ${value.map(renderValue).join(', ')} ]`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (value instanceof Binary) return `BinData(${value.sub_type}, ${Buffer.from(value.buffer).toString('hex')})`;
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(([k, v]) => `${k}: ${renderValue(v)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return String(value);
}

/** Reads a dotted path without descending into arrays (used for `_id` and simple lookups). */
export function getPath(doc: unknown, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Doc)[part];
  }
  return current;
}

/** Sets a dotted path, creating plain objects on the way. */
export function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let current: Doc = doc;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (!isPlainObject(next)) current[part] = {};
    current = current[part] as Doc;
  }
  current[parts[parts.length - 1]] = value;
}

/** MongoDB's order of types when values of different types are compared or sorted. */
export function typeRank(value: unknown): number {
  const alias = bsonTypeOf(value);
  switch (alias) {
    case 'minKey':
      return 1;
    case 'missing':
    case 'null':
    case 'undefined':
      return 2;
    case 'int':
    case 'long':
    case 'double':
    case 'decimal':
      return 3;
    case 'symbol':
    case 'string':
      return 4;
    case 'object':
      return 5;
    case 'array':
      return 6;
    case 'binData':
      return 7;
    case 'objectId':
      return 8;
    case 'bool':
      return 9;
    case 'date':
      return 10;
    case 'timestamp':
      return 11;
    case 'regex':
      return 12;
    case 'maxKey':
      return 14;
    default:
      return 13;
  }
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value instanceof Long) return value.toNumber();
  if (value instanceof Decimal128) return Number(value.toString());
  return Number(value);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/** MongoDB's comparison of two BSON values (-1, 0, 1), across types by MongoDB's type order. */
export function compareValues(a: unknown, b: unknown): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return rankA < rankB ? -1 : 1;
  switch (rankA) {
    case 3: {
      const x = toNumber(a);
      const y = toNumber(b);
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : -1) : 1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 4: {
      const x = String(a);
      const y = String(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 5: {
      const entriesA = Object.entries(a as Doc);
      const entriesB = Object.entries(b as Doc);
      for (let i = 0; i < Math.min(entriesA.length, entriesB.length); i++) {
        const byValueType = typeRank(entriesA[i][1]) - typeRank(entriesB[i][1]);
        if (byValueType !== 0) return byValueType < 0 ? -1 : 1;
        if (entriesA[i][0] !== entriesB[i][0]) return entriesA[i][0] < entriesB[i][0] ? -1 : 1;
        const byValue = compareValues(entriesA[i][1], entriesB[i][1]);
        if (byValue !== 0) return byValue;
      }
      return Math.sign(entriesA.length - entriesB.length);
    }
    case 6: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const byElement = compareValues(x[i], y[i]);
        if (byElement !== 0) return byElement;
      }
      return Math.sign(x.length - y.length);
    }
    case 7: {
      const x = a as Binary;
      const y = b as Binary;
      if (x.length() !== y.length()) return x.length() < y.length() ? -1 : 1;
      if (x.sub_type !== y.sub_type) return x.sub_type < y.sub_type ? -1 : 1;
      return compareBytes(x.buffer, y.buffer);
    }
    case 8:
      return compareBytes((a as ObjectId).id, (b as ObjectId).id);
    case 9:
      return a === b ? 0 : a ? 1 : -1;
    case 10:
      return Math.sign((a as Date).getTime() - (b as Date).getTime());
    case 11:
      return (a as Timestamp).compare(b as Timestamp);
    default:
      return canonicalKey(a) === canonicalKey(b) ? 0 : canonicalKey(a) < canonicalKey(b) ? -1 : 1;
  }
}

/** Values equal as MongoDB's `$eq` sees them (1 equals 1.0; embedded field order matters). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  return canonicalKey(a) === canonicalKey(b);
}
