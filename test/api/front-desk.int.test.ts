// The front desk's day: find a clinic's patient (accents and case ignored, phone as people write
// it, national id, date of birth), register one and see back what was typed, correct contact
// details (partial, validated, audited before the write), all within the access table.
import { beforeAll, describe, expect, it } from 'vitest';
import { SearchPatientsDocument, UpdatePatientDocument } from '../../src/generated/operations.js';
import { AUDIT_LOGS } from '../../src/modules/audit/index.js';
import { useTestApi } from '../harness/api.js';
import { createClinic, createPatient, createStaff } from '../factories.js';

const api = useTestApi();
const tokens: Record<string, string> = {};
let clinicA: Awaited<ReturnType<typeof createClinic>>;
let clinicB: Awaited<ReturnType<typeof createClinic>>;
let eloise: Awaited<ReturnType<typeof createPatient>>;
let eloiseElsewhere: Awaited<ReturnType<typeof createPatient>>;
const family: Array<Awaited<ReturnType<typeof createPatient>>> = [];
/** Unique per run, so that searches see this file's patients only. */
const SURNAME = `Ngô-Mbappé${Math.random().toString(36).slice(2, 7).replace(/[0-9]/g, 'x')}`;
const FAMILY = `Ékambi${Math.random().toString(36).slice(2, 7).replace(/[0-9]/g, 'q')}`;

const auditOf = (patientId: string) => api.mongo.db.collection(AUDIT_LOGS).find({ patientId }).sort({ seq: 1 }).toArray();
const search = (variables: Record<string, unknown>, token = tokens.receptionist) =>
  api.graphql(SearchPatientsDocument, { first: 10, ...variables } as never, token);
const idsOf = (response: Awaited<ReturnType<typeof search>>) => response.data?.patients.edges.map((edge) => edge.node.id);

beforeAll(async () => {
  const prisma = api.database.prisma;
  [clinicA, clinicB] = [await createClinic(prisma), await createClinic(prisma)];
  eloise = await createPatient(prisma, { firstName: 'Éloïse', lastName: SURNAME, dateOfBirth: '1988-11-02', clinicId: clinicA.id });
  eloiseElsewhere = await createPatient(prisma, { firstName: 'Eloise', lastName: SURNAME, clinicId: clinicB.id });
  for (const first of ['Abel', 'Bertrand', 'Céline'])
    family.push(await createPatient(prisma, { firstName: first, lastName: FAMILY, clinicId: clinicA.id }));
  for (const role of ['receptionist', 'admin', 'nurse', 'doctor', 'pharmacist'] as const)
    tokens[role] = await api.token(await createStaff(prisma, role, clinicA.id));
  tokens.receptionistB = await api.token(await createStaff(prisma, 'receptionist', clinicB.id));
  tokens.eloise = await api.token(eloise);
});

