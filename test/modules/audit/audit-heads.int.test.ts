// The chain heads (`audit_heads`): one per stream, moved on after the entries are stored, never
// back. A process that dies between its insert and its head update leaves a head that lags, which
// the stream's next write repairs; a log written before heads existed goes on from its newest
// entries (never from seq 1); verification finds newest entries deleted behind a head; concurrent
// writers in one process share rounds, and writers in two processes leave every chain whole.
import { describe, expect, it } from 'vitest';
import { AuditLog, AuditRepository, type AuditEvent } from '../../../src/modules/audit/index.js';
import { linkEntries } from '../../../src/modules/audit/audit-chain.js';
import { prepareEvent } from '../../../src/modules/audit/audit-event.js';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
import { FaultyRepository, auditDb, headsAndTails, headsOf, logsOf, newPatientId, readEvent } from './helpers.js';

const mongo = useTestMongo();
const DAY = 24 * 3600;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY * 1000);

/** A chain as the audit log wrote it before heads existed: entries only. */
async function chainWithoutHead(db: Awaited<ReturnType<typeof auditDb>>, stream: string, ats: Date[]) {
  const entries = linkEntries(
    stream,
    null,
    ats.map((at, i) => prepareEvent(readEvent(stream, { requestId: `old-${i + 1}`, at }), at)),
  );
  await logsOf(db).insertMany(entries);
  return entries;
}

