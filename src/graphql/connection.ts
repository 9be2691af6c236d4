// Relay connections: `first` (1..100, required) and an opaque `after` cursor; every list in the
// schema pages this way.
import type { ClassType } from 'type-graphql';
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { IsOptional, Max, MaxLength, Min } from 'class-validator';
import { BadUserInputError } from '../errors/errors.js';

@ObjectType({ description: 'Where a page sits in its list.' })
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field() hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { description: 'How many items, 1 to 100.' })
  @Min(1)
  @Max(100)
  first!: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  @IsOptional()
  @MaxLength(512)
  after?: string | null;
}

export interface Page<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfo;
}

export function Connection<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field() cursor!: string;
    @Field(() => node) node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
  }
  return ConnectionType;
}

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

/** A page from `rows` fetched with `first + 1` rows, the extra one telling whether more follow. */
export function toPage<Row, T>(rows: Row[], first: number, hasPrevious: boolean, cursorOf: (row: Row) => string, nodeOf: (row: Row) => T): Page<T> {
  const visible = rows.slice(0, first);
  const edges = visible.map((row) => ({ cursor: cursorOf(row), node: nodeOf(row) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
