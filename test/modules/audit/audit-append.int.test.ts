// Appending: entries are numbered and chained per stream, carry no values, cost the same three
// commands for one stream or a hundred, stay linear when two clients race on one stream, and are
// never lost silently: transient failures are retried without duplicates, the rest surface as
// AuditWriteError.
import { describe, expect, inject, it } from 'vitest';
import { MongoClient, MongoServerError, type CommandStartedEvent } from 'mongodb';
import { AuditLog, AuditWriteError, GENESIS_HASH, InvalidAuditEvent, type AuditEvent } from '../../../src/modules/audit/index.js';
import { collectionSpecs } from '../../../src/modules/collections.js';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
import { FaultyRepository, auditDb, headsAndTails, logsOf, newPatientId, readEvent } from './helpers.js';

const mongo = useTestMongo();
const fastRetry = { baseDelayMs: 1, maxDelayMs: 5 };

describe(`audit append [${mongoLabel()}]`, () => {
  it('is declared in the collections every setup applies', () => {
    expect(collectionSpecs.map((spec) => spec.name)).toContain('audit_logs');
  });

  it('numbers a stream from 1, links each entry to the previous hash, and returns receipts in input order', async () => {
    const db = await auditDb(mongo);
    const audit = new AuditLog(db);
    const patient = newPatientId();
    const first = await audit.append([readEvent(patient), readEvent(patient, { resource: 'Allergy', fields: ['substance'] })]);
    const second = await audit.append([readEvent(patient, { action: 'update', resource: 'Allergy', fields: ['severity'] })]);
    expect([...first, ...second].map((receipt) => receipt.seq)).toEqual([1, 2, 3]);
    const stored = await logsOf(db).find({ stream: patient }).sort({ seq: 1 }).toArray();
    expect(stored.map((entry) => entry._id)).toEqual([...first, ...second].map((receipt) => receipt.id));
    expect(stored[0].prevHash).toBe(GENESIS_HASH);
    expect(stored[1].prevHash).toBe(stored[0].hash);
    expect(stored[2].prevHash).toBe(stored[1].hash);
    expect(stored[2].prevAt).toEqual(stored[1].at);
    expect(stored[2].hash).toBe(second[0].hash);
  });

  it('stores exactly the documented fields: names and ids, no values', async () => {
    const db = await auditDb(mongo);
    const patient = newPatientId();
    const at = new Date('2026-03-01T08:00:00.123Z');
    await new AuditLog(db).append([
      readEvent(patient, { at, onBehalfOf: 'caregiver-1', purpose: 'emergency', fields: ['substance', 'reaction'] }),
    ]);
    const entry = await logsOf(db).findOne({ stream: patient });
    expect(Object.keys(entry!).sort()).toEqual([
      '_id',
      'action',
      'actor',
      'at',
      'fields',
      'hash',
      'ip',
      'onBehalfOf',
      'patientId',
      'prevAt',
      'prevHash',
      'purpose',
      'requestId',
      'resource',
      'result',
      'seq',
      'stream',
      'userAgent',
      'v',
    ]);
    expect(entry).toMatchObject({
      actor: { userId: 'doctor-1', role: 'doctor' },
      onBehalfOf: 'caregiver-1',
      patientId: patient,
      resource: 'MedicalHistory',
      fields: ['reaction', 'substance'],
      action: 'read',
      purpose: 'emergency',
      requestId: 'req-1',
      ip: '10.1.2.3',
      userAgent: 'vitest',
      result: 'success',
      at,
      prevAt: null,
      seq: 1,
    });
  });

  it('puts events without a patient in the global stream, or the named one', async () => {
    const db = await auditDb(mongo);
    const audit = new AuditLog(db);
    await audit.append([
      { actor: null, patientId: null, resource: 'Session', action: 'login_failed', result: 'failure' },
      {
        actor: { userId: 'u1', role: 'admin' },
        patientId: null,
        stream: 'system:clinics',
        resource: 'Clinic',
        fields: ['name'],
        action: 'update',
        result: 'success',
      },
      { actor: { userId: 'u2', role: 'patient' }, patientId: null, resource: 'Session', action: 'login', result: 'success' },
    ]);
    expect(
      await logsOf(db)
        .find({}, { projection: { stream: 1, seq: 1, _id: 0 } })
        .sort({ stream: 1, seq: 1 })
        .toArray(),
    ).toEqual([
      { stream: 'system', seq: 1 },
      { stream: 'system', seq: 2 },
      { stream: 'system:clinics', seq: 1 },
    ]);
  });

  it('the validator refuses a document with any other field (a value cannot be smuggled in)', async () => {
    const db = await auditDb(mongo);
    const patient = newPatientId();
    await new AuditLog(db).append([readEvent(patient)]);
    const entry = (await logsOf(db).findOne({ stream: patient }))!;
    const attempt = logsOf(db).insertOne({ ...entry, _id: 'other', seq: 2, value: 'Penicillin' } as never);
    await expect(attempt).rejects.toMatchObject({ code: 121 });
    // The same document without the extra field passes: the field alone was refused.
    await expect(logsOf(db).insertOne({ ...entry, _id: 'plain', seq: 3 })).resolves.toMatchObject({ acknowledged: true });
  });

  it('the unique {stream, seq} index refuses a second entry at a taken seq', async () => {
    const db = await auditDb(mongo);
    const patient = newPatientId();
    await new AuditLog(db).append([readEvent(patient)]);
    const entry = (await logsOf(db).findOne({ stream: patient }))!;
    const error = await logsOf(db)
      .insertOne({ ...entry, _id: 'fork' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MongoServerError);
    expect((error as MongoServerError).code).toBe(11000);
  });

  it("writes a request's events in three commands however many streams: heads read, entries inserted, heads moved on", async () => {
    const db = await auditDb(mongo);
    const client = await MongoClient.connect(inject('mongoUri'), { monitorCommands: true });
    try {
      const commands: string[] = [];
      client.on('commandStarted', (event: CommandStartedEvent) => commands.push(event.commandName));
      const audit = new AuditLog(client.db(db.databaseName));
      const written = async (events: AuditEvent[]) => {
        commands.length = 0;
        await audit.append(events);
        await audit.settled();
        return [...commands];
      };
      const [a, b, c] = [newPatientId(), newPatientId(), newPatientId()];
      // A stream without a head has its tail read from the log, once: for all such streams together.
      expect(await written([readEvent(a)])).toEqual(['find', 'aggregate', 'insert', 'update']);
      expect(await written([readEvent(a)])).toEqual(['find', 'insert', 'update']);
      const many = Array.from({ length: 20 }, () => newPatientId());
      const mixed = [
        readEvent(a),
        readEvent(b),
        readEvent(a),
        readEvent(c),
        readEvent(a),
        readEvent(b),
        ...many.map((patient) => readEvent(patient)),
      ];
      expect(await written(mixed)).toEqual(['find', 'aggregate', 'insert', 'update']);
      expect(await logsOf(db).countDocuments({ stream: a })).toBe(5);
      const chainOfA = await logsOf(db).find({ stream: a }).sort({ seq: 1 }).toArray();
      expect(chainOfA.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5]);
      // A page of 100 appointments with their patients: 100 read audits over 97 patients, every
      // one of whom has a head by now.
      const patients = [a, b, c, ...many, ...Array.from({ length: 74 }, () => newPatientId())];
      await audit.append(patients.slice(23).map((patient) => readEvent(patient)));
      await audit.settled();
      const page = [...patients, a, b, c].map((patient) => readEvent(patient, { resource: 'Patient', fields: ['firstName', 'lastName'] }));
      expect(page).toHaveLength(100);
      expect(await written(page)).toEqual(['find', 'insert', 'update']);
      for (const stream of [a, b, c, ...patients]) expect((await audit.verify(stream)).ok).toBe(true);
      const { heads, tails } = await headsAndTails(db);
      expect(heads).toEqual(tails);
      expect(heads).toHaveLength(new Set([a, b, c, ...patients]).size);
    } finally {
      await client.close();
    }
  });

  it('when the heads cannot be read, tries the round again', async () => {
    const db = await auditDb(mongo);
    const repository = new FaultyRepository(db);
    repository.headFaults = 1;
    const [a, b] = [newPatientId(), newPatientId()];
    const receipts = await new AuditLog(db, { repository, retry: fastRetry }).append([readEvent(a), readEvent(b)]);
    expect(receipts.map((receipt) => receipt.seq)).toEqual([1, 1]);
    expect(repository.headReads).toBe(2); // failed, then read
    expect(repository.inserts).toBe(1);
  });

  it('after a write for several streams whose reply was lost, records nothing twice', async () => {
    const db = await auditDb(mongo);
    const repository = new FaultyRepository(db);
    repository.insertFaults = ['lost'];
    const audit = new AuditLog(db, { repository, retry: fastRetry });
    const [a, b] = [newPatientId(), newPatientId()];
    const receipts = await audit.append([readEvent(a), readEvent(b), readEvent(a)]);
    expect(receipts.map((receipt) => [receipt.stream, receipt.seq])).toEqual([
      [a, 1],
      [b, 1],
      [a, 2],
    ]);
    expect(repository.inserts).toBe(1); // the id check found everything stored
    expect(await logsOf(db).countDocuments({})).toBe(3);
    expect((await audit.verifyAll()).ok).toBe(true);
  });

  it.each([
    ['in parallel (each process groups its own)', 'parallel'],
    ['one after another (every append races the other client)', 'sequential'],
  ] as const)('two clients appending 50 entries each to one stream %s leave one linear, verifiable chain', async (_, mode) => {
    const db = await auditDb(mongo);
    const [clientA, clientB] = await Promise.all([mongo.newClient(), mongo.newClient()]);
    const dbs = [clientA.db(db.databaseName), clientB.db(db.databaseName)];
    const repositories = dbs.map((clientDb) => new FaultyRepository(clientDb));
    const patient = newPatientId();
    const appendAll = async (client: 0 | 1, who: string) => {
      const repository = repositories[client];
      const log = new AuditLog(dbs[client], { repository });
      const event = (i: number) => readEvent(patient, { actor: { userId: who, role: 'nurse' }, requestId: `${who}-${i}` });
      if (mode === 'parallel') return Promise.all(Array.from({ length: 50 }, (_, i) => log.append([event(i)])));
      const receipts = [];
      for (let i = 0; i < 50; i++) receipts.push(await log.append([event(i)]));
      return receipts;
    };
    const [receiptsA, receiptsB] = await Promise.all([appendAll(0, 'a'), appendAll(1, 'b')]);

    const seqs = [...receiptsA, ...receiptsB]
      .flat()
      .map((receipt) => receipt.seq)
      .sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const stored = await logsOf(db).find({ stream: patient }).sort({ seq: 1 }).toArray();
    expect(stored).toHaveLength(100);
    expect(new Set(stored.map((entry) => entry.requestId)).size).toBe(100);
    for (let i = 1; i < stored.length; i++) expect(stored[i].prevHash).toBe(stored[i - 1].hash);
    expect(await new AuditLog(db).verify(patient)).toEqual({ ok: true, checked: 100, startSeq: 1, headSeq: 100 });
    if (mode === 'sequential') expect(repositories[0].seqConflicts + repositories[1].seqConflicts).toBeGreaterThan(0); // the race did happen
  });

  it('two clients racing with multi-event, multi-stream batches keep every chain linear', async () => {
    const db = await auditDb(mongo);
    const [clientA, clientB] = await Promise.all([mongo.newClient(), mongo.newClient()]);
    const logs = [new AuditLog(clientA.db(db.databaseName)), new AuditLog(clientB.db(db.databaseName))];
    const patients = [newPatientId(), newPatientId()];
    await Promise.all(
      logs.flatMap((log, l) =>
        Array.from({ length: 20 }, (_, i) =>
          log.append([
            readEvent(patients[0], { requestId: `${l}-${i}-0` }),
            readEvent(patients[1], { requestId: `${l}-${i}-1` }),
            readEvent(patients[0], { requestId: `${l}-${i}-2` }),
          ]),
        ),
      ),
    );
    const verified = await new AuditLog(db).verifyAll();
    expect(verified).toEqual({ ok: true, streams: 2, checked: 120, failures: [] });
    // A request's events for one stream stay in order within it.
    const first = await logsOf(db)
      .find({ stream: patients[0], requestId: { $in: ['0-7-0', '0-7-2'] } })
      .sort({ seq: 1 })
      .toArray();
    expect(first.map((entry) => entry.requestId)).toEqual(['0-7-0', '0-7-2']);
  });

  it('retries transient failures, and a write whose reply was lost is not recorded twice', async () => {
    const db = await auditDb(mongo);
    const repository = new FaultyRepository(db);
    repository.insertFaults = ['down', 'lost'];
    repository.headFaults = 1;
    const audit = new AuditLog(db, { repository, retry: fastRetry });
    const patient = newPatientId();
    const receipts = await audit.append([readEvent(patient), readEvent(patient, { resource: 'Patient' })]);
    expect(receipts.map((receipt) => receipt.seq)).toEqual([1, 2]);
    expect(await logsOf(db).countDocuments({ stream: patient })).toBe(2);
    expect(repository.inserts).toBe(2); // refused while down, then written with the reply lost: the id check found both stored
    expect(repository.headReads).toBe(2); // failed, then read once for the whole round
    expect(repository.logReads).toBe(1); // a new stream: its tail looked for in the log once
    expect((await audit.verify(patient)).ok).toBe(true);
  });

  it('after a batch was cut short by a lost race, links the rest after what is stored', async () => {
    const db = await auditDb(mongo);
    const repository = new FaultyRepository(db);
    repository.insertFaults = ['partial'];
    const audit = new AuditLog(db, { repository, retry: fastRetry });
    const patient = newPatientId();
    const receipts = await audit.append(['a', 'b', 'c'].map((id) => readEvent(patient, { id })));
    expect(receipts.map((receipt) => [receipt.id, receipt.seq])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    expect(repository.inserts).toBe(2);
    expect(repository.logReads).toBe(2); // a new stream, then its tail again after the lost race
    expect(await audit.verify(patient)).toMatchObject({ ok: true, checked: 3 });
  });

  it('gives up after bounded retries with AuditWriteError carrying the unwritten events (ids kept)', async () => {
    const db = await auditDb(mongo);
    const repository = new FaultyRepository(db);
    const patient = newPatientId();
    const other = newPatientId();
    repository.faultyStream = patient;
    repository.insertFaults = Array(10).fill('down');
    const audit = new AuditLog(db, { repository, retry: { ...fastRetry, maxFailures: 3 } });
    // The failing stream comes first: it is sent to the back of the next attempt, so the other gets through.
    const error = await audit
      .append([readEvent(patient, { id: 'keep-me' }), readEvent(other, { id: 'fine' })])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuditWriteError);
    const failure = error as AuditWriteError;
    expect(failure.failure).toBe('unavailable');
    expect(failure.cause).toMatchObject({ name: 'MongoNetworkError' });
    expect(failure.unwritten.map((event) => event.id)).toEqual(['keep-me']);
    expect(failure.written.map((receipt) => receipt.id)).toEqual(['fine']);
    expect(repository.inserts).toBe(4); // 1 + 3 retries, the second of which stored the other stream's entry
    expect(await logsOf(db).distinct('_id')).toEqual(['fine']);
  });

  it('does not retry what MongoDB refuses for good', async () => {
    const db = await auditDb(mongo);
    const repository = new FaultyRepository(db);
    repository.insertFaults = ['refused'];
    const audit = new AuditLog(db, { repository, retry: fastRetry });
    const error = await audit.append([readEvent(newPatientId())]).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'AuditWriteError', failure: 'refused' });
    expect(repository.inserts).toBe(1);
  });

  it('reports contention when the race for the next seq is lost more often than allowed', async () => {
    const db = await auditDb(mongo);
    const patient = newPatientId();
    const rival = new AuditLog(db);
    await rival.append([readEvent(patient)]);
    // Heads and tails that are always one behind: every insert collides with the real next seq.
    class StaleTail extends FaultyRepository {
      override async headsOf() {
        return new Map();
      }

      override async logTailsOf() {
        return new Map();
      }
    }
    const repository = new StaleTail(db);
    const error = await new AuditLog(db, { repository, retry: { ...fastRetry, maxConflicts: 3 } })
      .append([readEvent(patient)])
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'AuditWriteError', failure: 'contention' });
    expect(repository.inserts).toBe(4);
    expect(await logsOf(db).countDocuments({ stream: patient })).toBe(1);
  });

  it('refuses a malformed event before writing anything from the batch', async () => {
    const db = await auditDb(mongo);
    const patient = newPatientId();
    const attempt = new AuditLog(db).append([readEvent(patient), readEvent(patient, { fields: ['allergies', 'Penicillin (severe)'] })]);
    await expect(attempt).rejects.toBeInstanceOf(InvalidAuditEvent);
    expect(await logsOf(db).countDocuments({})).toBe(0);
  });
});
