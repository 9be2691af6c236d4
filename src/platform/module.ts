// What a domain module contributes to the API, declared in one manifest (its `module.ts`) and
// listed once in src/modules/registry.ts. Schema assembly, the permission map, the context, the
// node(id:) resolver, the read audit, cache policy, MongoDB setup and the outbox relay all read
// the registry, so adding a domain is a new folder and one line there.
import type DataLoader from 'dataloader';
import type { Db } from 'mongodb';
import type { Principal } from '../auth/principal.js';
import type { AccessTokens } from '../auth/tokens.js';
import type { IRules } from '../authz/shield.js';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { AuditLog } from '../modules/audit/index.js';
import type { ReadThrough } from './cache-aside.js';
import type { CollectionSpec } from './mongo.js';
import type { Notifier } from './notifier.js';
import { definedTopicNames, type OutboxTopic, type TopicHandler } from './outbox-topics.js';
import type { RateLimiter } from './rate-limiter.js';
import type { VideoRooms } from './video-rooms.js';
import type { HttpRoute } from '../http/route.js';
import type { JobDefinition } from './jobs.js';

/** The stores a module's repositories are built over. */
export interface ModuleStores {
  prisma: PrismaClient;
  mongo: Db;
  /** Cache-aside reads over Redis (or the in-process cache). */
  readThrough: ReadThrough;
}

/** Settings from the configuration that modules read. */
export interface ModuleSettings {
  /** Base of the links in emails, e.g. https://app.example/. */
  appUrl?: string;
  /** How long before an appointment the patient may be checked in. */
  checkInWindowMinutes?: number;
  /** The prescription signing key (id and Ed25519 seed) and the retired public keys that still verify. */
  prescriptionSigning: { keyId: string; seed: Buffer; retired: ReadonlyArray<{ keyId: string; publicKey: Buffer }> };
}

/** The platform services a module's services may use. */
export interface ModuleDependencies {
  tokens: AccessTokens;
  auditLog: AuditLog;
  notifier: Notifier;
  videoRooms: VideoRooms;
  rateLimiter: RateLimiter;
  /** Wakes the outbox relay after a transaction that wrote events commits. */
  afterOutboxWrite?: () => void;
  settings: ModuleSettings;
}

/**
 * A module's rules, in graphql-shield's shape: `Query` and `Mutation` fields, and types (a rule
 * for the whole type, or per field with '*' for the rest). A module may add field rules to
 * another module's type for the fields it resolves there (e.g. Patient.encounters).
 */
export type ModulePermissions = IRules & Record<string, unknown>;

/** A type that implements Node: how node(id:) loads it, and whether anyone may refetch it. */
export interface NodeSpec<Loaders> {
  load: (loaders: Loaders) => DataLoader<string, unknown>;
  /** Public directory data: anonymous callers may refetch it (decided before the object is loaded). */
  public?: boolean;
}

/**
 * A type holding a patient's data: every field of it that a request resolves is written to the
 * audit trail under the patient `patientOf` names (the parent object's patient).
 */
export type PatientOf = (parent: never) => string | undefined;

/** An HTTP route beside /graphql (provider callbacks, file transfers). */
export interface RouteSpec {
  /** Method and path, e.g. 'POST /callbacks/mtn'; unique across modules. */
  name: string;
  route: HttpRoute;
}

