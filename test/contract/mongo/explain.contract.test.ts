// explain('executionStats'): an equality query on an indexed field is an index scan touching one document.
import { describe, it, expect, beforeAll } from 'vitest';
import type { Collection } from 'mongodb';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
import { planHasStage, type Doc } from './helpers.js';

const N = 1000;
const mongo = useTestMongo();
let indexed: Collection<Doc>;
let plain: Collection<Doc>;

beforeAll(async () => {
  indexed = mongo.db.collection<Doc>('users_indexed');
  plain = mongo.db.collection<Doc>('users_plain');
  const docs = () => Array.from({ length: N }, (_, i) => ({ email: `user${i}@x.test`, n: i }));
  await indexed.insertMany(docs());
  await plain.insertMany(docs());
  await indexed.createIndex({ email: 1 });
});

describe(`explain [${mongoLabel()}]`, () => {
  it(`find on an indexed field examines at most 1 of ${N} documents and uses an IXSCAN`, async () => {
    const plan = await indexed.find({ email: 'user500@x.test' }).explain('executionStats');
    expect(plan.executionStats.nReturned).toBe(1);
    expect(plan.executionStats.totalDocsExamined).toBeLessThanOrEqual(1);
    expect(planHasStage(plan.queryPlanner.winningPlan, 'IXSCAN')).toBe(true);
    expect(planHasStage(plan.queryPlanner.winningPlan, 'COLLSCAN')).toBe(false);
  });

  it(`find on an unindexed field scans all ${N} documents (COLLSCAN)`, async () => {
    const plan = await plain.find({ email: 'user500@x.test' }).explain('executionStats');
    expect(plan.executionStats.nReturned).toBe(1);
    expect(plan.executionStats.totalDocsExamined).toBe(N);
    expect(planHasStage(plan.queryPlanner.winningPlan, 'COLLSCAN')).toBe(true);
    expect(planHasStage(plan.queryPlanner.winningPlan, 'IXSCAN')).toBe(false);
  });

  it('explain names the namespace it planned for', async () => {
    const plan = await indexed.find({ email: 'user1@x.test' }).explain('queryPlanner');
    expect(plan.queryPlanner.namespace).toBe(`${mongo.db.databaseName}.users_indexed`);
    expect(planHasStage(plan.queryPlanner.winningPlan, 'IXSCAN')).toBe(true);
  });

  it('an indexed lookup for a missing value examines no documents', async () => {
    const plan = await indexed.find({ email: 'nobody@x.test' }).explain('executionStats');
    expect(plan.executionStats.nReturned).toBe(0);
    expect(plan.executionStats.totalDocsExamined).toBe(0);
  });
});
