// Prescribing end to end over HTTP: the safety checks against the patient's record (allergy with
// cross-reactivity, interactions, pregnancy), overrides with a reason that the audit and the
// pharmacist see, who may prescribe, signatures that detect a change made in SQL, PostgreSQL's own
// refusal to change a signed prescription, gapless numbers under concurrency, expiry, bad input
// with nothing written, and the same statements for a page of 5 as for a page of 50.
import { describe, expect, it } from 'vitest';
import { AUDIT_LOGS } from '../../src/modules/audit/index.js';
import { useTestApi } from '../harness/api.js';
import {
  createAppointment,
  createAppointmentType,
  createClinic,
  createDoctor,
  createPatient,
  createStaff,
  itemInput,
  recordFacts,
} from '../factories.js';

const api = useTestApi({ manualJobs: true, uncached: true });

const FIELDS = `id number status diagnoses validUntil issuedOn
  items { position medicationName strength frequency quantity refillsAllowed dose { amount unit } medication { code } }
  safetyFindings { id kind severity itemPositions message fr: message(language: FR) resolution { kind reason by { name role } } }
  signature { algorithm keyId value }`;
const CREATE = `mutation($input: NewPrescriptionInput!) { createPrescription(input: $input) { ${FIELDS} } }`;
const CHECK = `mutation($id: ID!) { checkPrescription(id: $id) { ${FIELDS} } }`;
const SIGN = `mutation($id: ID!) { signPrescription(id: $id) { ${FIELDS} } }`;
const OVERRIDE = `mutation($f: ID!, $r: String!) { overrideSafetyFinding(findingId: $f, reason: $r) { id resolution { kind reason } } }`;
const ACKNOWLEDGE = `mutation($f: ID!) { acknowledgeSafetyFinding(findingId: $f) { id resolution { kind } } }`;
const READ = `query($id: ID!) { prescription(id: $id) { ${FIELDS} patient { firstName } } }`;
const VERIFY = `query($r: String!) { verifyPrescription(reference: $r) { valid outcome status dispensable number } }`;

interface Finding {
  id: string;
  kind: string;
  severity: string;
  itemPositions: number[];
  message: string;
  fr: string;
  resolution: { kind: string; reason: string | null; by: { name: string; role: string } } | null;
}
interface PrescriptionView {
  id: string;
  number: string;
  status: string;
  items: Array<{ medicationName: string; medication: { code: string } }>;
  safetyFindings: Finding[];
  signature: { algorithm: string; keyId: string; value: string } | null;
}

/** A clinic, a doctor who treats a patient there, and tokens. */
async function setting(patient: { gender?: 'female' | 'male'; dateOfBirth?: string } = {}) {
  const prisma = api.database.prisma;
  const clinic = await createClinic(prisma);
  const doctor = await createDoctor(prisma, { clinicIds: [clinic.id] });
  const person = await createPatient(prisma, { clinicId: clinic.id, clinicianIds: [doctor.userId], ...patient });
  return {
    prisma,
    clinic,
    doctor,
    patient: person,
    token: await api.token({ userId: doctor.userId, role: 'doctor', clinicIds: [clinic.id] }),
  };
}