export interface ModuleManifest<Repositories extends object = object, Services extends object = object, Loaders extends object = object> {
  /** The folder's name. */
  name: string;
  /** type-graphql resolver classes. */
  resolvers?: readonly NewableFunction[];
  /** The rules of its root fields and types (merged into one map, deny by default). */
  permissions?: ModulePermissions;
  /** Its repositories (the only code that builds store queries), keyed by name. */
  repositories?: (stores: ModuleStores) => Repositories;
  /** Its services, keyed by name, over its own repositories. */
  services?: (repositories: Repositories, dependencies: ModuleDependencies) => Services;
  /** What must be in place before the API serves (reference data such as a catalogue), run at every start; idempotent. */
  start?: (services: Services) => Promise<unknown>;
  /** Its DataLoaders for one request (fresh per request). */
  loaders?: (repositories: Repositories, principal: Principal | null) => Loaders;
  /** Its types that implement Node, with their loaders. */
  nodes?: Record<string, NodeSpec<Loaders>>;
  /** Global id kinds that only name (no object to refetch; node(id:) answers null). */
  idKinds?: readonly string[];
  /** Its types that hold a patient's data (read-audited), with how to find the patient. */
  patientData?: Record<string, PatientOf>;
  /** Root query fields whose answers are public and may be cached, with how long (seconds). */
  publicFields?: Record<string, number>;
  /** Fields that shorten how long a public answer containing them may be kept (seconds). */
  cacheLimits?: Record<string, number>;
  /**
   * Where it keeps a patient's data: a write to these PostgreSQL models or MongoDB collections
   * outside an audited write is refused (authz/patient-writes.ts).
   */
  patientStores?: { models?: readonly Prisma.ModelName[]; collections?: readonly string[] };
  /** Its MongoDB collections, with validators and indexes. */
  collections?: (options: { auditRetentionSeconds?: number }) => CollectionSpec[];
  /** The outbox topics it defines (their payloads are its contract; other modules may write or handle them). */
  topics?: ReadonlyArray<OutboxTopic<unknown>>;
  /** What it does with outbox events (its own topics or others'). */
  handlers?: (services: Services) => TopicHandler[];
  /** Its jobs (scheduled or queued), run once across all processes by the job queue (platform/jobs.ts). */
  jobs?: (services: Services) => Array<JobDefinition<never>>;
  /** Its HTTP routes. */
  routes?: readonly RouteSpec[];
  /** The topics it publishes to subscribers. */
  subscriptions?: readonly string[];
}

/**
 * One record from what each module declares under the same kind (repositories, services, node
 * types, patient-data types, public fields): a name two modules declare is an error at start,
 * never a silent override.
 */
export function mergeDeclarations<Value>(
  what: string,
  parts: Array<[module: string, part: Record<string, Value> | undefined]>,
): Record<string, Value> {
  const merged: Record<string, Value> = {};
  const owners = new Map<string, string>();
  for (const [module, part] of parts) {
    for (const [name, value] of Object.entries(part ?? {})) {
      const owner = owners.get(name);
      if (owner) throw new Error(`${what} '${name}' is declared by both ${owner} and ${module}`);
      owners.set(name, module);
      merged[name] = value;
    }
  }
  return merged;
}

/** Declares a module; the type parameters are inferred from its factories. */
export function defineModule<Repositories extends object = object, Services extends object = object, Loaders extends object = object>(
  manifest: ModuleManifest<Repositories, Services, Loaders>,
): ModuleManifest<Repositories, Services, Loaders> {
  return manifest;
}

/** The names that appear more than once in `lists` (one list per module). */
function repeated(what: string, lists: Array<[module: string, names: readonly string[]]>): string[] {
  const owners = new Map<string, string[]>();
  for (const [module, names] of lists) for (const name of names) owners.set(name, [...(owners.get(name) ?? []), module]);
  return [...owners]
    .filter(([, by]) => by.length > 1)
    .map(([name, by]) => `${what} '${name}' is declared more than once (${by.join(', ')})`);
}

/**
 * What is wrong with a set of modules' declarations: a job, route, subscription topic or outbox
 * topic declared twice; an outbox topic defined but declared by no module; a declared topic that
 * no handler applies; a handler of an undeclared topic. Empty when all is well.
 */
export function moduleProblems(
  modules: readonly ModuleManifest[],
  built: { handlers: readonly TopicHandler[]; jobs: ReadonlyArray<[module: string, name: string]> },
  defined: ReadonlySet<string> = definedTopicNames(),
): string[] {
  const topics = modules.flatMap((module) => (module.topics ?? []).map((topic) => topic.name));
  const handled = new Set(built.handlers.map((handler) => handler.topic.name));
  return [
    ...repeated(
      'job',
      built.jobs.map(([module, name]) => [module, [name]]),
    ),
    ...repeated(
      'route',
      modules.map((module) => [module.name, (module.routes ?? []).map((route) => route.name)]),
    ),
    ...repeated(
      'subscription topic',
      modules.map((module) => [module.name, module.subscriptions ?? []]),
    ),
    ...repeated(
      'outbox topic',
      modules.map((module) => [module.name, (module.topics ?? []).map((topic) => topic.name)]),
    ),
    ...[...defined].filter((name) => !topics.includes(name)).map((name) => `outbox topic '${name}' is defined but no module declares it`),
    ...topics.filter((name) => !handled.has(name)).map((name) => `outbox topic '${name}' has no handler`),
    ...[...handled]
      .filter((name) => !topics.includes(name))
      .map((name) => `a handler applies outbox topic '${name}', which no module declares`),
  ];
}
