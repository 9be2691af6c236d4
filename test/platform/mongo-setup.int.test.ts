// Collection setup is idempotent and follows configuration changes, such as the audit retention.
import { afterAll, describe, expect, it } from 'vitest';
import { collectionSpecsFor } from '../../src/modules/collections.js';
import { AUDIT_LOGS } from '../../src/modules/audit/index.js';
import { applyCollectionSpecs } from '../../src/platform/mongo.js';
import { connectTestMongo, type ConnectedTestMongo } from '../harness/mongo.js';

let mongo: ConnectedTestMongo | undefined;
afterAll(() => mongo?.close());

describe('MongoDB collection setup', () => {
  it('applies twice without change, and moves the audit TTL when the retention changes', async () => {
    mongo = await connectTestMongo();
    const ttl = async () =>
      (await mongo!.db.collection(AUDIT_LOGS).listIndexes().toArray()).find((index) => index.expireAfterSeconds !== undefined)
        ?.expireAfterSeconds;
    await applyCollectionSpecs(mongo.db, collectionSpecsFor({ auditRetentionSeconds: 86_400 }));
    await applyCollectionSpecs(mongo.db, collectionSpecsFor({ auditRetentionSeconds: 86_400 }));
    expect(await ttl()).toBe(86_400);
    await applyCollectionSpecs(mongo.db, collectionSpecsFor({ auditRetentionSeconds: 7 * 86_400 }));
    expect(await ttl()).toBe(7 * 86_400);
  });
});