describe('patients(search:)', () => {
  it("finds names whatever their accents and case, only among the clinic's patients", async () => {
    for (const text of [
      'eloise',
      'ELOÏSE',
      `ngo-mbappe${SURNAME.slice(10).toUpperCase()}`,
      `éloise ${SURNAME.slice(4, 9).toLowerCase()}`,
    ]) {
      const response = await search({ search: { text } });
      expect(response.errors, text).toBeUndefined();
      expect(idsOf(response), text).toEqual([eloise.globalId]);
    }
    // Clinic B's receptionist finds their own Eloise, not clinic A's.
    expect(idsOf(await search({ search: { text: SURNAME } }, tokens.receptionistB))).toEqual([eloiseElsewhere.globalId]);
    expect(idsOf(await search({ search: { text: 'eloisa' } }))).toEqual([]);
  });

  it('finds a phone number however it is written, exactly, and a national id exactly', async () => {
    const national = eloise.phone!.slice(4); // +237 removed: 9 digits
    const spaced = `${national.slice(0, 3)} ${national.slice(3, 5)} ${national.slice(5, 7)} ${national.slice(7)}`;
    for (const phone of [eloise.phone!, spaced, `00237${national}`, `+237 ${spaced}`])
      expect(idsOf(await search({ search: { phone } })), phone).toEqual([eloise.globalId]);
    expect(idsOf(await search({ search: { phone: `+237${national.slice(0, 8)}${national.endsWith('9') ? '8' : '9'}` } }))).toEqual([]);
    expect(idsOf(await search({ search: { nationalId: eloise.nationalId.toLowerCase() } }))).toEqual([eloise.globalId]);
    expect(idsOf(await search({ search: { nationalId: eloise.nationalId.slice(0, -1) } }))).toEqual([]);
    const wrong = await search({ search: { phone: '12' } });
    expect(wrong.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['search', 'phone'] }] });
  });

  it('combines criteria: a name and a date of birth', async () => {
    expect(idsOf(await search({ search: { text: 'eloise', dateOfBirth: '1988-11-02' } }))).toEqual([eloise.globalId]);
    expect(idsOf(await search({ search: { text: 'eloise', dateOfBirth: '1988-11-03' } }))).toEqual([]);
    expect(idsOf(await search({ search: { dateOfBirth: '1988-11-02' } }))).toContain(eloise.globalId);
  });

  it('pages in name order with opaque cursors that carry no name, and refuses a made-up cursor', async () => {
    const first = await search({ search: { text: FAMILY }, first: 2 });
    expect(idsOf(first)).toEqual(family.slice(0, 2).map((patient) => patient.globalId));
    expect(first.data!.patients.pageInfo.hasNextPage).toBe(true);
    const cursor = first.data!.patients.pageInfo.endCursor!;
    expect(Buffer.from(cursor, 'base64url').toString()).not.toContain('Bertrand');
    const second = await search({ search: { text: FAMILY }, first: 2, after: cursor });
    expect(idsOf(second)).toEqual([family[2].globalId]);
    expect(second.data!.patients.pageInfo.hasNextPage).toBe(false);
    for (const after of ['not-a-cursor', Buffer.from('["x"]').toString('base64url'), Buffer.from('[1,2]').toString('base64url')]) {
      expect((await search({ search: { text: FAMILY }, first: 2, after })).errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [{ path: ['after'] }],
      });
    }
  });

  it("refuses an empty search, too short words, and anyone but the clinic's staff", async () => {
    expect((await search({ search: {} })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['search'] }] });
    expect((await search({ search: { text: 'e' } })).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: ['search', 'text'] }],
    });
    expect(
      (await search({ search: { text: 'eloise' }, clinicId: clinicA.globalId }, tokens.receptionistB)).errors?.[0].extensions?.code,
    ).toBe('FORBIDDEN');
    expect((await search({ search: { text: 'eloise' } }, tokens.eloise)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.graphql(SearchPatientsDocument, { search: { text: 'eloise' }, first: 10 })).errors?.[0].extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('shows each role the fields the access table allows; phone and national id are search keys only for those who may see them', async () => {
    const frontDesk = await search({ search: { text: 'eloise' } });
    expect(frontDesk.errors).toBeUndefined();
    expect(frontDesk.data!.patients.edges[0].node).toMatchObject({
      firstName: 'Éloïse',
      phone: eloise.phone,
      email: eloise.email,
      nationalId: eloise.nationalId,
    });
    for (const role of ['doctor', 'pharmacist']) {
      const response = await search({ search: { text: 'eloise' } }, tokens[role]);
      expect(
        response.data?.patients.edges.map((edge) => edge.node.firstName),
        role,
      ).toEqual(['Éloïse']);
      expect(response.errors?.map((error) => [error.path?.at(-1), error.extensions?.code]).sort(), role).toEqual([
        ['email', 'FORBIDDEN'],
        ['nationalId', 'FORBIDDEN'],
        ['phone', 'FORBIDDEN'],
      ]);
      expect(JSON.stringify(response)).not.toContain(eloise.nationalId);
      expect((await search({ search: { phone: eloise.phone } }, tokens[role])).errors?.[0].extensions?.code, role).toBe('FORBIDDEN');
      expect((await search({ search: { nationalId: eloise.nationalId } }, tokens[role])).errors?.[0].extensions?.code, role).toBe(
        'FORBIDDEN',
      );
    }
    expect(idsOf(await search({ search: { phone: eloise.phone } }, tokens.nurse))).toEqual([eloise.globalId]);
  });

  it('audits each search: which patients it returned and by which criteria, never the values', async () => {
    const before = (await auditOf(family[0].userId)).length;
    await search({ search: { text: FAMILY, dateOfBirth: '1990-05-17' }, first: 1 });
    const entries = (await auditOf(family[0].userId)).slice(before);
    expect(entries.find((entry) => entry.resource === 'PatientSearch')).toMatchObject({
      action: 'read',
      fields: ['dateOfBirth', 'text'],
      result: 'success',
    });
    expect(JSON.stringify(entries)).not.toContain(FAMILY);
    // Only the page returned is recorded: the second patient of the family was not shown.
    expect((await auditOf(family[1].userId)).some((entry) => entry.resource === 'PatientSearch' && entry.at >= entries[0].at)).toBe(false);
    const nobody = () => api.mongo.db.collection(AUDIT_LOGS).countDocuments({ resource: 'PatientSearch', patientId: null });
    const empty = await nobody();
    await search({ search: { text: 'zzqqxx' } });
    expect(await nobody()).toBe(empty + 1);
  });

  it('uses the trigram index on the folded names', async () => {
    const plan = await api.database.prisma.$transaction(async (tx) => {
      // The test tables are small enough for a sequential scan to win; forbid it to see that the index can serve.
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      return tx.$queryRawUnsafe<Array<{ 'QUERY PLAN': string }>>(
        `EXPLAIN SELECT user_id FROM user_profiles WHERE search_name LIKE '%' || patient_search_fold('Éloïse') || '%'`,
      );
    });
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain('user_profiles_search_name_trgm_idx');
  });
});