async function draft(token: string, patientId: string, codes: string[], extra: Record<string, unknown> = {}) {
  const items = await Promise.all(codes.map((code) => itemInput(api.database.prisma, code)));
  const response = await api.graphql<{ createPrescription: PrescriptionView }>(
    CREATE,
    { input: { patientId, diagnoses: ['B50.9'], items, ...extra } },
    token,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.createPrescription;
}

describe('safety checks', () => {
  it('flags amoxicillin for a penicillin allergy, refuses to sign until overridden with a reason, and shows the override to the pharmacist and in the audit', async () => {
    const { prisma, clinic, patient, token } = await setting();
    await recordFacts(api.mongo.db, patient.userId, { allergies: ['Pénicilline'] });
    const created = await draft(token, patient.globalId, ['amoxicillin']);
    expect(created.status).toBe('DRAFT');
    expect(created.number).toMatch(/^RX-\d{4}-000001$/);

    const checked = (await api.graphql<{ checkPrescription: PrescriptionView }>(CHECK, { id: created.id }, token)).data!.checkPrescription;
    const allergy = checked.safetyFindings.find((finding) => finding.kind === 'ALLERGY')!;
    expect(allergy).toMatchObject({ severity: 'HIGH', itemPositions: [1], resolution: null });
    expect(allergy.message).toMatch(/amoxicillin/i);
    expect(allergy.fr).toMatch(/allergie/i);

    const refused = await api.graphql(SIGN, { id: created.id }, token);
    expect(refused.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      findings: [{ id: allergy.id, kind: 'ALLERGY', severity: 'HIGH' }],
    });
    expect((await prisma.prescription.findFirstOrThrow({ where: { number: created.number, clinicId: clinic.id } })).status).toBe('draft');

    const tooShort = await api.graphql(OVERRIDE, { f: allergy.id, r: 'ok' }, token);
    expect(tooShort.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['reason'] }] });
    const acknowledgedOnly = await api.graphql(ACKNOWLEDGE, { f: allergy.id }, token);
    expect(acknowledgedOnly.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const reason = 'Tolerated amoxicillin in 2024 under observation; benefits outweigh risk';
    expect((await api.graphql(OVERRIDE, { f: allergy.id, r: reason }, token)).data).toEqual({
      overrideSafetyFinding: { id: allergy.id, resolution: { kind: 'OVERRIDDEN', reason } },
    });
    for (const other of checked.safetyFindings.filter((finding) => finding.severity === 'MODERATE'))
      expect((await api.graphql(ACKNOWLEDGE, { f: other.id }, token)).errors).toBeUndefined();

    const signed = await api.graphql<{ signPrescription: PrescriptionView }>(SIGN, { id: created.id }, token);
    expect(signed.errors).toBeUndefined();
    expect(signed.data!.signPrescription).toMatchObject({ status: 'ACTIVE', signature: { algorithm: 'Ed25519' } });

    // The pharmacist of the clinic sees the override, who made it and why.
    const pharmacist = await api.token(await createStaff(prisma, 'pharmacist', clinic.id));
    const seen = await api.graphql<{ prescription: PrescriptionView }>(READ, { id: created.id }, pharmacist);
    expect(seen.errors).toBeUndefined();
    expect(seen.data!.prescription.safetyFindings.find((finding) => finding.kind === 'ALLERGY')!.resolution).toMatchObject({
      kind: 'OVERRIDDEN',
      reason,
      by: { role: 'DOCTOR' },
    });
    // The override is in the patient's audit trail (who, when, which resource; never the reason's text).
    const overrides = await api.mongo.db
      .collection(AUDIT_LOGS)
      .find({ patientId: patient.userId, resource: 'SafetyFindingOverride', result: 'success' })
      .toArray();
    expect(overrides).toHaveLength(1);
    expect(overrides[0].fields).toEqual([
      `finding.allergy.id_${Buffer.from(allergy.id, 'base64url').toString().split(':')[1].replaceAll('-', '')}`,
      'reason',
    ]);
    expect(JSON.stringify(overrides)).not.toContain('Tolerated');
    // The pharmacist's read is audited too.
    expect(
      await api.mongo.db.collection(AUDIT_LOGS).countDocuments({ patientId: patient.userId, resource: 'Prescription', action: 'read' }),
    ).toBeGreaterThan(0);
  });

  it('finds the warfarin and ibuprofen interaction, within the prescription and against an active one', async () => {
    const { patient, token } = await setting();
    const both = await draft(token, patient.globalId, ['warfarin', 'ibuprofen']);
    const checked = (await api.graphql<{ checkPrescription: PrescriptionView }>(CHECK, { id: both.id }, token)).data!.checkPrescription;
    const interaction = checked.safetyFindings.find((finding) => finding.kind === 'INTERACTION')!;
    expect(interaction).toMatchObject({ severity: 'HIGH', itemPositions: [1, 2] });

    // Warfarin signed alone; ibuprofen later meets it as an active prescription.
    const warfarin = await draft(token, patient.globalId, ['warfarin']);
    const warfarinChecked = (await api.graphql<{ checkPrescription: PrescriptionView }>(CHECK, { id: warfarin.id }, token)).data!
      .checkPrescription;
    for (const finding of warfarinChecked.safetyFindings.filter((f) => f.severity !== 'LOW'))
      await api.graphql(
        finding.severity === 'HIGH' ? OVERRIDE : ACKNOWLEDGE,
        { f: finding.id, r: 'Reviewed with the patient today' },
        token,
      );
    expect((await api.graphql(SIGN, { id: warfarin.id }, token)).errors).toBeUndefined();
    const ibuprofen = await draft(token, patient.globalId, ['ibuprofen']);
    const later = (await api.graphql<{ checkPrescription: PrescriptionView }>(CHECK, { id: ibuprofen.id }, token)).data!.checkPrescription;
    expect(later.safetyFindings.find((finding) => finding.kind === 'INTERACTION')).toMatchObject({ severity: 'HIGH', itemPositions: [1] });
  });

  it('flags a medicine contraindicated in pregnancy for a pregnant patient', async () => {
    const { prisma, patient, token } = await setting({ gender: 'female', dateOfBirth: '1995-03-01' });
    const medicine = await prisma.medicine.findFirstOrThrow({
      where: { pregnancyRisk: 'contraindicated', active: true },
      orderBy: { code: 'asc' },
    });
    await recordFacts(api.mongo.db, patient.userId, { pregnancy: { status: 'pregnant', since: new Date(Date.now() - 60 * 86_400_000) } });
    const created = await draft(token, patient.globalId, [medicine.code]);
    const checked = (await api.graphql<{ checkPrescription: PrescriptionView }>(CHECK, { id: created.id }, token)).data!.checkPrescription;
    expect(checked.safetyFindings.find((finding) => finding.kind === 'PREGNANCY')).toMatchObject({ severity: 'HIGH', itemPositions: [1] });
  });
});

