// The module registry holds together: what a module declares is what the API serves, and a
// forgotten declaration (a patient-data type left out of the read audit, a node type without a
// loader, an outbox topic nobody applies, a job or route declared twice) fails here.
import { loadConfig } from '../../src/config/config.js';
import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import type { Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { permissions } from '../../src/authz/permissions.js';
import { isPatientRule } from '../../src/authz/rules.js';
import { loadersByModule } from '../../src/context/loaders.js';
import { createRepositories, createServices, moduleJobs, topicHandlers, type Repositories } from '../../src/context/services.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { PATIENT_DATA_TYPES } from '../../src/graphql/audit-reads.js';
import { NODE_KINDS } from '../../src/graphql/node.resolver.js';
import { buildBareSchema } from '../../src/graphql/schema.js';
import { allModules } from '../../src/modules/registry.js';
import { memoryCache } from '../../src/platform/cache.js';
import { mergeDeclarations, moduleProblems, type ModuleDependencies, type ModuleManifest } from '../../src/platform/module.js';
import { defineTopic, onTopic, type TopicHandler } from '../../src/platform/outbox-topics.js';
import { z } from 'zod';

let schema: GraphQLSchema;
let handlers: TopicHandler[];
let repositories: Repositories;
let jobs: Array<[string, string]>;

beforeAll(async () => {
  schema = await buildBareSchema();
  // Services only hold their stores until asked for something: a stand-in for each is enough here.
  const stores = { prisma: { $extends: () => ({}) } as unknown as PrismaClient, mongo: { collection: () => ({}) } as unknown as Db };
  repositories = createRepositories(stores.prisma, stores.mongo, memoryCache());
  const services = createServices(repositories, {
    settings: { prescriptionSigning: loadConfig({ NODE_ENV: 'test' }).prescriptionSigning },
  } as unknown as ModuleDependencies);
  handlers = topicHandlers(services);
  jobs = moduleJobs(services).map(([module, job]) => [module, job.name]);
});

/**
 * The fields that guard a patient's data (an onPatient rule, on the field or its type as a whole)
 * whose data the read audit would not see: neither the field's type nor its return type is
 * declared as a patient's data. Mutations are audited as writes, not here.
 */
function unauditedPatientFields(declared: ReadonlySet<string>): string[] {
  const rules = permissions as Record<string, unknown>;
  const unaudited: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type === schema.getMutationType()) continue;
    const typeRules = rules[type.name];
    const fieldRules =
      typeof typeRules === 'object' && typeRules !== null && Object.getPrototypeOf(typeRules) === Object.prototype
        ? (typeRules as Record<string, unknown>)
        : { '*': typeRules };
    for (const [name, field] of Object.entries(type.getFields())) {
      const rule = name in fieldRules ? fieldRules[name] : fieldRules['*'];
      if (isPatientRule(rule) && !declared.has(type.name) && !declared.has(getNamedType(field.type).name))
        unaudited.push(`${type.name}.${name}`);
    }
  }
  return unaudited;
}

/** The types that implement Node without a loader for node(id:). */
function nodeTypesWithoutLoader(kinds: ReadonlyMap<string, { load: unknown }>): string[] {
  const node = schema.getType('Node');
  return Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && node && type.getInterfaces().some((implemented) => implemented.name === 'Node'))
    .map((type) => type.name)
    .filter((name) => !kinds.get(name)?.load);
}

