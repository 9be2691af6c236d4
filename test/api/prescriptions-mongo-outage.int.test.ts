// MongoDB frozen while a doctor signs (SIGSTOP, a stand-in of this file's own): the safety checks
// cannot read the patient's record, so signing is refused with SAFETY_CHECKS_UNAVAILABLE, within
// about the configured timeout, and the prescription stays an unsigned draft. Never a silent pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestApi } from '../harness/api.js';
import { startOwnMongo, type OwnMongo } from '../harness/own-mongo.js';
import { createClinic, createDoctor, createPatient, itemInput, recordFacts } from '../factories.js';

let mongo: OwnMongo | undefined;
beforeAll(async () => {
  mongo = await startOwnMongo();
}, 30_000);
afterAll(async () => {
  await mongo?.stop();
});

const api = useTestApi({ mongoUri: () => mongo!.uri, manualJobs: true, mongoTimeoutMs: 1500 });

describe('signing with MongoDB frozen', () => {
  it('refuses to sign, saying the checks could not run, and signs once MongoDB is back', async () => {
    const prisma = api.database.prisma;
    const clinic = await createClinic(prisma);
    const doctor = await createDoctor(prisma, { clinicIds: [clinic.id] });
    const patient = await createPatient(prisma, { clinicId: clinic.id, clinicianIds: [doctor.userId] });
    await recordFacts(api.mongo.db, patient.userId, { allergies: ['Latex'] });
    const token = await api.token({ userId: doctor.userId, role: 'doctor', clinicIds: [clinic.id] });
    const created = await api.graphql<{ createPrescription: { id: string } }>(
      'mutation($input: NewPrescriptionInput!) { createPrescription(input: $input) { id } }',
      { input: { patientId: patient.globalId, diagnoses: ['R51'], items: [await itemInput(prisma, 'paracetamol')] } },
      token,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createPrescription.id;
    const SIGN = 'mutation($id: ID!) { signPrescription(id: $id) { status safetyFindings { id kind severity } } }';

    mongo!.freeze();
    let refused;
    const started = performance.now();
    try {
      refused = await api.graphql(SIGN, { id }, token);
    } finally {
      mongo!.thaw();
    }
    expect(performance.now() - started).toBeLessThan(8_000);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'SAFETY_CHECKS_UNAVAILABLE', reason: 'record' });
    expect(refused.errors?.[0].message).toMatch(/could not run/);
    expect(refused.data).toBeNull();
    const row = await prisma.prescription.findFirstOrThrow({ where: { patientId: patient.userId } });
    expect([row.status, row.signature, row.signedAt]).toEqual(['draft', null, null]);

    // MongoDB back: the latex allergy is unknown to the knowledge base: a moderate finding to acknowledge.
    const blocked = await api.graphql<{ signPrescription: unknown }>(SIGN, { id }, token);
    const findings = blocked.errors?.[0].extensions?.findings as Array<{ id: string; severity: string }>;
    expect(findings).toEqual([expect.objectContaining({ kind: 'UNMATCHED_ALLERGY', severity: 'MODERATE' })]);
    await api.graphql('mutation($f: ID!) { acknowledgeSafetyFinding(findingId: $f) { id } }', { f: findings[0].id }, token);
    const signed = await api.graphql<{ signPrescription: { status: string } }>(SIGN, { id }, token);
    expect(signed.errors).toBeUndefined();
    expect(signed.data!.signPrescription.status).toBe('ACTIVE');
  });
});
