// Partial updates: a field left out of the input is unchanged, an explicit null clears it. Fields
// that cannot be empty refuse null (BAD_USER_INPUT at their path) rather than being left alone.
import { BadUserInputError } from '../errors/errors.js';

type Given<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/** The fields of `input` that were sent (null included), after refusing null on `required` ones. */
export function sentFields<T extends object>(
  input: T,
  required: ReadonlyArray<keyof T & string>,
  path: ReadonlyArray<string | number>,
): Given<T> {
  const refused = required.filter((field) => input[field] === null);
  if (refused.length > 0)
    throw new BadUserInputError(refused.map((field) => ({ path: [...path, field], message: `${field} cannot be cleared` })));
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Given<T>;
}
