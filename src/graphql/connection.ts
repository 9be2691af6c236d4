// Relay connections: `first` (1..100, required) and an opaque `after` cursor; every list in the
// schema pages this way, and every connection can say how long the whole list is (totalCount),
// counted only when a client asks for it: one COUNT per list, never one per row.
export { cursorShape, decodeCursor, encodeCursor, part } from './cursors.js';
import type { ClassType } from 'type-graphql';
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { IsOptional, Max, MaxLength, Min } from 'class-validator';

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
  /** Counts the whole list (not only this page); called only when totalCount is selected. */
  count: () => Promise<number>;
}

/** Runs `count` once, on the first call: a list selected once is counted once. */
export function countOnce(count: () => Promise<number>): () => Promise<number> {
  let counted: Promise<number> | undefined;
  return () => (counted ??= count());
}

/** The same page with each node mapped (cursors, page info and count unchanged). */
export function mapPage<T, U>(page: Page<T>, mapNode: (node: T) => U): Page<U> {
  return { ...page, edges: page.edges.map(({ cursor, node }) => ({ cursor, node: mapNode(node) })) };
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
    count!: () => Promise<number>;

    // A method, so that the count runs only when a client selects the field.
    @Field(() => Int, { description: 'How many items the whole list has, across all its pages.' })
    totalCount(): Promise<number> {
      return this.count();
    }
  }
  return ConnectionType;
}

/**
 * A page from `rows` fetched with `first + 1` rows, the extra one telling whether more follow;
 * `count` counts the whole list (the same filter, without the cursor) when totalCount is asked.
 */
export function toPage<Row, T>(
  rows: Row[],
  first: number,
  hasPrevious: boolean,
  cursorOf: (row: Row) => string,
  nodeOf: (row: Row) => T,
  count: () => Promise<number>,
): Page<T> {
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
    count: countOnce(count),
  };
}