describe(`audit chain heads [${mongoLabel()}]`, () => {
  it('the validator refuses a head with any other field, and a head never moves back', async () => {
    const db = await auditDb(mongo);
    const stream = newPatientId();
    const repository = new AuditRepository(db);
    const at = new Date();
    await repository.advanceHeads([{ stream, seq: 5, hash: 'a'.repeat(64), at }]);
    await repository.advanceHeads([
      { stream, seq: 3, hash: 'b'.repeat(64), at },
      { stream, seq: 5, hash: 'c'.repeat(64), at },
    ]);
    expect(await headsOf(db).findOne({ _id: stream })).toEqual({ _id: stream, seq: 5, hash: 'a'.repeat(64), at });
    await repository.advanceHeads([{ stream, seq: 6, hash: 'd'.repeat(64), at }]);
    expect(await headsOf(db).findOne({ _id: stream })).toMatchObject({ seq: 6, hash: 'd'.repeat(64) });
    await expect(
      headsOf(db).insertOne({ _id: 'other', seq: 1, hash: 'e'.repeat(64), at, note: 'Penicillin' } as never),
    ).rejects.toMatchObject({ code: 121 });
  });

  it('a head whose update was lost (the process died after its insert) is repaired by the next write, and nothing is lost or doubled', async () => {
    const db = await auditDb(mongo);
    const [a, b, c] = [newPatientId(), newPatientId(), newPatientId()];
    const first = new AuditLog(db);
    await first.append([readEvent(a), readEvent(b), readEvent(c)]);
    await first.settled();
    // The crash window: entries stored for a and b, their heads never moved.
    const dying = new FaultyRepository(db);
    dying.lostHeadUpdates = 1;
    const crashed = new AuditLog(db, { repository: dying });
    expect((await crashed.append([readEvent(a), readEvent(a), readEvent(b)])).map((receipt) => receipt.seq)).toEqual([2, 3, 2]);
    await crashed.settled();
    expect(await headsOf(db).findOne({ _id: a })).toMatchObject({ seq: 1 });
    for (const stream of [a, b, c]) expect((await first.verify(stream)).ok).toBe(true); // a lagging head is no break

    // Another process writes to all three: a and b collide with the stored seqs, are read again from the log.
    const next = new FaultyRepository(db);
    const receipts = await new AuditLog(db, { repository: next }).append([readEvent(c), readEvent(a), readEvent(b)]);
    expect(receipts.map((receipt) => [receipt.stream, receipt.seq])).toEqual([
      [c, 2],
      [a, 4],
      [b, 3],
    ]);
    expect(next.seqConflicts).toBeGreaterThan(0);
    await new AuditLog(db).settled();
    expect(await first.verifyAll()).toEqual({ ok: true, streams: 3, checked: 9, failures: [] });
    const { heads, tails } = await headsAndTails(db);
    expect(heads).toEqual(tails);
  });

  it('a write that lost its head update in a round of many streams leaves every chain verifiable', async () => {
    const db = await auditDb(mongo);
    const patients = Array.from({ length: 30 }, () => newPatientId());
    const dying = new FaultyRepository(db);
    dying.lostHeadUpdates = 2;
    const crashed = new AuditLog(db, { repository: dying });
    await crashed.append(patients.map((patient) => readEvent(patient)));
    await crashed.append(patients.slice(0, 15).map((patient) => readEvent(patient)));
    await crashed.settled();
    expect(await headsOf(db).countDocuments({})).toBe(0);
    const survivor = new AuditLog(db);
    await survivor.append(patients.map((patient) => readEvent(patient, { requestId: 'after' })));
    await survivor.settled();
    const verified = await survivor.verifyAll();
    expect(verified).toEqual({ ok: true, streams: 30, checked: 75, failures: [] });
    expect(await logsOf(db).countDocuments({ requestId: 'after' })).toBe(30);
    const { heads, tails } = await headsAndTails(db);
    expect(heads).toEqual(tails);
  });

  it('goes on from the newest entry of a chain written before heads existed, even when its oldest entries expired', async () => {
    const db = await auditDb(mongo);
    const [recent, aged] = [newPatientId(), newPatientId()];
    await chainWithoutHead(db, recent, [daysAgo(3), daysAgo(2), daysAgo(1)]);
    await chainWithoutHead(db, aged, [daysAgo(90), daysAgo(80), daysAgo(2)]);
    await logsOf(db).deleteMany({ stream: aged, seq: { $in: [1, 2] } }); // what the TTL monitor does at 30 days
    const audit = new AuditLog(db, { retentionSeconds: 30 * DAY });
    const receipts = await audit.append([readEvent(recent), readEvent(aged), readEvent(newPatientId())]);
    expect(receipts.map((receipt) => receipt.seq)).toEqual([4, 4, 1]);
    await audit.settled();
    expect(await audit.verify(recent)).toEqual({ ok: true, checked: 4, startSeq: 1, headSeq: 4 });
    expect(await audit.verify(aged)).toEqual({ ok: true, checked: 2, startSeq: 3, headSeq: 4 });
    expect(await headsOf(db).findOne({ _id: aged })).toMatchObject({ seq: 4, hash: receipts[1].hash });
  });

  it("rebuildHeads sets every stream's head from its newest entry, without moving a newer head back", async () => {
    const db = await auditDb(mongo);
    const streams = Array.from({ length: 7 }, () => newPatientId());
    for (const [i, stream] of streams.entries())
      await chainWithoutHead(
        db,
        stream,
        Array.from({ length: i + 1 }, (_, k) => daysAgo(10 - k)),
      );
    const audit = new AuditLog(db);
    expect(await audit.rebuildHeads(3)).toBe(7);
    let { heads, tails } = await headsAndTails(db);
    expect(heads).toHaveLength(7);
    expect(heads).toEqual(tails);
    await audit.append([readEvent(streams[0])]);
    await audit.settled();
    await logsOf(db).deleteOne({ stream: streams[0], seq: 2 }); // the newest entry deleted behind its head
    expect(await audit.rebuildHeads()).toBe(7);
    expect(await headsOf(db).findOne({ _id: streams[0] })).toMatchObject({ seq: 2 });
    ({ heads, tails } = await headsAndTails(db));
    const others = (list: unknown[]) => list.filter((head) => (head as { _id: string })._id !== streams[0]);
    expect(others(heads)).toHaveLength(6);
    expect(others(heads)).toEqual(others(tails));
  });

  it("verification finds the newest entries deleted behind the stream's head, unless they had expired", async () => {
    const db = await auditDb(mongo);
    const audit = new AuditLog(db, { retentionSeconds: 30 * DAY });
    const patient = newPatientId();
    for (let i = 0; i < 5; i++) await audit.append([readEvent(patient, { requestId: `r${i}` })]);
    await audit.settled();
    await logsOf(db).deleteMany({ stream: patient, seq: { $in: [4, 5] } });
    expect(await audit.verify(patient)).toMatchObject({
      ok: false,
      checked: 3,
      brokenAt: 4,
      reason: expect.stringMatching(/newest entries are missing/),
      headSeq: 3,
    });
    await logsOf(db).deleteMany({ stream: patient });
    expect(await audit.verify(patient)).toMatchObject({ ok: false, checked: 0, brokenAt: 1 });

    const expired = newPatientId();
    await audit.append([50, 40].map((age) => readEvent(expired, { at: daysAgo(age) })));
    await audit.settled();
    await logsOf(db).deleteMany({ stream: expired }); // the TTL monitor's work, at 30 days
    expect(await audit.verify(expired)).toEqual({ ok: true, checked: 0 });
  });

  it('twenty concurrent appends to one stream in one process are written in two rounds', async () => {
    const db = await auditDb(mongo);
    const repository = new FaultyRepository(db);
    const audit = new AuditLog(db, { repository });
    const patient = newPatientId();
    const receipts = await Promise.all(Array.from({ length: 20 }, (_, i) => audit.append([readEvent(patient, { requestId: `r${i}` })])));
    expect(
      receipts
        .flat()
        .map((receipt) => receipt.seq)
        .sort((x, y) => x - y),
    ).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(repository.inserts).toBe(2); // the first alone, the other nineteen together
    expect(repository.seqConflicts).toBe(0);
    expect(await audit.verify(patient)).toEqual({ ok: true, checked: 20, startSeq: 1, headSeq: 20 });
  });

  it('two processes writing pages over the same patients, one losing head updates, leave every chain whole and exact', async () => {
    const db = await auditDb(mongo);
    const [clientA, clientB] = await Promise.all([mongo.newClient(), mongo.newClient()]);
    const repositories = [new FaultyRepository(clientA.db(db.databaseName)), new FaultyRepository(clientB.db(db.databaseName))];
    repositories[1].lostHeadUpdates = 3;
    const logs = repositories.map(
      (repository, i) => new AuditLog(i === 0 ? clientA.db(db.databaseName) : clientB.db(db.databaseName), { repository }),
    );
    const patients = Array.from({ length: 40 }, () => newPatientId());
    // Each page: 25 of the 40 patients, so that pages overlap without being the same.
    const page = (l: number, p: number): AuditEvent[] =>
      Array.from({ length: 25 }, (_, i) => readEvent(patients[(p * 7 + i) % 40], { requestId: `${l}-${p}` }));
    await Promise.all(logs.flatMap((log, l) => Array.from({ length: 8 }, (_, p) => log.append(page(l, p)))));
    await Promise.all(logs.map((log) => log.settled()));
    expect(await logs[0].verifyAll()).toEqual({ ok: true, streams: 40, checked: 400, failures: [] });
    for (let l = 0; l < 2; l++) for (let p = 0; p < 8; p++) expect(await logsOf(db).countDocuments({ requestId: `${l}-${p}` })).toBe(25);
    expect(repositories[0].seqConflicts + repositories[1].seqConflicts).toBeGreaterThan(0); // they did race
    await logs[0].append(patients.map((patient) => readEvent(patient))); // repairs whatever lags
    await logs[0].settled();
    const { heads, tails } = await headsAndTails(db);
    expect(heads).toEqual(tails);
  });
});