describe('registerPatient', () => {
  it('shows the receptionist the contact details they typed', async () => {
    const email = `Front.${Date.now()}@Example.CM`;
    const phone = `+2376${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const response = await api.graphql(
      `mutation($input: RegisterPatientInput!) { registerPatient(input: $input) { id email phone nationalId address { city } } }`,
      {
        input: {
          email,
          phone,
          firstName: 'Ngo',
          lastName: 'Bassa',
          dateOfBirth: '1990-01-01',
          nationalId: `CM-${Date.now()}`,
          address: { city: 'Douala', country: 'CM' },
        },
      },
      tokens.receptionist,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.registerPatient).toMatchObject({ email: email.toLowerCase(), phone, address: { city: 'Douala' } });
  });
});

describe('updatePatient', () => {
  const update = (id: string, input: Record<string, unknown>, token = tokens.receptionist) =>
    api.graphql(UpdatePatientDocument, { id, input } as never, token);
  const stored = (userId: string) => api.database.prisma.user.findUniqueOrThrow({ where: { id: userId }, include: { profile: true } });

  it('changes only the fields given; null clears one', async () => {
    const patient = await createPatient(api.database.prisma, { clinicId: clinicA.id });
    await api.database.prisma.user.update({ where: { id: patient.userId }, data: { phoneVerifiedAt: new Date() } });
    const address = { street: 'Rue Joss', city: 'Douala', region: 'Littoral', country: 'CM', postalCode: null };
    const emergencyContact = { name: 'Paul', relationship: 'brother', phone: '+237699000111' };
    const first = await update(patient.globalId, {
      address,
      emergencyContact,
      insurance: { provider: 'Mutuelle CNPS', policyNumber: 'P-001' },
    });
    expect(first.errors).toBeUndefined();
    expect(first.data!.updatePatient).toMatchObject({
      phone: patient.phone,
      address,
      emergencyContact,
      insurance: { provider: 'Mutuelle CNPS', policyNumber: 'P-001', holderName: null },
    });

    const newPhone = `+2376${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const second = await update(patient.globalId, { phone: newPhone, address: null, preferredLanguage: 'EN' });
    expect(second.errors).toBeUndefined();
    expect(second.data!.updatePatient).toMatchObject({
      phone: newPhone,
      address: null,
      emergencyContact,
      preferredLanguage: 'EN',
      insurance: { provider: 'Mutuelle CNPS' },
    });
    const row = await stored(patient.userId);
    expect(row).toMatchObject({ phone: newPhone, phoneVerifiedAt: null, email: patient.email });
    expect(row.profile).toMatchObject({ address: null, emergencyContact, preferredLanguage: 'en' });
    // The same number again keeps a verification.
    await api.database.prisma.user.update({ where: { id: patient.userId }, data: { phoneVerifiedAt: new Date() } });
    expect((await update(patient.globalId, { phone: newPhone })).errors).toBeUndefined();
    expect((await stored(patient.userId)).phoneVerifiedAt).not.toBeNull();
  });

  it('lets the patient change their own details', async () => {
    const response = await update(
      eloise.globalId,
      { emergencyContact: { name: 'Awa', relationship: 'sister', phone: '+237677000222' } },
      tokens.eloise,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.updatePatient.emergencyContact).toEqual({ name: 'Awa', relationship: 'sister', phone: '+237677000222' });
  });

  it.each([
    [{ phone: '0612345' }, ['input', 'phone']],
    [{ email: null }, ['input', 'email']],
    [{ preferredLanguage: null }, ['input', 'preferredLanguage']],
    [{ address: { city: 'Douala', country: 'Cameroon' } }, ['input', 'address', 'country']],
    [{ insurance: { provider: ' ', policyNumber: 'P-1' } }, ['input', 'insurance', 'provider']],
    [{}, ['input']],
  ])('refuses %j with BAD_USER_INPUT at the field and changes nothing', async (input, path) => {
    const patient = await createPatient(api.database.prisma, { clinicId: clinicA.id });
    const before = await stored(patient.userId);
    const response = await update(patient.globalId, input);
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((response.errors?.[0].extensions?.fields as Array<{ path: unknown }>).map((field) => field.path)).toContainEqual(path);
    expect(await stored(patient.userId)).toEqual(before);
  });

  it("is for the patient and their clinic's front desk only", async () => {
    const patient = await createPatient(api.database.prisma, { clinicId: clinicA.id });
    for (const token of [tokens.receptionistB, tokens.nurse, tokens.doctor, tokens.pharmacist, tokens.eloise]) {
      expect((await update(patient.globalId, { preferredLanguage: 'EN' }, token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect((await update(patient.globalId, { preferredLanguage: 'EN' }, tokens.admin)).errors).toBeUndefined();
    expect((await stored(patient.userId)).profile?.preferredLanguage).toBe('en');
  });

  it('corrects an email only until the person signs in with it', async () => {
    const patient = await createPatient(api.database.prisma, { clinicId: clinicA.id });
    const corrected = `corrected.${Date.now()}@example.cm`;
    expect((await update(patient.globalId, { email: corrected.toUpperCase() })).data?.updatePatient.email).toBe(corrected);
    await api.database.prisma.user.update({ where: { id: patient.userId }, data: { passwordHash: 'set' } });
    const refused = await update(patient.globalId, { email: `other.${Date.now()}@example.cm` });
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', fields: [{ path: ['input', 'email'] }] });
    expect((await stored(patient.userId)).email).toBe(corrected);
  });

  it('is audited before the write, with field names only; a refused write is recorded as a failure', async () => {
    const patient = await createPatient(api.database.prisma, { clinicId: clinicA.id });
    await update(patient.globalId, { insurance: { provider: 'Assurance Zenith', policyNumber: 'Z-42' } });
    const taken = await update(patient.globalId, { phone: eloise.phone });
    expect(taken.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(JSON.stringify(taken)).not.toContain(eloise.phone!);
    const writes = (await auditOf(patient.userId)).filter((entry) => entry.action === 'update');
    expect(writes.map((entry) => [entry.fields, entry.result])).toEqual([
      [['insurance'], 'attempted'],
      [['insurance'], 'success'],
      [['phone'], 'attempted'],
      [['phone'], 'failure'],
    ]);
    expect(JSON.stringify(writes)).not.toContain('Zenith');
    expect((await stored(patient.userId)).phone).toBe(patient.phone);
  });
});
