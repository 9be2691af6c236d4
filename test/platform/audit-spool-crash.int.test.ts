// Read audits survive kill -9 during a MongoDB outage: the compiled server serves patient reads
// while its MongoDB (a stand-in of this test's own) is frozen, is killed with SIGKILL, and a new
// server started after MongoDB is back drains the PostgreSQL spool: every request is in the audit
// log and the chain verifies.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { describe, expect, inject, it } from 'vitest';
import { AccessTokens } from '../../src/auth/tokens.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { AuditLog } from '../../src/modules/audit/index.js';
import { openDatabase } from '../../src/platform/postgres.js';
import { createClinic, createPatient, createStaff } from '../factories.js';
import { startOwnMongo } from '../harness/own-mongo.js';
import { createTestDatabase } from '../harness/postgres.js';

const servers = Boolean(inject('postgresTemplateUrl') && inject('redisUrl'));
const TOKEN_SECRET = randomBytes(24).toString('hex');
const CLIENT = 'crash-test';

/** Starts the compiled server; resolves with its /graphql URL once it listens. */
async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      TOKEN_SECRET,
      FIRST_PARTY_CLIENTS: CLIENT,
      APP_URL: 'https://app.example.org/',
      PRESCRIPTION_SIGNING_KEY: 'rx-test-1:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 30 s: ${output.slice(-500)}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /"url":"(http:\/\/[^"]+)".*"API listening"/.exec(output);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}): ${output.slice(-500)}`)));
  });
  child.removeAllListeners('exit');
  return { child, url };
}

describe('read audits across kill -9 during a MongoDB outage', () => {
  it.skipIf(!servers)(
    'loses none and the chain still verifies',
    async () => {
      const mongo = await startOwnMongo();
      const database = await createTestDatabase();
      if (database.target.kind !== 'server') throw new Error('expected a PostgreSQL server');
      const db = openDatabase(database.target, { poolSize: 2 });
      const mongoDb = `crash_${randomBytes(4).toString('hex')}`;
      const env = { DATABASE_URL: database.target.url, MONGODB_URL: mongo.uri, MONGODB_DB: mongoDb, REDIS_URL: inject('redisUrl') };
      const children: ChildProcess[] = [];
      const client = new MongoClient(mongo.uri, { serverSelectionTimeoutMS: 5000 });
      try {
        const first = await startServer(env);
        children.push(first.child);
        const clinic = await createClinic(db.prisma);
        const doctor = await createStaff(db.prisma, 'doctor', clinic.id);
        const patient = await createPatient(db.prisma, { firstName: 'Spooled', clinicId: clinic.id, clinicianIds: [doctor.userId] });
        const session = await db.prisma.session.create({ data: { userId: doctor.userId, expiresAt: new Date(Date.now() + 3_600_000) } });
        const { token } = await new AccessTokens({ secret: TOKEN_SECRET, issuer: 'clinic-graph', ttlSeconds: 900 }).issue({
          userId: doctor.userId,
          sessionId: session.id,
        });
        const read = (url: string, requestId: string) =>
          fetch(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${token}`,
              'apollographql-client-name': CLIENT,
              'x-request-id': requestId,
            },
            body: JSON.stringify({
              query: 'query($id: ID!) { patient(id: $id) { firstName } }',
              variables: { id: toGlobalId('Patient', patient.userId) },
            }),
          }).then(async (response) => ({ status: response.status, body: (await response.json()) as { data?: unknown } }));
        expect((await read(first.url, 'before-outage-0001')).body.data).toEqual({ patient: { firstName: 'Spooled' } });

        const outage = Array.from({ length: 12 }, (_, i) => `outage-request-${String(i).padStart(4, '0')}`);
        mongo.freeze();
        try {
          for (const requestId of outage)
            expect((await read(first.url, requestId)).body.data).toEqual({ patient: { firstName: 'Spooled' } });
          expect(await db.prisma.auditSpoolEntry.count()).toBeGreaterThanOrEqual(outage.length);
          first.child.kill('SIGKILL');
          await new Promise((resolve) => first.child.once('exit', resolve));
        } finally {
          mongo.thaw();
        }

        const second = await startServer(env);
        children.push(second.child);
        const deadline = Date.now() + 30_000;
        while ((await db.prisma.auditSpoolEntry.count()) > 0 && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 250));
        expect(await db.prisma.auditSpoolEntry.count()).toBe(0);
        const logs = client.db(mongoDb).collection('audit_logs');
        const recorded = await logs.distinct('requestId', { stream: patient.userId, requestId: { $in: outage } });
        expect(recorded.sort()).toEqual(outage);
        expect(await new AuditLog(client.db(mongoDb)).verify(patient.userId)).toMatchObject({ ok: true });
      } finally {
        for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await client.close().catch(() => {});
        await db.close();
        await database.drop();
        await mongo.stop();
      }
    },
    120_000,
  );
});
