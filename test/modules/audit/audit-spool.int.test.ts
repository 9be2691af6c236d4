// The spool for read audits: events that cannot be written now wait (bounded, in memory), are
// re-attempted on the next call or by the timer without duplicates, and anything dropped is
// reported loudly, with ids and counts only.
import { describe, expect, it } from 'vitest';
import { AuditLog, MemoryAuditSpool, type AuditEvent } from '../../../src/modules/audit/index.js';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
import { FaultyRepository, auditDb, logsOf, newPatientId, readEvent } from './helpers.js';

const mongo = useTestMongo();
const fastRetry = { baseDelayMs: 1, maxDelayMs: 2, maxFailures: 1 };

function recorder() {
  const alerts: Array<{ message: string; details: Record<string, unknown> }> = [];
  return { alerts, alert: (message: string, details: Record<string, unknown>) => alerts.push({ message, details }) };
}

describe('MemoryAuditSpool', () => {
  it('keeps events up to its capacity, dropping the oldest and alerting with ids and counts only', () => {
    const { alerts, alert } = recorder();
    const spool = new MemoryAuditSpool({ capacity: 3, alert });
    const event = (id: string): AuditEvent => readEvent('p1', { id, requestId: `req-${id}` });
    spool.hold([event('a'), event('b')]);
    expect(alerts).toHaveLength(0);
    spool.hold([event('c'), event('d'), event('e')]);
    expect(spool.size).toBe(3);
    expect(spool.dropped).toBe(2);
    expect(alerts).toEqual([{ message: expect.stringMatching(/DROPPED/), details: { dropped: 2, droppedTotal: 2, eventIds: ['a', 'b'], requestIds: ['req-a', 'req-b'] } }]);
    expect(spool.take().map((held) => held.id)).toEqual(['c', 'd', 'e']);
    expect(spool.size).toBe(0);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new MemoryAuditSpool({ capacity: 0, alert: () => {} })).toThrow(RangeError);
  });
});

describe(`appendOrSpool [${mongoLabel()}]`, () => {
  it('spools what cannot be written, alerts, and writes it with the next call, once', async () => {
    const db = await auditDb(mongo);
    const repository = new FaultyRepository(db);
    const { alerts, alert } = recorder();
    const audit = new AuditLog(db, { repository, alert, retry: fastRetry });
    const patient = newPatientId();

    // Stored, but the reply is lost and so is the check that would have found out.
    repository.insertFaults = ['lost'];
    repository.idCheckFaults = 1;
    const first = await audit.appendOrSpool([readEvent(patient, { requestId: 'r1' }), readEvent(patient, { requestId: 'r2' })]);
    expect(first).toEqual({ written: [], spooled: 2 });
    expect(audit.spool.size).toBe(2);
    expect(alerts).toEqual([{ message: expect.stringMatching(/spool/), details: { failure: 'unavailable', spooled: 2, spoolSize: 2, requestIds: ['r1', 'r2'] } }]);

    const second = await audit.appendOrSpool([readEvent(patient, { requestId: 'r3' })]);
    expect(second.spooled).toBe(0);
    expect(second.written.map((receipt) => receipt.seq)).toEqual([1, 2, 3]);
    expect(audit.spool.size).toBe(0);
    const stored = await logsOf(db).find({ stream: patient }).sort({ seq: 1 }).toArray();
    expect(stored.map((entry) => entry.requestId)).toEqual(['r1', 'r2', 'r3']); // not written twice
    expect((await audit.verify(patient)).ok).toBe(true);
  });

  it('the timer flushes the spool in the background', async () => {
    const db = await auditDb(mongo);
    const repository = new FaultyRepository(db);
    const audit = new AuditLog(db, { repository, alert: () => {}, retry: fastRetry });
    const patient = newPatientId();
    repository.insertFaults = ['down', 'down'];
    expect((await audit.appendOrSpool([readEvent(patient)])).spooled).toBe(1);
    const stop = audit.startSpoolTimer(20);
    try {
      // A flush takes the events out of the spool before it writes them: wait for the write itself.
      const written = () => logsOf(db).countDocuments({ stream: patient });
      const deadline = Date.now() + 5000;
      while ((await written()) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(await written()).toBe(1);
      expect(audit.spool.size).toBe(0);
    } finally {
      stop();
    }
  });

  it('flushSpool runs one flush at a time and reports how many were written', async () => {
    const db = await auditDb(mongo);
    const audit = new AuditLog(db, { alert: () => {} });
    const patient = newPatientId();
    audit.spool.hold([readEvent(patient, { id: 'held-1' }), readEvent(patient, { id: 'held-2' })]);
    const [a, b] = [audit.flushSpool(), audit.flushSpool()];
    expect(a).toBe(b);
    expect(await a).toBe(2);
    expect(await audit.flushSpool()).toBe(0);
    expect(await logsOf(db).countDocuments({ stream: patient })).toBe(2);
  });

  it('still refuses a malformed event outright, keeping what the spool held', async () => {
    const db = await auditDb(mongo);
    const audit = new AuditLog(db, { alert: () => {} });
    audit.spool.hold([readEvent(newPatientId())]);
    await expect(audit.appendOrSpool([readEvent(newPatientId(), { action: 'peek' as never })])).rejects.toMatchObject({ name: 'InvalidAuditEvent' });
    expect(audit.spool.size).toBe(1);
    expect(await logsOf(db).countDocuments({})).toBe(0);
  });
});
