// Cursors of the Relay connections (connection.ts), kept apart from the schema types so that code
// without decorator metadata (the benchmark's floor) can use them too.
import { BadUserInputError } from '../errors/errors.js';

/** Cursors are the sort key of the last row seen, opaque to clients. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** One part of a sort key: its value when the decoded JSON is of this kind, else undefined. */
export type CursorPart<T> = (value: unknown) => T | undefined;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What each part of a key may be. A cursor reaches SQL and MongoDB filters as typed values: a
 * hand-made one must fail here, not as a database error (an invalid uuid) or, worse, as a filter
 * that silently matches nothing (an invalid date).
 */
export const part = {
  text: ((value) => (typeof value === 'string' && value.length <= 512 ? value : undefined)) as CursorPart<string>,
  uuid: ((value) => (typeof value === 'string' && UUID.test(value) ? value : undefined)) as CursorPart<string>,
  /** An instant as encodeCursor wrote it (Date#toISOString), and only that. */
  instant: ((value) => {
    if (typeof value !== 'string') return undefined;
    const date = new Date(value);
    return !Number.isNaN(date.getTime()) && date.toISOString() === value ? date : undefined;
  }) as CursorPart<Date>,
  positiveInt: ((value) => (Number.isSafeInteger(value) && (value as number) > 0 ? (value as number) : undefined)) as CursorPart<number>,
  /** A fixed tag, so that a cursor of one list is refused by another list with the same key types. */
  literal:
    <T extends string>(tag: T): CursorPart<T> =>
    (value) =>
      value === tag ? tag : undefined,
};

type Parsed<Parts extends readonly CursorPart<unknown>[]> = {
  -readonly [I in keyof Parts]: Parts[I] extends CursorPart<infer T> ? T : never;
};

/** A cursor's shape: exactly these parts, in this order. */
export type CursorShape<Key> = (key: unknown[]) => Key | undefined;

export function cursorShape<const Parts extends readonly CursorPart<unknown>[]>(...parts: Parts): CursorShape<Parsed<Parts>> {
  return (key) => {
    if (key.length !== parts.length) return undefined;
    const values = parts.map((parse, index) => parse(key[index]));
    return values.every((value) => value !== undefined) ? (values as Parsed<Parts>) : undefined;
  };
}

/** The sort key inside a cursor, typed by its shape; BAD_USER_INPUT at `after` for anything else. */
export function decodeCursor<Key>(cursor: string, shape: CursorShape<Key>): Key {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const parsed = Array.isArray(key) ? shape(key) : undefined;
  if (parsed === undefined) throw new BadUserInputError([{ path: ['after'], message: 'is not a cursor from this list' }]);
  return parsed;
}
