// The protective limits at the GraphQL edge: depth, aliases, directives, tokens (GraphQL Armor) and a
// per-role cost budget (ours), all
// refused as QUERY_TOO_COMPLEX (400) with a message that states the limit and never the query;
// an accepted operation reports its cost. One operation per request: batches are refused.
import { readdirSync, readFileSync } from 'node:fs';
import { buildSchema, getIntrospectionQuery, Kind, parse, validate, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, fragmentsOf, queryCost, queryLimitRules } from '../../src/graphql/limits/index.js';
import { createClinic, createPatient, createStaff } from '../factories.js';
import { useTestApi, type GraphQLResponse } from '../harness/api.js';

const api = useTestApi();

const KEYWORDS = new Set(['query', 'fragment', 'mutation']);

/** The one error of a refused operation, checked for the shape every refusal shares. */
function refusal(response: GraphQLResponse<unknown>, query: string) {
  expect(response.status).toBe(400);
  expect(response.data).toBeUndefined();
  expect(response.errors).toHaveLength(1);
  const [error] = response.errors!;
  expect(error.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  // No part of the query comes back: no field, alias, argument or operation name.
  const words = new Set((query.match(/[A-Za-z_][A-Za-z0-9_]{3,}/g) ?? []).filter((word) => !KEYWORDS.has(word)));
  for (const word of words) expect(error.message).not.toContain(word);
  return error;
}

function nested(levels: number): string {
  // __type(name:) { ofType { ofType ... } } is as deep as we like; `clinics` keeps it from being
  // an introspection-only operation (which is exempt from depth while introspection is on).
  return `{ clinics { id } __type(name: "Doctor") { ${'ofType { '.repeat(levels - 2)}name${' }'.repeat(levels - 2)} } }`;
}

describe('depth', () => {
  it(`refuses an operation nested deeper than ${DEFAULT_LIMITS.maxDepth} levels`, async () => {
    const query = nested(DEFAULT_LIMITS.maxDepth + 2);
    const error = refusal(await api.graphql(query), query);
    expect(error.message).toBe(`The query is nested ${DEFAULT_LIMITS.maxDepth + 2} levels deep; the limit is ${DEFAULT_LIMITS.maxDepth}.`);
    expect(error.extensions).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      limit: 'depth',
      maximum: DEFAULT_LIMITS.maxDepth,
      measured: DEFAULT_LIMITS.maxDepth + 2,
    });
  });

  it('accepts an operation at the limit', async () => {
    const response = await api.graphql(nested(DEFAULT_LIMITS.maxDepth));
    expect(response.errors).toBeUndefined();
    expect(response.status).toBe(200);
  });

  it('counts the levels inside fragments', async () => {
    const query = `{ ...Root } fragment Root on Query { clinics { id } __type(name: "Clinic") { ...Deep } } fragment Deep on __Type { ${'ofType { '.repeat(DEFAULT_LIMITS.maxDepth)}name${' }'.repeat(DEFAULT_LIMITS.maxDepth)} }`;
    expect(refusal(await api.graphql(query), query).extensions?.limit).toBe('depth');
  });
});

describe('aliases', () => {
  it(`refuses more than ${DEFAULT_LIMITS.maxAliases} aliases, counting a fragment each time it is spread`, async () => {
    const fields = Array.from({ length: 16 }, (_, i) => `clinicAlias${i}: id`).join(' ');
    const query = `{ clinics { ...Many ...Many } } fragment Many on Clinic { ${fields} }`;
    const error = refusal(await api.graphql(query), query);
    expect(error.message).toBe(`The query uses 32 aliases; the limit is ${DEFAULT_LIMITS.maxAliases}.`);
    expect(error.extensions).toMatchObject({ limit: 'aliases', maximum: DEFAULT_LIMITS.maxAliases, measured: 32 });
  });

  it('accepts a few aliases', async () => {
    const response = await api.graphql('{ first: clinics { id } second: clinics { name } }');
    expect(response.errors).toBeUndefined();
  });
});

describe('directives', () => {
  it(`refuses more than ${DEFAULT_LIMITS.maxDirectives} directives`, async () => {
    const fields = Array.from({ length: DEFAULT_LIMITS.maxDirectives + 1 }, () => 'id @include(if: true)').join(' ');
    const query = `{ clinics { ${fields} } }`;
    const error = refusal(await api.graphql(query), query);
    expect(error.message).toBe(
      `The query uses ${DEFAULT_LIMITS.maxDirectives + 1} directives; the limit is ${DEFAULT_LIMITS.maxDirectives}.`,
    );
    expect(error.extensions).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      limit: 'directives',
      maximum: DEFAULT_LIMITS.maxDirectives,
      measured: DEFAULT_LIMITS.maxDirectives + 1,
    });
  });
});

describe('tokens', () => {
  it(`refuses a document of more than ${DEFAULT_LIMITS.maxTokens} tokens while parsing it`, async () => {
    const query = `{ clinics { ${'name '.repeat(DEFAULT_LIMITS.maxTokens)} } }`;
    const error = refusal(await api.graphql(query), query);
    expect(error.message).toBe(`The query has more than ${DEFAULT_LIMITS.maxTokens} tokens; the limit is ${DEFAULT_LIMITS.maxTokens}.`);
    expect(error.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'tokens', maximum: DEFAULT_LIMITS.maxTokens });
  });

  it('counts tokens, not characters: a long comment is free', async () => {
    const response = await api.graphql(`{ clinics { id } } # ${'x'.repeat(50_000)}`);
    expect(response.errors).toBeUndefined();
  });
});

