// The questions the API asks: a patient's trail (newest first, paged by an opaque cursor, within
// a time window) and who viewed the record (reads by anyone but the patient).
import { describe, expect, it } from 'vitest';
import { AuditLog, type AuditEvent } from '../../../src/modules/audit/index.js';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
import { auditDb, newPatientId, readEvent } from './helpers.js';

const mongo = useTestMongo();
const at = (minute: number) => new Date(Date.UTC(2026, 0, 10, 9, minute));

describe(`audit trail [${mongoLabel()}]`, () => {
  async function trailFixture() {
    const db = await auditDb(mongo);
    const audit = new AuditLog(db);
    const patient = newPatientId();
    const other = newPatientId();
    await audit.append(Array.from({ length: 7 }, (_, i) => readEvent(patient, { requestId: `p${i + 1}`, at: at(i) })));
    await audit.append([readEvent(other, { requestId: 'other' })]);
    return { audit, patient };
  }

  it('pages newest first with opaque cursors until the end', async () => {
    const { audit, patient } = await trailFixture();
    const one = await audit.trail(patient, { first: 3 });
    expect(one.edges.map((edge) => edge.node.requestId)).toEqual(['p7', 'p6', 'p5']);
    expect(one.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(one.pageInfo.endCursor).not.toMatch(/^\d+$/);
    const two = await audit.trail(patient, { first: 3, after: one.pageInfo.endCursor });
    expect(two.edges.map((edge) => edge.node.seq)).toEqual([4, 3, 2]);
    const three = await audit.trail(patient, { first: 3, after: two.pageInfo.endCursor });
    expect(three.edges.map((edge) => edge.node.seq)).toEqual([1]);
    expect(three.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(three.edges[0].node).toMatchObject({
      patientId: patient,
      actor: { userId: 'doctor-1', role: 'doctor' },
      fields: ['allergies', 'bloodType'],
      at: at(0),
    });
  });

  it('keeps to [from, to)', async () => {
    const { audit, patient } = await trailFixture();
    const page = await audit.trail(patient, { first: 10, from: at(2), to: at(5) });
    expect(page.edges.map((edge) => edge.node.requestId)).toEqual(['p5', 'p4', 'p3']);
    expect(page.pageInfo.hasNextPage).toBe(false);
  });

  // `first` outside 1..100 is refused by the schema (PageArgs): see test/api/audit.int.test.ts.
  it("refuses a cursor that is not one of the trail's with BAD_USER_INPUT at after", async () => {
    const { audit, patient } = await trailFixture();
    await expect(audit.trail(patient, { first: 5, after: 'not-a-cursor' })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fields: [{ path: ['after'] }] },
    });
  });

  it('does not take a viewers cursor for the trail', async () => {
    const { audit, patient } = await trailFixture();
    const viewers = await audit.viewers(patient, { first: 1 });
    await expect(audit.trail(patient, { first: 1, after: viewers.pageInfo.endCursor })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});

describe(`who viewed my record [${mongoLabel()}]`, () => {
  it('lists successful reads and emergency accesses by others, newest first, without the patient or writes', async () => {
    const db = await auditDb(mongo);
    const audit = new AuditLog(db);
    const patient = newPatientId();
    const events: AuditEvent[] = [
      readEvent(patient, { requestId: 'doctor-read', at: at(1), actor: { userId: 'doc-1', role: 'doctor' } }),
      readEvent(patient, { requestId: 'self-read', at: at(2), actor: { userId: patient, role: 'patient' } }),
      readEvent(patient, { requestId: 'write', at: at(3), action: 'update', fields: ['severity'] }),
      readEvent(patient, { requestId: 'denied', at: at(4), actor: { userId: 'rec-1', role: 'receptionist' }, result: 'denied' }),
      readEvent(patient, {
        requestId: 'break-glass',
        at: at(5),
        action: 'emergency_access',
        purpose: 'emergency',
        actor: { userId: 'nurse-9', role: 'nurse' },
      }),
      readEvent(patient, {
        requestId: 'emergency-read',
        at: at(6),
        purpose: 'emergency',
        actor: { userId: 'nurse-9', role: 'nurse' },
        resource: 'Allergy',
        fields: ['substance'],
      }),
      readEvent(patient, { requestId: 'anonymous', at: at(7), actor: null }),
      readEvent(patient, { requestId: 'for-patient', at: at(8), actor: { userId: 'carer-2', role: 'patient' }, onBehalfOf: patient }),
    ];
    await audit.append(events);
    await audit.append([readEvent(newPatientId(), { actor: { userId: 'doc-1', role: 'doctor' } })]);

    const page = await audit.viewers(patient, { first: 10 });
    expect(page.edges.map((edge) => edge.node)).toEqual([
      {
        id: expect.any(String),
        viewer: { userId: 'carer-2', role: 'patient' },
        onBehalfOf: patient,
        at: at(8),
        action: 'read',
        purpose: 'normal',
        resource: 'MedicalHistory',
        fields: ['allergies', 'bloodType'],
      },
      {
        id: expect.any(String),
        viewer: null,
        onBehalfOf: null,
        at: at(7),
        action: 'read',
        purpose: 'normal',
        resource: 'MedicalHistory',
        fields: ['allergies', 'bloodType'],
      },
      {
        id: expect.any(String),
        viewer: { userId: 'nurse-9', role: 'nurse' },
        onBehalfOf: null,
        at: at(6),
        action: 'read',
        purpose: 'emergency',
        resource: 'Allergy',
        fields: ['substance'],
      },
      {
        id: expect.any(String),
        viewer: { userId: 'nurse-9', role: 'nurse' },
        onBehalfOf: null,
        at: at(5),
        action: 'emergency_access',
        purpose: 'emergency',
        resource: 'MedicalHistory',
        fields: ['allergies', 'bloodType'],
      },
      {
        id: expect.any(String),
        viewer: { userId: 'doc-1', role: 'doctor' },
        onBehalfOf: null,
        at: at(1),
        action: 'read',
        purpose: 'normal',
        resource: 'MedicalHistory',
        fields: ['allergies', 'bloodType'],
      },
    ]);
    expect(Object.keys(page.edges[0].node)).not.toContain('ip');

    const first = await audit.viewers(patient, { first: 2 });
    const rest = await audit.viewers(patient, { first: 10, after: first.pageInfo.endCursor });
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect([...first.edges, ...rest.edges].map((edge) => edge.node.at)).toEqual([at(8), at(7), at(6), at(5), at(1)]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('is empty for a patient nobody viewed', async () => {
    const db = await auditDb(mongo);
    const page = await new AuditLog(db).viewers(newPatientId(), { first: 5 });
    expect(page).toMatchObject({ edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } });
    expect(await page.count()).toBe(0);
  });
});
