// MongoDB's sort order for documents: BSON type order, and an array sorts by its smallest element
// ascending and by its largest descending.
import { compareValues, isPlainObject, type Doc } from './bson-values.js';
import { ErrorCodes, MongoCommandError, notImplemented } from './errors.js';
import { EMPTY_ARRAY, valuesAt } from './paths.js';

type SortKey = { parts: string[]; direction: 1 | -1 };

export function parseSort(spec: unknown): SortKey[] {
  if (!isPlainObject(spec)) throw new MongoCommandError(ErrorCodes.TypeMismatch, 'Expected field sort to be of type object');
  return Object.entries(spec).map(([field, direction]) => {
    if (isPlainObject(direction) && '$meta' in direction) throw notImplemented('$meta sort');
    if (direction !== 1 && direction !== -1) {
      throw new MongoCommandError(ErrorCodes.BadValue, '$sort key ordering must be 1 (for ascending) or -1 (for descending)');
    }
    return { parts: field.split('.'), direction };
  });
}

function sortValue(doc: Doc, key: SortKey): unknown {
  const { values } = valuesAt(doc, key.parts);
  let chosen: unknown = null;
  let first = true;
  for (const raw of values) {
    const value = raw === EMPTY_ARRAY ? undefined : raw;
    if (first || compareValues(value, chosen) * key.direction < 0) chosen = value;
    first = false;
  }
  return chosen;
}

/** A stably sorted copy of `docs`. */
export function sortDocuments(docs: Doc[], spec: unknown): Doc[] {
  const keys = parseSort(spec);
  if (keys.length === 0) return docs;
  const decorated = docs.map((doc) => ({ doc, values: keys.map((key) => sortValue(doc, key)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const order = compareValues(a.values[i], b.values[i]) * keys[i].direction;
      if (order !== 0) return order;
    }
    return 0;
  });
  return decorated.map((entry) => entry.doc);
}
