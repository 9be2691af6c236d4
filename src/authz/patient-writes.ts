// A write to a patient's data happens only inside an audited write: the stores that hold it are
// handed to repositories guarded, and a write that reaches them outside one (a service that forgot
// the scope, a new code path) throws instead of landing unaudited. The scope (patient-scope.ts)
// opens an audited write after the audit has recorded the attempt; work that is the system's own
// (the outbox relay applying an event already audited when it was written) opens a system write.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Collection, Db, Document } from 'mongodb';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

type WriteScope = { kind: 'audited'; subject: string | null } | { kind: 'system'; reason: string };

const scopes = new AsyncLocalStorage<WriteScope>();

/** Thrown when a patient's data would be written outside an audited write: a bug, never the client's. */
export class UnauditedPatientWrite extends Error {
  constructor(where: string) {
    super(`write to ${where} outside an audited patient write`);
    this.name = 'UnauditedPatientWrite';
  }
}

/**
 * Runs `work` as an audited write of `subject`'s data (a patient's, or a user's own account), the
 * audit of the attempt already stored: RequestAudit.around is the one caller.
 */
export function inAuditedWrite<T>(subject: string | null, work: () => Promise<T>): Promise<T> {
  return scopes.run({ kind: 'audited', subject }, work);
}

/** Runs `work` as the system's own write (e.g. applying an outbox event audited when it was written). */
export function inSystemWrite<T>(reason: string, work: () => Promise<T>): Promise<T> {
  return scopes.run({ kind: 'system', reason }, work);
}

function requireWriteScope(where: string): void {
  if (!scopes.getStore()) throw new UnauditedPatientWrite(where);
}

const WRITES: ReadonlySet<string> = new Set([
  'create',
  'createMany',
  'createManyAndReturn',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'upsert',
  'delete',
  'deleteMany',
]);

/**
 * The client repositories get: a write to one of `models` (the modules' declared patient stores)
 * needs an audited write. A write nested in another model's write is seen only when that model is
 * guarded too (a patient's user created with their care relationship: User is). Raw SQL is the
 * repositories' own business.
 */
export function guardPatientWrites(prisma: PrismaClient, models: ReadonlySet<string>): PrismaClient {
  return prisma.$extends(
    Prisma.defineExtension({
      name: 'patient-write-guard',
      query: {
        $allModels: {
          $allOperations({ model, operation, args, query }) {
            if (WRITES.has(operation) && models.has(model)) requireWriteScope(`${model}.${operation}`);
            return query(args);
          },
        },
      },
    }),
  ) as unknown as PrismaClient;
}

const COLLECTION_WRITES: ReadonlySet<string | symbol> = new Set([
  'insertOne',
  'insertMany',
  'updateOne',
  'updateMany',
  'replaceOne',
  'deleteOne',
  'deleteMany',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
  'bulkWrite',
]);

/** The database repositories get: a write to one of `collections` needs an audited write. */
export function guardPatientCollections(db: Db, collections: ReadonlySet<string>): Db {
  return new Proxy(db, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== 'collection' || typeof value !== 'function') return value;
      return <T extends Document>(name: string, ...rest: unknown[]): Collection<T> => {
        const collection = (value as (name: string, ...rest: unknown[]) => Collection<T>).call(target, name, ...rest);
        if (!collections.has(name)) return collection;
        return new Proxy(collection, {
          get(inner, key, innerReceiver) {
            const member: unknown = Reflect.get(inner, key, innerReceiver);
            if (!COLLECTION_WRITES.has(key) || typeof member !== 'function') return member;
            return (...args: unknown[]) => {
              requireWriteScope(`${name}.${String(key)}`);
              return (member as (...args: unknown[]) => unknown).apply(inner, args);
            };
          },
        });
      };
    },
  });
}
