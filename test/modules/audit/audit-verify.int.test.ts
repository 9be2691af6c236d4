// Verification against the stored chain: a clean chain passes; an entry edited or deleted with the
// driver is found at its seq; expiry by the TTL index (old entries gone) is told apart from
// deletion (recent entries gone); verifyAll walks every stream.
import { describe, expect, it } from 'vitest';
import type { MatchKeysAndValues } from 'mongodb';
import { AuditLog, auditLogsSpec, hashEntry, type AuditEntry } from '../../../src/modules/audit/index.js';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
import { auditDb, logsOf, newPatientId, readEvent } from './helpers.js';

const mongo = useTestMongo();
const DAY = 24 * 3600;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY * 1000);

// Real MongoDB's TTL monitor wakes every 60 s; the stand-in's (as the harness starts it) far more often.
const TTL_WAIT_MS = mongoLabel().includes('mongo-standin') ? 10_000 : 75_000;

/**
 * A stream of `count` entries. `retentionSeconds` is what verification assumes; the TTL index
 * keeps its six-year default unless `ttl` is set, so tests that delete "expired" entries
 * themselves do not race the real TTL monitor.
 */
async function chainOf(count: number, options: { retentionSeconds?: number; ttl?: boolean; at?: (i: number) => Date } = {}) {
  const db = await auditDb(mongo, options.ttl ? options.retentionSeconds : undefined);
  const audit = new AuditLog(db, { retentionSeconds: options.retentionSeconds });
  const patient = newPatientId();
  for (let i = 0; i < count; i++) await audit.append([readEvent(patient, { requestId: `r${i + 1}`, at: options.at?.(i) })]);
  return { db, audit, patient };
}

