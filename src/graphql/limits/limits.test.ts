// The measurements on their own, over a small schema shaped like ours (a Relay connection, nested
// lists, an interface): depth, aliases and directives as GraphQL Armor's rules measure them with our
// settings (each read off the refusal of a limit of 0), the cost as we estimate it, and tokens.
import { buildSchema, getIntrospectionQuery, getOperationAST, parse, validate, type GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { queryLimitRules } from './armor.js';
import { queryCost } from './cost.js';
import { fragmentsOf } from './document.js';
import { queryLimitError, type LimitKind } from './errors.js';
import { isIntrospectionOnly } from './introspection.js';
import { DEFAULT_LIMITS } from './options.js';

const schema = buildSchema(`
  interface Node { id: ID! }
  type Clinic implements Node { id: ID! name: String! services: [String!]! }
  type Doctor implements Node { id: ID! name: String! clinics: [Clinic!]! }
  type DoctorEdge { cursor: String! node: Doctor! }
  type PageInfo { hasNextPage: Boolean! }
  type DoctorConnection { edges: [DoctorEdge!]! pageInfo: PageInfo! }
  type Query { clinics: [Clinic!]! doctors(first: Int!, after: String): DoctorConnection! node(id: ID!): Node }
`);

/** What the limit rules measured of a document (nothing over a limit of 0 measures 0). */
function measuredBy(errors: readonly GraphQLError[], limit: LimitKind): number {
  const refusal = errors.map((error) => queryLimitError(error)).find((error) => error?.extensions.limit === limit);
  return (refusal?.extensions.measured as number | undefined) ?? 0;
}

function measure(source: string, variables?: Record<string, unknown>, scalarCost = 0, introspection = false) {
  const document = parse(source);
  const operation = getOperationAST(document)!;
  const fragments = fragmentsOf(document);
  const errors = validate(
    schema,
    document,
    queryLimitRules({ ...DEFAULT_LIMITS, maxDepth: 0, maxAliases: 0, maxDirectives: 0, introspection }),
  );
  return {
    depth: measuredBy(errors, 'depth'),
    aliases: measuredBy(errors, 'aliases'),
    directives: measuredBy(errors, 'directives'),
    cost: queryCost({ schema, operation, fragments, variables, defaultListSize: 10, scalarCost }),
    introspection: isIntrospectionOnly(operation, fragments),
  };
}

describe('query depth', () => {
  it('counts nested field levels through fragments and inline fragments', () => {
    expect(measure('{ clinics { id } }').depth).toBe(2);
    expect(measure('{ node(id: "x") { ... on Doctor { clinics { ...C } } } } fragment C on Clinic { name }').depth).toBe(3);
  });
});

describe('directive count', () => {
  it('counts directives, fragments expanded', () => {
    expect(
      measure(
        'query($a: Boolean!) { clinics { id @include(if: $a) name @skip(if: $a) ...F ...F } } fragment F on Clinic { services @include(if: $a) }',
      ).directives,
    ).toBe(4);
  });
});

describe('alias count', () => {
  it('counts a fragment as often as it is spread', () => {
    expect(measure('{ a: clinics { id } b: clinics { ...F } c: clinics { ...F } } fragment F on Clinic { x: id y: name }').aliases).toBe(7);
  });

  it('stays cheap when fragments spread into each other (a fragment bomb)', () => {
    const levels = 40; // 2^40 expanded fields; measured once per fragment
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on Clinic { a: id }` : `fragment F${i} on Clinic { ...F${i + 1} ...F${i + 1} }`,
    );
    const result = measure(`{ clinics { ...F0 } } ${fragments.join(' ')}`, {}, 1);
    expect(result.aliases).toBe(2 ** (levels - 1));
    expect(result.cost).toBe(10 * (1 + 2 ** (levels - 1)));
  });
});

describe('query cost', () => {
  it('costs each object once, scalars nothing (or `scalarCost`), and lists a default size', () => {
    expect(measure('{ clinics { id name } }').cost).toBe(10 * 1);
    expect(measure('{ clinics { id name } }', {}, 1).cost).toBe(10 * (1 + 2));
    expect(measure('{ clinics { __typename services } }', {}, 1).cost).toBe(10 * (1 + 1));
    expect(measure('{ node(id: "x") { id ... on Doctor { clinics { id } } } }').cost).toBe(1 + 10);
  });

  it("multiplies a connection's edges by its page size, literal or variable, and not its pageInfo", () => {
    const query = 'query($n: Int!) { doctors(first: $n) { pageInfo { hasNextPage } edges { cursor node { id clinics { id } } } } }';
    // doctors 1 + pageInfo 1 + edges n × (edge 1 + node (1 + clinics 10 × 1)); scalars free
    const expected = (n: number) => 1 + 1 + n * (1 + 1 + 10);
    expect(measure(query, { n: 5 }).cost).toBe(expected(5));
    expect(measure(query.replace('query($n: Int!)', '').replace('$n', '100')).cost).toBe(expected(100));
    expect(measure('query($n: Int = 7) { doctors(first: $n) { edges { cursor } } }').cost).toBe(1 + 7);
  });

  it('expands fragments with the page size of the connection they are spread in', () => {
    expect(measure('{ doctors(first: 3) { ...Page } } fragment Page on DoctorConnection { edges { cursor } }').cost).toBe(1 + 3);
  });
});

describe('introspection', () => {
  it('recognises an introspection-only operation (deep, but exempt while introspection is on)', () => {
    const sandbox = measure(getIntrospectionQuery());
    expect(sandbox.introspection).toBe(true);
    expect(sandbox.depth).toBeGreaterThan(12);
    expect(sandbox.aliases).toBe(0);
    expect(measure(getIntrospectionQuery(), {}, 0, true).depth).toBe(0);
    expect(measure('{ __typename clinics { id } }').introspection).toBe(false);
  });
});

describe('token limit', () => {
  it("recognises graphql-js's own parse failure at maxTokens (as Apollo reports it) and nothing else", () => {
    let failure: Error | undefined;
    try {
      parse(`{ clinics { ${'id '.repeat(20)} } }`, { maxTokens: 10 });
    } catch (error) {
      failure = error as Error;
    }
    const asApolloReportsIt = Object.assign(new Error(failure!.message), { extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    expect(queryLimitError(asApolloReportsIt)?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'tokens', maximum: 10 });
    const otherSyntaxError = Object.assign(new Error('Syntax Error: Expected Name, found <EOF>.'), {
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
    expect(queryLimitError(otherSyntaxError)).toBeNull();
  });
});