describe('who may prescribe', () => {
  it('refuses nurses, receptionists, patients and a doctor without a care relationship, writing nothing', async () => {
    const { prisma, clinic, patient } = await setting();
    const items = [await itemInput(prisma, 'paracetamol')];
    const input = { patientId: patient.globalId, diagnoses: ['R50.9'], items };
    const stranger = await createDoctor(prisma, { clinicIds: [clinic.id] });
    const callers = {
      nurse: await api.token(await createStaff(prisma, 'nurse', clinic.id)),
      receptionist: await api.token(await createStaff(prisma, 'receptionist', clinic.id)),
      patient: await api.token({ userId: patient.userId, role: 'patient' }),
      strangerDoctor: await api.token({ userId: stranger.userId, role: 'doctor', clinicIds: [clinic.id] }),
    };
    for (const [who, token] of Object.entries(callers)) {
      const response = await api.graphql(CREATE, { input }, token);
      expect([who, response.errors?.[0].extensions?.code]).toEqual([who, 'FORBIDDEN']);
    }
    expect(await prisma.prescription.count({ where: { patientId: patient.userId } })).toBe(0);
  });
});

describe('signatures and immutability', () => {
  it('PostgreSQL refuses to change a signed prescription; a change forced past the guard is detected as tampering', async () => {
    const { prisma, patient, token } = await setting();
    const created = await draft(token, patient.globalId, ['paracetamol']);
    await api.graphql(CHECK, { id: created.id }, token);
    expect((await api.graphql(SIGN, { id: created.id }, token)).errors).toBeUndefined();
    const row = await prisma.prescription.findFirstOrThrow({ where: { patientId: patient.userId } });
    const verifier = await api.token({
      userId: (await createStaff(prisma, 'pharmacist', row.clinicId)).userId,
      role: 'pharmacist',
      clinicIds: [row.clinicId],
    });
    const verified = await api.graphql(VERIFY, { r: created.id }, verifier);
    expect(verified.errors).toBeUndefined();
    expect(verified.data).toEqual({
      verifyPrescription: { valid: true, outcome: 'VALID', status: 'ACTIVE', dispensable: true, number: created.number },
    });

    await expect(prisma.$executeRaw`UPDATE prescription_items SET quantity = 100 WHERE prescription_id = ${row.id}::uuid`).rejects.toThrow(
      /no longer a draft/,
    );
    await expect(prisma.$executeRaw`UPDATE prescriptions SET notes = 'changed' WHERE id = ${row.id}::uuid`).rejects.toThrow(
      /only its status/,
    );
    await expect(prisma.$executeRaw`UPDATE prescriptions SET status = 'draft' WHERE id = ${row.id}::uuid`).rejects.toThrow(
      /cannot go from/,
    );
    await expect(prisma.$executeRaw`DELETE FROM prescriptions WHERE id = ${row.id}::uuid`).rejects.toThrow(/cannot be deleted/);

    // Someone with the database's superuser rights switches the triggers off and edits the quantity.
    await prisma.$transaction([
      prisma.$executeRaw`SET LOCAL session_replication_role = replica`,
      prisma.$executeRaw`UPDATE prescription_items SET quantity = 100 WHERE prescription_id = ${row.id}::uuid`,
    ]);
    expect((await api.graphql(VERIFY, { r: created.number }, verifier)).data).toEqual({
      verifyPrescription: { valid: false, outcome: 'TAMPERED', status: 'ACTIVE', dispensable: false, number: created.number },
    });
  });
});