describe(`audit verification [${mongoLabel()}]`, () => {
  it('a clean chain verifies, and an unknown stream is an empty, valid one', async () => {
    const { audit, patient } = await chainOf(5);
    expect(await audit.verify(patient)).toEqual({ ok: true, checked: 5, startSeq: 1, headSeq: 5 });
    expect(await audit.verify(newPatientId())).toEqual({ ok: true, checked: 0 });
  });

  it.each<[string, MatchKeysAndValues<AuditEntry>]>([
    ['the fields', { fields: ['allergies'] }],
    ['the actor', { 'actor.userId': 'someone-else' }],
    ['the purpose', { purpose: 'emergency' }],
    // Recent: a time older than the six-year retention would be removed by the TTL monitor instead.
    ['the time', { at: daysAgo(3) }],
    ['the result', { result: 'denied' }],
  ])('an entry whose %s was edited with the driver fails at its seq', async (_, change) => {
    const { db, audit, patient } = await chainOf(5);
    await logsOf(db).updateOne({ stream: patient, seq: 3 }, { $set: change });
    expect(await audit.verify(patient)).toMatchObject({
      ok: false,
      brokenAt: 3,
      checked: 3,
      reason: 'entry content does not match its hash',
    });
  });

  it('an edited entry given a recomputed hash still fails, at the next seq', async () => {
    const { db, audit, patient } = await chainOf(4);
    const entry = (await logsOf(db).findOne({ stream: patient, seq: 2 }))!;
    const forged = { ...entry, fields: ['nothing'] };
    const hash = hashEntry({ ...forged, id: forged._id });
    await logsOf(db).updateOne({ _id: entry._id }, { $set: { fields: forged.fields, hash } });
    expect(await audit.verify(patient)).toMatchObject({ ok: false, brokenAt: 3, reason: 'entry does not link to the previous entry hash' });
  });

  it('a deleted entry fails at its seq (a gap), whether in the middle or the first one', async () => {
    const { db, audit, patient } = await chainOf(5);
    await logsOf(db).deleteOne({ stream: patient, seq: 3 });
    expect(await audit.verify(patient)).toMatchObject({ ok: false, brokenAt: 3, reason: 'entries are missing' });

    const second = await chainOf(3);
    await logsOf(second.db).deleteOne({ stream: second.patient, seq: 1 });
    expect(await second.audit.verify(second.patient)).toMatchObject({
      ok: false,
      brokenAt: 1,
      reason: expect.stringMatching(/not due to expire/),
    });
  });

  it('an entry moved to another stream fails there', async () => {
    const { db, audit, patient } = await chainOf(2);
    const other = newPatientId();
    await audit.append([readEvent(other)]);
    await logsOf(db).updateOne({ stream: patient, seq: 2 }, { $set: { stream: other, seq: 2 } });
    expect(await audit.verify(other)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('entries gone because retention expired them leave a chain that verifies from the oldest remaining one', async () => {
    // 30-day retention; five entries 90..50 days old, then three recent ones.
    const ages = [90, 80, 70, 60, 50, 3, 2, 1];
    const { db, audit, patient } = await chainOf(ages.length, { retentionSeconds: 30 * DAY, at: (i) => daysAgo(ages[i]) });
    await logsOf(db).deleteMany({ stream: patient, at: { $lt: daysAgo(30) } }); // what the TTL monitor does
    expect(await audit.verify(patient)).toEqual({ ok: true, checked: 3, startSeq: 6, headSeq: 8 });
  });

  it('expiry out of seq order among expired entries is accepted; deleting a recent entry is not', async () => {
    const ages = [90, 80, 70, 2, 1];
    const { db, audit, patient } = await chainOf(ages.length, { retentionSeconds: 30 * DAY, at: (i) => daysAgo(ages[i]) });
    await logsOf(db).deleteOne({ stream: patient, seq: 2 });
    expect(await audit.verify(patient)).toMatchObject({ ok: true, checked: 4, startSeq: 1 });
    await logsOf(db).deleteMany({ stream: patient, seq: { $in: [1, 3, 4] } }); // 4 was 2 days old
    expect(await audit.verify(patient)).toMatchObject({ ok: false, brokenAt: 4, reason: expect.stringMatching(/not due to expire/) });
  });

  it('verifyAll checks every stream and names the broken ones', async () => {
    const db = await auditDb(mongo);
    const audit = new AuditLog(db);
    const patients = Array.from({ length: 12 }, () => newPatientId());
    await audit.append(patients.flatMap((patient) => [readEvent(patient), readEvent(patient), readEvent(patient)]));
    await audit.append([{ actor: null, patientId: null, resource: 'Session', action: 'login_failed', result: 'failure' }]);
    expect(await audit.verifyAll()).toEqual({ ok: true, streams: 13, checked: 37, failures: [] });

    await logsOf(db).updateOne({ stream: patients[4], seq: 2 }, { $set: { resource: 'Patient' } });
    await logsOf(db).deleteOne({ stream: patients[9], seq: 2 });
    const result = await audit.verifyAll();
    expect(result).toMatchObject({ ok: false, streams: 13 });
    expect(result.failures.sort((a, b) => a.stream.localeCompare(b.stream))).toEqual(
      [
        { stream: patients[4], brokenAt: 2, reason: 'entry content does not match its hash' },
        { stream: patients[9], brokenAt: 2, reason: 'entries are missing' },
      ].sort((a, b) => a.stream.localeCompare(b.stream)),
    );
    expect((await audit.verifyAll({ maxFailures: 1 })).failures).toHaveLength(1);
  });
});

describe(`audit retention [${mongoLabel()}]`, () => {
  it('the spec declares the indexes, with the TTL on `at` at six years by default or as configured', async () => {
    expect(auditLogsSpec().indexes.find((index) => index.name === 'at_ttl')).toMatchObject({
      key: { at: 1 },
      expireAfterSeconds: 6 * 365 * 24 * 3600,
    });
    expect(() => auditLogsSpec(0)).toThrow(RangeError);
    const db = await auditDb(mongo, 3600);
    const indexes = await logsOf(db).listIndexes().toArray();
    expect(indexes.find((index) => index.name === 'at_ttl')).toMatchObject({ key: { at: 1 }, expireAfterSeconds: 3600 });
    expect(indexes.find((index) => index.name === 'stream_seq')).toMatchObject({ key: { stream: 1, seq: 1 }, unique: true });
    expect(indexes.find((index) => index.name === 'patient_at')).toMatchObject({ key: { patientId: 1, at: -1 } });
    expect(indexes.find((index) => index.name === 'actor_at')).toMatchObject({ key: { 'actor.userId': 1, at: -1 } });
  });

  it('setRetention changes the TTL of an existing collection', async () => {
    const db = await auditDb(mongo);
    await new AuditLog(db).setRetention(7 * DAY);
    expect((await logsOf(db).listIndexes().toArray()).find((index) => index.name === 'at_ttl')?.expireAfterSeconds).toBe(7 * DAY);
  });

  it('the TTL monitor expires old entries and the chain still verifies', { timeout: TTL_WAIT_MS + 20_000 }, async () => {
    const db = await auditDb(mongo, DAY);
    const audit = new AuditLog(db, { retentionSeconds: DAY });
    const patient = newPatientId();
    // One batch, so the monitor cannot expire the first entries before the rest are linked to them.
    await audit.append([10, 9, 8, 0, 0].map((age, i) => readEvent(patient, { requestId: `r${i + 1}`, at: daysAgo(age) })));
    const deadline = Date.now() + TTL_WAIT_MS;
    while ((await logsOf(db).countDocuments({ stream: patient })) > 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await logsOf(db).countDocuments({ stream: patient })).toBe(2);
    expect(await audit.verify(patient)).toEqual({ ok: true, checked: 2, startSeq: 4, headSeq: 5 });
  });
});
