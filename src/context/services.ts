// The application's repositories and services, built once by the composition root from every
// module in the registry (each module builds its own; their names are unique across modules).
import type { Db } from 'mongodb';
import { guardPatientCollections, guardPatientWrites } from '../authz/patient-writes.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { allModules, type modules } from '../modules/registry.js';
import type { Cache } from '../platform/cache.js';
import { ReadThrough } from '../platform/cache-aside.js';
import { mergeDeclarations, moduleProblems, type ModuleDependencies, type ModuleManifest } from '../platform/module.js';
import type { HttpRoute } from '../http/route.js';
import type { JobDefinition } from '../platform/jobs.js';
import type { OutboxHandlers } from '../platform/outbox.js';
import { relayHandlers, type TopicHandler } from '../platform/outbox-topics.js';

type Module = (typeof modules)[number];
export type Intersect<Union> = (Union extends unknown ? (value: Union) => void : never) extends (value: infer Both) => void ? Both : never;
type RepositoriesOf<M> = M extends ModuleManifest<infer Repositories, infer _Services, infer _Loaders> ? Repositories : never;
type ServicesOf<M> = M extends ModuleManifest<infer _Repositories, infer Services, infer _Loaders> ? Services : never;

export type Repositories = Intersect<RepositoriesOf<Module>>;
export type Services = Intersect<ServicesOf<Module>>;

/** Every module's repositories (a module's services and loaders are given them and use their own). */
export function createRepositories(prisma: PrismaClient, mongo: Db, cache: Cache): Repositories {
  // A patient's data is written through these only inside an audited write (authz/patient-writes.ts).
  const guarded = allModules.map((module) => module.patientStores ?? {});
  const stores = {
    prisma: guardPatientWrites(prisma, new Set(guarded.flatMap((declared) => declared.models ?? []))),
    mongo: guardPatientCollections(mongo, new Set(guarded.flatMap((declared) => declared.collections ?? []))),
    readThrough: new ReadThrough(cache),
  };
  return mergeDeclarations(
    'repository',
    allModules.map((module) => [module.name, module.repositories?.(stores) as Record<string, unknown> | undefined]),
  ) as Repositories;
}

export function createServices(repositories: Repositories, dependencies: ModuleDependencies): Services {
  return mergeDeclarations(
    'service',
    allModules.map((module) => [module.name, module.services?.(repositories, dependencies) as Record<string, unknown> | undefined]),
  ) as Services;
}

/** Runs what each module needs in place before the API serves (its reference data), in registry order. */
export async function startModules(services: Services): Promise<void> {
  for (const module of allModules) await module.start?.(services);
}

/** Every module's outbox handlers. */
export function topicHandlers(services: Services): TopicHandler[] {
  return allModules.flatMap((module) => module.handlers?.(services) ?? []);
}

/** Every module's HTTP routes (their names are unique: moduleProblems). */
export function moduleRoutes(): HttpRoute[] {
  return allModules.flatMap((module) => (module.routes ?? []).map((declared) => declared.route));
}

/** Every module's jobs, with the module declaring each. */
export function moduleJobs(services: Services): Array<[module: string, job: JobDefinition<never>]> {
  return allModules.flatMap((module) => (module.jobs?.(services) ?? []).map((job): [string, JobDefinition<never>] => [module.name, job]));
}

/**
 * The modules' background work: what the outbox relay does with each topic, and the jobs. Refuses
 * to start when the modules' declarations disagree (a topic without a handler, a job declared twice, ...).
 */
export function backgroundWork(services: Services): { handlers: OutboxHandlers; jobs: Array<JobDefinition<never>> } {
  const handlers = topicHandlers(services);
  const jobs = moduleJobs(services);
  const problems = moduleProblems(allModules, { handlers, jobs: jobs.map(([module, job]) => [module, job.name]) });
  if (problems.length > 0) throw new Error(`the modules' declarations disagree: ${problems.join('; ')}`);
  return { handlers: relayHandlers(handlers), jobs: jobs.map(([, job]) => job) };
}
