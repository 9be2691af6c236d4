// The committed schema.graphql matches the code, and the permission map covers the schema:
// every Query / Mutation / Subscription field has its own rule and every object type is listed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { permissions } from '../../src/authz/permissions.js';
import { buildBareSchema, printSchemaFile } from '../../src/graphql/schema.js';
import { PROJECT_ROOT } from '../../src/platform/paths.js';

let schema: GraphQLSchema;

beforeAll(async () => {
  schema = await buildBareSchema();
});

describe('schema.graphql', () => {
  it('is what the code declares (run `npm run schema` after changing types or resolvers)', () => {
    const committed = readFileSync(path.join(PROJECT_ROOT, 'schema.graphql'), 'utf8');
    expect(committed).toBe(printSchemaFile(schema));
  });
});

describe('permissions', () => {
  const rules = permissions as Record<string, unknown>;
  const rootTypes = () =>
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t): t is GraphQLObjectType => Boolean(t));

  it('give every root field an explicit rule (the fallback denies anything unlisted)', () => {
    const missing: string[] = [];
    for (const type of rootTypes()) {
      const map = (rules[type.name] ?? {}) as Record<string, unknown>;
      for (const field of Object.keys(type.getFields())) if (!(field in map)) missing.push(`${type.name}.${field}`);
    }
    expect(missing).toEqual([]);
  });

  it('list no rule for a field or type that does not exist', () => {
    const stale: string[] = [];
    for (const [typeName, rule] of Object.entries(rules)) {
      const type = schema.getType(typeName);
      if (!type || !isObjectType(type)) {
        stale.push(typeName);
        continue;
      }
      if (typeof rule === 'object' && rule !== null && !('resolve' in rule)) {
        for (const field of Object.keys(rule)) if (field !== '*' && !(field in type.getFields())) stale.push(`${typeName}.${field}`);
      }
    }
    expect(stale).toEqual([]);
  });

  it('cover every object type the schema can return', () => {
    const uncovered = Object.values(schema.getTypeMap())
      .filter((type) => isObjectType(type) && !type.name.startsWith('__'))
      .map((type) => type.name)
      .filter((name) => !(name in rules));
    expect(uncovered).toEqual([]);
  });
});
