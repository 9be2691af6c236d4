// The durable spool for read audits: events MongoDB cannot take wait in PostgreSQL, fresh events
// queue behind them, drains write them in order without duplicates (also after a write whose
// outcome was unknown), one drainer at a time, and a malformed event is still refused outright.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, PostgresAuditSpool } from '../../../src/modules/audit/index.js';
import { openDatabase, type Database } from '../../../src/platform/postgres.js';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
import { createTestDatabase } from '../../harness/postgres.js';
import { FaultyRepository, auditDb, logsOf, newPatientId, readEvent } from './helpers.js';

const mongo = useTestMongo();
const fastRetry = { baseDelayMs: 1, maxDelayMs: 2, maxFailures: 1 };
let database: Database;
let dropDatabase: () => Promise<void>;

beforeAll(async () => {
  const created = await createTestDatabase();
  dropDatabase = created.drop;
  database = openDatabase(created.target, { poolSize: 4 });
});
afterAll(async () => {
  await database?.close();
  await dropDatabase?.();
});

function recorder() {
  const alerts: Array<{ message: string; details: Record<string, unknown> }> = [];
  return { alerts, alert: (message: string, details: Record<string, unknown>) => alerts.push({ message, details }) };
}

const spooled = () => database.prisma.auditSpoolEntry.count();

describe(`appendOrSpool with the PostgreSQL spool [${mongoLabel()}]`, () => {
  it('spools what cannot be written, alerts, and a drain writes it before later events, once', async () => {
    await database.prisma.auditSpoolEntry.deleteMany();
    const db = await auditDb(mongo);
    const repository = new FaultyRepository(db);
    const { alerts, alert } = recorder();
    const audit = new AuditLog(db, {
      repository,
      alert,
      retry: fastRetry,
      spool: new PostgresAuditSpool(database.prisma),
      retryAfterMs: 0,
    });
    const patient = newPatientId();

    // Stored, but the reply is lost and so is the check that would have found out.
    await audit.flushSpool(); // a new process first looks for what an earlier one left
    repository.insertFaults = ['lost'];
    repository.idCheckFaults = 1;
    const first = await audit.appendOrSpool([readEvent(patient, { requestId: 'r1' }), readEvent(patient, { requestId: 'r2' })]);
    expect(first).toEqual({ written: [], spooled: 2 });
    expect(await spooled()).toBe(2);
    expect(alerts).toEqual([
      { message: expect.stringMatching(/spool/), details: { failure: 'unavailable', spooled: 2, requestIds: ['r1', 'r2'] } },
    ]);

    expect(await audit.flushSpool()).toBe(2);
    const second = await audit.appendOrSpool([readEvent(patient, { requestId: 'r3' })]);
    expect(second).toEqual({ written: [expect.objectContaining({ seq: 3 })], spooled: 0 });
    expect(await spooled()).toBe(0);
    const stored = await logsOf(db).find({ stream: patient }).sort({ seq: 1 }).toArray();
    expect(stored.map((entry) => entry.requestId)).toEqual(['r1', 'r2', 'r3']); // in order, not written twice
    expect((await audit.verify(patient)).ok).toBe(true);
  });

  it('queues fresh events behind spooled ones while MongoDB is not tried, then the timer drains all in order', async () => {
    await database.prisma.auditSpoolEntry.deleteMany();
    const db = await auditDb(mongo);
    const repository = new FaultyRepository(db);
    const audit = new AuditLog(db, {
      repository,
      alert: () => {},
      retry: fastRetry,
      spool: new PostgresAuditSpool(database.prisma),
      retryAfterMs: 60_000,
    });
    const patient = newPatientId();
    await audit.flushSpool();
    repository.insertFaults = ['down', 'down'];
    expect((await audit.appendOrSpool([readEvent(patient, { requestId: 'a' })])).spooled).toBe(1);
    const inserts = repository.inserts;
    expect((await audit.appendOrSpool([readEvent(patient, { requestId: 'b' })])).spooled).toBe(1);
    expect(repository.inserts).toBe(inserts); // MongoDB was left alone
    expect(await spooled()).toBe(2);
    const stop = audit.startSpoolTimer(20);
    try {
      const deadline = Date.now() + 5000;
      while ((await spooled()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      const stored = await logsOf(db).find({ stream: patient }).sort({ seq: 1 }).toArray();
      expect(stored.map((entry) => entry.requestId)).toEqual(['a', 'b']);
    } finally {
      stop();
    }
  });

  it('lets one process drain at a time and reports how many were written', async () => {
    await database.prisma.auditSpoolEntry.deleteMany();
    const db = await auditDb(mongo);
    const spool = new PostgresAuditSpool(database.prisma);
    const patient = newPatientId();
    await spool.hold([readEvent(patient, { id: 'held-1' }), readEvent(patient, { id: 'held-2' })]);
    const [one, other] = [new AuditLog(db, { alert: () => {}, spool }), new AuditLog(db, { alert: () => {}, spool })];
    const [a, b] = [one.flushSpool(), one.flushSpool()];
    expect(a).toBe(b);
    const results = await Promise.all([a, other.flushSpool()]);
    expect(results.sort()).toEqual([0, 2]);
    expect(await one.flushSpool()).toBe(0);
    expect(await logsOf(db).countDocuments({ stream: patient })).toBe(2);
    expect((await one.verify(patient)).ok).toBe(true);
  });

  it('still refuses a malformed event outright, keeping what the spool held', async () => {
    await database.prisma.auditSpoolEntry.deleteMany();
    const db = await auditDb(mongo);
    const spool = new PostgresAuditSpool(database.prisma);
    await spool.hold([readEvent(newPatientId())]);
    const audit = new AuditLog(db, { alert: () => {}, spool });
    await expect(audit.appendOrSpool([readEvent(newPatientId(), { action: 'peek' as never })])).rejects.toMatchObject({
      name: 'InvalidAuditEvent',
    });
    expect(await spooled()).toBe(1);
    expect(await logsOf(db).countDocuments({})).toBe(0);
  });
});
