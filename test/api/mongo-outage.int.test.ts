// MongoDB frozen (SIGSTOP, a stand-in of this file's own): a request that needs it fails within
// about the configured 2 s with a masked error, answers from PostgreSQL alone are unaffected, and
// once MongoDB is back everything works again, with no audit of the outage lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASKED_MESSAGE } from '../../src/graphql/apollo.js';
import { AuditLog } from '../../src/modules/audit/index.js';
import { DEFAULT_MONGO_TIMEOUT_MS } from '../../src/platform/mongo.js';
import { useTestApi } from '../harness/api.js';
import { startOwnMongo, type OwnMongo } from '../harness/own-mongo.js';
import { createClinic, createPatient, createRecord, createStaff } from '../factories.js';

let mongo: OwnMongo | undefined;
beforeAll(async () => {
  mongo = await startOwnMongo();
}, 30_000);
afterAll(async () => {
  await mongo?.stop();
});

const api = useTestApi({ mongoUri: () => mongo!.uri, manualJobs: true });

const CHART = 'query($id: ID!) { patient(id: $id) { firstName medicalHistory { bloodType } } }';
const PROFILE = 'query($id: ID!) { patient(id: $id) { firstName } }';

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

const spooled = () => api.database.prisma.auditSpoolEntry.count();
const audited = (patientId: string) => api.mongo.db.collection('audit_logs').countDocuments({ stream: patientId });

describe('MongoDB frozen', () => {
  it('fails what needs it within about 2 s, serves what does not, and recovers with every audit', async () => {
    const timeout = DEFAULT_MONGO_TIMEOUT_MS;
    const clinic = await createClinic(api.database.prisma);
    const doctor = await createStaff(api.database.prisma, 'doctor', clinic.id);
    const token = await api.token(doctor);
    const patient = await createPatient(api.database.prisma, { firstName: 'Frozen', clinicId: clinic.id, clinicianIds: [doctor.userId] });
    await createRecord(api.mongo.db, patient.userId);
    expect((await api.graphql(CHART, { id: patient.globalId }, token)).data).toEqual({
      patient: { firstName: 'Frozen', medicalHistory: { bloodType: 'B_POSITIVE' } },
    });
    const before = await audited(patient.userId);

    mongo!.freeze();
    try {
      // The first request waits for the read and then for the audit write (which spools); later
      // ones only for the read, the audit going straight to the spool.
      const first = await timed(() => api.graphql(CHART, { id: patient.globalId }, token));
      expect(first.result.errors?.map((error) => [error.message, error.extensions?.code, typeof error.extensions?.requestId])).toEqual([
        [MASKED_MESSAGE, 'INTERNAL_SERVER_ERROR', 'string'],
      ]);
      expect(first.result.data).toEqual({ patient: { firstName: 'Frozen', medicalHistory: null } });
      expect(first.ms).toBeLessThan(2 * timeout + 1000);
      const second = await timed(() => api.graphql(CHART, { id: patient.globalId }, token));
      expect(second.result.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(second.ms).toBeLessThan(timeout + 1000);

      // PostgreSQL alone: the directory, and a patient's profile (its read audit spooled).
      const directory = await timed(() => api.graphql('{ clinics { name } }'));
      expect(directory.result.data?.clinics).toEqual(expect.arrayContaining([{ name: clinic.name }]));
      expect(directory.ms).toBeLessThan(1000);
      const profile = await timed(() => api.graphql(PROFILE, { id: patient.globalId }, token));
      expect(profile.result).toMatchObject({ data: { patient: { firstName: 'Frozen' } } });
      expect(profile.result.errors).toBeUndefined();
      expect(profile.ms).toBeLessThan(1000);
      expect(await spooled()).toBeGreaterThanOrEqual(3);
    } finally {
      mongo!.thaw();
    }

    // Back: the spool drains (the timer runs every 5 s) into chains that verify, losing nothing.
    const deadline = Date.now() + 20_000;
    while ((await spooled()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await spooled()).toBe(0);
    expect(await audited(patient.userId)).toBeGreaterThanOrEqual(before + 3);
    expect(await new AuditLog(api.mongo.db).verify(patient.userId)).toMatchObject({ ok: true });
    expect((await api.graphql(CHART, { id: patient.globalId }, token)).data).toEqual({
      patient: { firstName: 'Frozen', medicalHistory: { bloodType: 'B_POSITIVE' } },
    });
  }, 60_000);
});