describe('the catalogue', () => {
  it('finds medicines by generic, brand or French name, whatever the accents and case, for clinical staff only', async () => {
    const { prisma, clinic, token } = await setting();
    const SEARCH = 'query($s: String) { medications(search: $s, first: 5) { edges { node { code } } } }';
    const codes = async (search: string, who = token) =>
      (
        await api.graphql<{ medications: { edges: Array<{ node: { code: string } }> } }>(SEARCH, { s: search }, who)
      ).data?.medications.edges.map((edge) => edge.node.code);
    expect(await codes('AMOXICILLINE')).toContain('amoxicillin');
    expect(await codes('clamoxyl')).toEqual(['amoxicillin']);
    expect(await codes('coartem')).toEqual(['artemether-lumefantrine']);
    expect(await codes('paracétamol codéine')).toEqual(['paracetamol-codeine']);
    const counted = await api.graphql<{ medications: { totalCount: number } }>(
      '{ medications(search: "Pénicilline", first: 1) { totalCount } }',
      {},
      token,
    );
    expect(counted.data!.medications.totalCount).toBeGreaterThanOrEqual(2); // the penicillins, by their French names
    const receptionist = await api.token(await createStaff(prisma, 'receptionist', clinic.id));
    expect((await api.graphql(SEARCH, { s: 'amox' }, receptionist)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('numbers', () => {
  it('gives twenty prescriptions created at once twenty consecutive numbers, without gaps', async () => {
    const { clinic, patient, token } = await setting();
    const items = [await itemInput(api.database.prisma, 'paracetamol')];
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.graphql<{ createPrescription: { number: string } }>(
          CREATE,
          { input: { patientId: patient.globalId, clinicId: clinic.globalId, diagnoses: [], items } },
          token,
        ),
      ),
    );
    const numbers = responses.map((response) => response.data!.createPrescription.number).sort();
    const year = numbers[0].slice(3, 7);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => `RX-${year}-${String(i + 1).padStart(6, '0')}`));
  });
});

describe('bad input', () => {
  it('answers BAD_USER_INPUT with the field paths and writes nothing', async () => {
    const { prisma, patient, token } = await setting();
    const good = await itemInput(prisma, 'paracetamol');
    const cases: Array<[string, Record<string, unknown>, Array<string | number>]> = [
      [
        'unknown medicine',
        { items: [{ ...good, medicationId: Buffer.from('Medication:00000000-0000-4000-8000-000000000000').toString('base64url') }] },
        ['input', 'items', 0, 'medicationId'],
      ],
      ['dose not positive', { items: [{ ...good, dose: { amount: 0, unit: 'tablet' } }] }, ['input', 'items', 0, 'dose', 'amount']],
      ['quantity not positive', { items: [{ ...good, quantity: -3 }] }, ['input', 'items', 0, 'quantity']],
      ['refills over the limit', { items: [{ ...good, refillsAllowed: 6 }] }, ['input', 'items', 0, 'refillsAllowed']],
      ['not an ICD-10 code', { diagnoses: ['malaria'] }, ['input', 'diagnoses']],
      ['a strength the medicine does not come in', { items: [{ ...good, strength: '7 kg' }] }, ['input', 'items', 0, 'strength']],
    ];
    for (const [what, change, path] of cases) {
      const response = await api.graphql(
        CREATE,
        { input: { patientId: patient.globalId, diagnoses: ['B50.9'], items: [good], ...change } },
        token,
      );
      expect([what, response.errors?.[0].extensions?.code]).toEqual([what, 'BAD_USER_INPUT']);
      const paths = (response.errors?.[0].extensions?.fields as Array<{ path: unknown[] }> | undefined)?.map((field) => field.path);
      expect([what, paths?.some((candidate) => JSON.stringify(candidate).startsWith(JSON.stringify(path).slice(0, -1)))]).toEqual([
        what,
        true,
      ]);
    }
    const frequency = await api.graphql(
      CREATE,
      { input: { patientId: patient.globalId, diagnoses: [], items: [{ ...good, frequency: 'SOMETIMES' }] } },
      token,
    );
    expect(frequency.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await prisma.prescription.count({ where: { patientId: patient.userId } })).toBe(0);
  });
});

describe('life after signing', () => {
  it('shows a prescription past its last day as EXPIRED at once; the job then writes it down', async () => {
    const { prisma, patient, token } = await setting();
    const created = await draft(token, patient.globalId, ['paracetamol'], { validityDays: 1 });
    await api.graphql(CHECK, { id: created.id }, token);
    await api.graphql(SIGN, { id: created.id }, token);
    const row = await prisma.prescription.findFirstOrThrow({ where: { patientId: patient.userId } });
    // Time passes: signed three days ago (forced past the guard: a signed row never changes otherwise).
    await prisma.$transaction([
      prisma.$executeRaw`SET LOCAL session_replication_role = replica`,
      prisma.$executeRaw`UPDATE prescriptions SET issued_on = issued_on - 3, valid_until = valid_until - 3 WHERE id = ${row.id}::uuid`,
    ]);
    expect((await api.graphql<{ prescription: PrescriptionView }>(READ, { id: created.id }, token)).data!.prescription.status).toBe(
      'EXPIRED',
    );
    const patientToken = await api.token({ userId: patient.userId, role: 'patient' });
    const mine = await api.graphql<{ myPrescriptions: { edges: Array<{ node: { status: string } }> } }>(
      'query { myPrescriptions(first: 10, status: EXPIRED) { edges { node { status } } } }',
      {},
      patientToken,
    );
    expect(mine.data!.myPrescriptions.edges.map((edge) => edge.node.status)).toEqual(['EXPIRED']);
    const cancel = await api.graphql(
      'mutation($id: ID!) { cancelPrescription(id: $id, reason: "no longer needed") { status } }',
      { id: created.id },
      token,
    );
    expect(cancel.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', status: 'EXPIRED' });
  });

  it('corrects a signed prescription by cancel and reissue, linked both ways; a patient never sees drafts', async () => {
    const { patient, token } = await setting();
    const created = await draft(token, patient.globalId, ['paracetamol']);
    await api.graphql(CHECK, { id: created.id }, token);
    await api.graphql(SIGN, { id: created.id }, token);
    const reissued = await api.graphql<{
      reissuePrescription: { id: string; status: string; replaces: { id: string; status: string; replacedBy: { id: string } } };
    }>(
      'mutation($id: ID!) { reissuePrescription(id: $id, reason: "wrong quantity") { id status replaces { id status replacedBy { id } } } }',
      { id: created.id },
      token,
    );
    expect(reissued.errors).toBeUndefined();
    const fresh = reissued.data!.reissuePrescription;
    expect(fresh).toMatchObject({ status: 'DRAFT', replaces: { id: created.id, status: 'CANCELLED', replacedBy: { id: fresh.id } } });
    const patientToken = await api.token({ userId: patient.userId, role: 'patient' });
    const mine = await api.graphql<{ myPrescriptions: { edges: Array<{ node: { id: string; status: string } }> } }>(
      'query { myPrescriptions(first: 10) { edges { node { id status } } } }',
      {},
      patientToken,
    );
    expect(mine.data!.myPrescriptions.edges.map((edge) => edge.node)).toEqual([{ id: created.id, status: 'CANCELLED' }]);
    const draftRead = await api.graphql(READ, { id: fresh.id }, patientToken);
    expect(draftRead.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('lists', () => {
  it('a page of 50 prescriptions with items, medicines and patients costs the same SQL statements as a page of 5', async () => {
    const { prisma, clinic, doctor, patient, token } = await setting();
    const type = await createAppointmentType(prisma);
    const appointment = await createAppointment(prisma, {
      patientId: patient.userId,
      doctorId: doctor.doctorId,
      clinicId: clinic.id,
      appointmentTypeId: type.id,
      startsAt: new Date(Date.now() - 3_600_000),
      minutes: 30,
      status: 'completed',
    });
    const items = [await itemInput(prisma, 'paracetamol'), await itemInput(prisma, 'amoxicillin')];
    for (let i = 0; i < 50; i++) {
      const response = await api.graphql(
        CREATE,
        { input: { patientId: patient.globalId, appointmentId: appointment.globalId, diagnoses: ['J06.9'], items } },
        token,
      );
      expect(response.errors).toBeUndefined();
    }
    const PAGE = `query($p: ID!, $n: Int!) { patient(id: $p) { prescriptions(first: $n, status: DRAFT) { totalCount edges { node {
      number status patient { firstName } prescriber { displayName } appointment { status }
      items { medicationName medication { genericName atcCode } } safetyFindings { kind } } } } } }`;
    const measure = async (first: number) => {
      const before = api.database.statementCount;
      const response = await api.graphql<{ patient: { prescriptions: { totalCount: number; edges: unknown[] } } }>(
        PAGE,
        { p: patient.globalId, n: first },
        token,
      );
      expect(response.errors).toBeUndefined();
      return { statements: api.database.statementCount - before, rows: response.data!.patient.prescriptions.edges.length };
    };
    await measure(5); // warm the caches of what is not per page (the caller's ties)
    const five = await measure(5);
    const fifty = await measure(50);
    expect([five.rows, fifty.rows]).toEqual([5, 50]);
    expect(fifty.statements).toBe(five.statements);
  });
});
