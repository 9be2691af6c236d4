// Reading command fields with MongoDB's complaints when they have the wrong type.
import { Long } from 'bson';
import { bsonTypeOf, isPlainObject, type Doc } from '../bson-values.js';
import { ErrorCodes, MongoCommandError, notImplemented } from '../errors.js';
import { checkCollectionName } from '../storage/catalog.js';
import type { CommandContext } from './context.js';

function wrongType(field: string, expected: string, value: unknown): MongoCommandError {
  return new MongoCommandError(
    ErrorCodes.TypeMismatch,
    `BSON field '${field}' is the wrong type '${bsonTypeOf(value)}', expected type '${expected}'`,
  );
}

export function collectionArgument(command: Doc, field: string, context: CommandContext): string {
  const name = command[field];
  if (typeof name !== 'string') {
    throw new MongoCommandError(ErrorCodes.InvalidNamespace, `collection name has invalid type ${bsonTypeOf(name)}`);
  }
  return checkCollectionName(context.db, name);
}

export function optionalDoc(command: Doc, field: string): Doc | undefined {
  const value = command[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw wrongType(field, 'object', value);
  return value;
}

export function requiredDoc(command: Doc, field: string): Doc {
  const value = optionalDoc(command, field);
  if (!value) throw new MongoCommandError(ErrorCodes.FailedToParse, `BSON field '${field}' is missing but a required field`);
  return value;
}

export function requiredArray(command: Doc, field: string): unknown[] {
  const value = command[field];
  if (value === undefined) throw new MongoCommandError(ErrorCodes.FailedToParse, `BSON field '${field}' is missing but a required field`);
  if (!Array.isArray(value)) throw wrongType(field, 'array', value);
  return value;
}

export function optionalNumber(command: Doc, field: string): number | undefined {
  const value = command[field];
  if (value === undefined || value === null) return undefined;
  if (value instanceof Long) return value.toNumber();
  if (typeof value !== 'number') throw wrongType(field, 'long', value);
  return value;
}

export function nonNegative(command: Doc, field: string): number | undefined {
  const value = optionalNumber(command, field);
  if (value !== undefined && value < 0) {
    throw new MongoCommandError(ErrorCodes.BadValue, `${field} value must be non-negative, but received: ${value}`);
  }
  return value === undefined ? undefined : Math.trunc(value);
}

export function optionalBoolean(command: Doc, field: string): boolean {
  const value = command[field];
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  throw wrongType(field, 'bool', value);
}

/** Only the simple binary collation is supported; anything else is refused, not ignored. */
export function refuseCollation(spec: Doc): void {
  const collation = spec.collation;
  if (collation === undefined || collation === null) return;
  if (isPlainObject(collation) && collation.locale === 'simple') return;
  throw notImplemented('Collation other than { locale: "simple" }');
}

export function writeBatch(command: Doc, field: string): Doc[] {
  const batch = requiredArray(command, field);
  if (batch.length === 0 || batch.length > 100_000) {
    throw new MongoCommandError(
      ErrorCodes.InvalidLength,
      `Write batch sizes must be between 1 and 100000. Got ${batch.length} operations.`,
    );
  }
  for (const item of batch) if (!isPlainObject(item)) throw wrongType(field, 'object', item);
  return batch as Doc[];
}