describe('cost', () => {
  // Ten aliased copies of each doctor's clinics: the shape of an amplification, not of a screen.
  const clinicCopies = Array.from({ length: 10 }, (_, i) => `copy${i}: clinics { id name }`).join(' ');
  const expensive = `query Directory($first: Int!) { doctors(first: $first) { edges { node { id displayName ${clinicCopies} specialties { code } } } } }`;
  // doctors 1 + edges first × (edge 1 + node (1 + 10 copies × 10 clinics + 10 specialties)); scalars free
  const costAt = (first: number) => 1 + first * (1 + 1 + 10 * 10 + 10);
  const { budgets } = DEFAULT_LIMITS;

  it("reports the cost of an accepted operation and the caller's budget", async () => {
    const response = (await api.graphql(
      '{ clinics { id name } doctors(first: 5) { edges { node { id } } pageInfo { hasNextPage } } }',
    )) as GraphQLResponse<unknown> & { extensions?: unknown };
    expect(response.errors).toBeUndefined();
    // clinics 10 × 1; doctors 1 + edges 5 × (1 + 1) + pageInfo 1
    expect(response.extensions).toEqual({ cost: { requested: 10 + 1 + 10 + 1, budget: budgets.anonymous } });
  });

  it('refuses an operation over the anonymous budget', async () => {
    expect(costAt(100)).toBeGreaterThan(budgets.patient);
    const error = refusal(await api.graphql(expensive, { first: 100 }), expensive);
    expect(error.message).toBe(`The query's estimated cost is ${costAt(100)}; the budget for anonymous callers is ${budgets.anonymous}.`);
    expect(error.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', maximum: budgets.anonymous, measured: costAt(100) });
  });

  it('measures page sizes given as variables: a small page is cheap enough', async () => {
    const response = (await api.graphql(expensive, { first: 10 })) as GraphQLResponse<unknown> & {
      extensions?: { cost?: { requested: number } };
    };
    expect(response.errors).toBeUndefined();
    expect(response.extensions?.cost?.requested).toBe(costAt(10));
  });

  it('refuses it for a patient and allows it for staff, by the role in the access token', async () => {
    const patient = await api.token({ userId: (await createPatient(api.database.prisma)).userId, role: 'patient' });
    const refused = refusal(await api.graphql(expensive, { first: 100 }, patient), expensive);
    expect(refused.message).toBe(`The query's estimated cost is ${costAt(100)}; the budget for your role (PATIENT) is ${budgets.patient}.`);

    const staff = await api.token(await createStaff(api.database.prisma, 'receptionist', (await createClinic(api.database.prisma)).id));
    const allowed = (await api.graphql(expensive, { first: 100 }, staff)) as GraphQLResponse<unknown> & { extensions?: unknown };
    expect(allowed.errors).toBeUndefined();
    expect(allowed.status).toBe(200);
    expect(allowed.extensions).toEqual({ cost: { requested: costAt(100), budget: budgets.receptionist } });
  });
});

describe("the app's own operations (operations/*.graphql)", () => {
  // Every client operation, at the largest page it may ask for, must fit the smallest budget with
  // the other limits: a new screen that does not fit shows up here, not in production.
  const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
  const folder = new URL('../../operations/', import.meta.url);
  const operations = readdirSync(folder)
    .filter((file) => file.endsWith('.graphql'))
    .flatMap((file) => {
      const document = parse(readFileSync(new URL(file, folder), 'utf8'));
      const fragments = fragmentsOf(document);
      return document.definitions
        .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
        .map((operation) => ({ name: operation.name?.value ?? file, operation, fragments, document }));
    });

  it('finds the operations', () => {
    expect(operations.map((o) => o.name)).toContain('DoctorDirectory');
  });

  // Depth, aliases and directives as the server measures them (GraphQL Armor's rules, our settings).
  const overLimits = (document: DocumentNode) => validate(schema, document, queryLimitRules(DEFAULT_LIMITS)).map((error) => error.message);

  it.each(operations.map((o) => [o.name, o] as const))(
    '%s fits the anonymous budget and the other limits',
    (_name, { operation, fragments, document }) => {
      const largestPages = Object.fromEntries(
        (operation.variableDefinitions ?? [])
          .filter((v) => ['first', 'last'].includes(v.variable.name.value))
          .map((v) => [v.variable.name.value, 100]),
      );
      const cost = queryCost({
        schema,
        operation,
        fragments,
        variables: largestPages,
        defaultListSize: DEFAULT_LIMITS.defaultListSize,
        scalarCost: DEFAULT_LIMITS.scalarCost,
      });
      expect(cost).toBeLessThanOrEqual(DEFAULT_LIMITS.budgets.anonymous);
      expect(overLimits(document)).toEqual([]);
    },
  );
});

describe('introspection (development)', () => {
  it('lets the full introspection query through, although it is deeper than the limit', async () => {
    const response = (await api.graphql(getIntrospectionQuery())) as GraphQLResponse<{ __schema: unknown }> & { extensions?: unknown };
    expect(response.errors).toBeUndefined();
    expect(response.data?.__schema).toBeTruthy();
    expect(response.extensions).toBeUndefined(); // exempt, so no cost is reported
  });
});

describe('batching', () => {
  it('refuses a JSON array of operations (Apollo allowBatchedHttpRequests stays false)', async () => {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ clinics { id } }' }, { query: '{ clinics { name } }' }]),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { data?: unknown; errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([{ message: 'Operation batching disabled.', extensions: { code: 'BAD_REQUEST' } }]);
  });
});
