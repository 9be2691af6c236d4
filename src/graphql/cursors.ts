// Cursors of the Relay connections (connection.ts), kept apart from the schema types so that code
// without decorator metadata (the benchmark's floor) can use them too.
import { BadUserInputError } from '../errors/errors.js';

/** Cursors are the sort key of the last row seen, opaque to clients. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** A tuple of `N` items of type T, e.g. Tuple<string, 2> = [string, string]. */
type Tuple<T, N extends number, Built extends T[] = []> = Built['length'] extends N ? Built : Tuple<T, N, [T, ...Built]>;

/** A cursor shape: exactly `length` strings. */
export function stringTuple<N extends number>(length: N): (key: unknown[]) => key is Tuple<string, N> {
  return (key): key is Tuple<string, N> => key.length === length && key.every((part) => typeof part === 'string');
}

/** The sort key inside a cursor, of the shape the guard accepts; BAD_USER_INPUT at `after` otherwise. */
export function decodeCursor<Key extends unknown[]>(cursor: string, shape: (key: unknown[]) => key is Key): Key {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && shape(key)) return key;
  } catch {
    // falls through to the error
  }
  throw new BadUserInputError([{ path: ['after'], message: 'is not a cursor from this list' }]);
}
