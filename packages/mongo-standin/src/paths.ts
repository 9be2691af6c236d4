// Reading dotted paths the way MongoDB's indexes and sorts do: through arrays, element by element.
import { isPlainObject, type Doc } from './bson-values.js';

/** Stands for an empty array among a path's values (MongoDB indexes `[]` as undefined). */
export const EMPTY_ARRAY = Symbol('empty array');

/** The values a dotted path yields in a document, descending into arrays as MongoDB's index does. */
export function valuesAt(doc: Doc, parts: string[]): { values: unknown[]; viaArray: boolean } {
  const values: unknown[] = [];
  let viaArray = false;
  const walk = (value: unknown, depth: number): void => {
    if (depth === parts.length) {
      if (Array.isArray(value)) {
        viaArray = true;
        if (value.length === 0) values.push(EMPTY_ARRAY);
        else values.push(...value);
      } else {
        values.push(value ?? null);
      }
      return;
    }
    if (Array.isArray(value)) {
      viaArray = true;
      const position = /^\d+$/.test(parts[depth]) ? Number(parts[depth]) : -1;
      if (position >= 0 && position < value.length) return walk(value[position], depth + 1);
      if (value.length === 0) return walk(undefined, parts.length);
      for (const element of value) walk(isPlainObject(element) ? element[parts[depth]] : undefined, depth + 1);
      return;
    }
    walk(isPlainObject(value) ? value[parts[depth]] : undefined, depth + 1);
  };
  walk(doc, 0);
  return { values, viaArray };
}

/** Whether the path exists in the document (any array on the way counts as existing). */
export function hasPath(doc: Doc, parts: string[]): boolean {
  let current: unknown = doc;
  for (const part of parts) {
    if (Array.isArray(current)) return true;
    if (!isPlainObject(current) || !(part in current)) return false;
    current = current[part];
  }
  return true;
}