describe('the module registry', () => {
  it('names each module once, by its folder', () => {
    const names = allModules.map((module) => module.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('names each loader once across modules (a request merges them without checking)', () => {
    const parts = loadersByModule(repositories, null) as Array<[string, Record<string, unknown>]>;
    expect(() => mergeDeclarations('loader', parts)).not.toThrow();
    expect(() => mergeDeclarations('loader', [...parts, ['toy', { patientById: null }]])).toThrow(
      /loader 'patientById' is declared by both patients and toy/,
    );
  });

  it("declares every type that holds a patient's data for the read audit", () => {
    expect(unauditedPatientFields(new Set(PATIENT_DATA_TYPES.keys()))).toEqual([]);
    // The check sees a type left out: without Encounter, its guarded fields are unaudited.
    const withoutEncounter = new Set([...PATIENT_DATA_TYPES.keys()].filter((type) => type !== 'Encounter'));
    expect(unauditedPatientFields(withoutEncounter)).toEqual(expect.arrayContaining(['Encounter.assessment', 'Appointment.encounter']));
  });

  it('gives every type that implements Node a loader, and declares no node type the schema lacks', () => {
    expect(nodeTypesWithoutLoader(NODE_KINDS)).toEqual([]);
    const withoutPatient = new Map([...NODE_KINDS].filter(([type]) => type !== 'Patient'));
    expect(nodeTypesWithoutLoader(withoutPatient)).toEqual(['Patient']);
    const declaredNodes = [...NODE_KINDS].filter(([, kind]) => kind.load).map(([type]) => type);
    expect(declaredNodes.filter((type) => !isObjectType(schema.getType(type)))).toEqual([]);
  });

  it('applies every outbox topic a module declares, declares every topic defined, and names each job once', () => {
    expect(moduleProblems(allModules, { handlers, jobs })).toEqual([]);
    expect(jobs).toEqual([
      ['prescriptions', 'prescriptions.expire'],
      ['pharmacy', 'pharmacy.stock-alerts'],
      ['notifications', 'reminders.sweep'],
    ]);
    expect(handlers.map((handler) => handler.topic.name).sort()).toEqual([
      'appointment.booked',
      'appointment.cancelled',
      'appointment.rescheduled',
      // The encounters module applies it to MongoDB; billing charges the visit.
      'encounter.completed',
      'encounter.completed',
    ]);
  });

  it('catches a topic without a handler, a handler of an undeclared topic, a topic nobody declares', () => {
    const orphan = defineTopic('test.orphan', z.object({ id: z.string() }));
    const stray = defineTopic('test.stray', z.object({ id: z.string() }));
    const declaring: ModuleManifest = { name: 'toy', topics: [orphan] };
    const problems = moduleProblems([...allModules, declaring], { handlers: [...handlers, onTopic(stray, async () => {})], jobs });
    expect(problems).toEqual(
      expect.arrayContaining([
        "outbox topic 'test.orphan' has no handler",
        "a handler applies outbox topic 'test.stray', which no module declares",
        "outbox topic 'test.stray' is defined but no module declares it",
      ]),
    );
    expect(() => defineTopic('test.orphan', z.object({}))).toThrow(/defined twice/);
  });

  it('catches a job, a route or a subscription topic declared twice', () => {
    const route = { name: 'POST /callbacks/toy', route: async () => false };
    const one: ModuleManifest = { name: 'one', routes: [route], subscriptions: ['toy.changed'] };
    const two: ModuleManifest = { name: 'two', routes: [route], subscriptions: ['toy.changed'] };
    expect(
      moduleProblems(
        [one, two],
        {
          handlers: [],
          jobs: [
            ['one', 'sweep'],
            ['two', 'sweep'],
          ],
        },
        new Set(),
      ),
    ).toEqual([
      "job 'sweep' is declared more than once (one, two)",
      "route 'POST /callbacks/toy' is declared more than once (one, two)",
      "subscription topic 'toy.changed' is declared more than once (one, two)",
    ]);
  });

  it('refuses two modules ruling the same field', async () => {
    const { mergePermissions } = await import('../../src/authz/permissions.js');
    const { allow } = await import('../../src/authz/shield.js');
    expect(() =>
      mergePermissions([
        ['one', { Query: { toy: allow } }],
        ['two', { Query: { toy: allow } }],
      ]),
    ).toThrow(/Query\.toy is declared by both one and two/);
    expect(() =>
      mergePermissions([
        ['one', { Toy: allow }],
        ['two', { Toy: { name: allow } }],
      ]),
    ).not.toThrow();
    expect(() =>
      mergePermissions([
        ['one', { Toy: allow }],
        ['two', { Toy: { '*': allow } }],
      ]),
    ).toThrow(/Toy\.\* is declared by both/);
  });
});
