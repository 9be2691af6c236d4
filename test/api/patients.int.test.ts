// Registering patients and reading them: typed errors with field paths, nothing half-written,
// and who may see a patient at all.
import { beforeAll, describe, expect, it } from 'vitest';
import { PatientChartDocument, RegisterPatientDocument, type RegisterPatientInput } from '../../src/generated/operations.js';
import { useTestApi } from '../harness/api.js';
import { createClinic, createPatient, createRecord, createStaff } from '../factories.js';

const api = useTestApi();
const tokens: Record<string, string> = {};
const staff: Record<string, { userId: string }> = {};
let clinicId = '';

const valid = (overrides: Partial<RegisterPatientInput> = {}): RegisterPatientInput => ({
  email: `Person.${Math.random().toString(36).slice(2)}@Example.CM`,
  firstName: 'Ngono',
  lastName: 'Marie',
  dateOfBirth: '1991-02-03',
  phone: `+2376${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
  ...overrides,
});

const countPatients = () => api.database.prisma.user.count({ where: { role: 'patient' } });

beforeAll(async () => {
  const prisma = api.database.prisma;
  clinicId = (await createClinic(prisma)).id;
  for (const role of ['receptionist', 'doctor', 'nurse', 'admin', 'pharmacist', 'lab_technician'] as const) {
    staff[role] = await createStaff(prisma, role, clinicId);
    tokens[role] = await api.token(staff[role]);
  }
});

describe('registerPatient', () => {
  it('registers a patient with a normalised email and returns them', async () => {
    const input = valid({
      nationalId: 'CM-12345678',
      address: { city: 'Douala', country: 'CM' },
      emergencyContact: { name: 'Paul', relationship: 'brother', phone: '+237699000111' },
    });
    const response = await api.graphql(RegisterPatientDocument, { input }, tokens.receptionist);
    expect(response.errors).toBeUndefined();
    expect(response.data!.registerPatient).toMatchObject({ firstName: 'Ngono', dateOfBirth: '1991-02-03' });
    const stored = await api.database.prisma.user.findUnique({
      where: { email: input.email.toLowerCase() },
      include: { profile: true, careAsPatient: true },
    });
    expect(stored?.profile).toMatchObject({ lastName: 'Marie', nationalId: 'CM-12345678' });
    expect(stored?.careAsPatient).toMatchObject([{ clinicId, kind: 'registration', staffUserId: null }]);
  });

  it.each([
    [{ email: 'not-an-email' }, ['input', 'email']],
    [{ firstName: '' }, ['input', 'firstName']],
    [{ lastName: 'x'.repeat(101) }, ['input', 'lastName']],
    [{ dateOfBirth: '2999-01-01' }, ['input', 'dateOfBirth']],
    [{ dateOfBirth: '1850-01-01' }, ['input', 'dateOfBirth']],
    [{ phone: '0612345' }, ['input', 'phone']],
    [{ nationalId: 'lower case' }, ['input', 'nationalId']],
    [{ address: { city: 'Douala', country: 'Cameroon' } }, ['input', 'address', 'country']],
    [{ emergencyContact: { name: 'A', relationship: 'b', phone: '555' } }, ['input', 'emergencyContact', 'phone']],
  ])('refuses %j with BAD_USER_INPUT at the field and writes nothing', async (overrides, path) => {
    const before = await countPatients();
    const response = await api.graphql(
      RegisterPatientDocument,
      { input: valid(overrides as Partial<RegisterPatientInput>) },
      tokens.receptionist,
    );
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((response.errors?.[0].extensions?.fields as Array<{ path: unknown }>).map((f) => f.path)).toContainEqual(path);
    // The value at the failing path is not repeated (an empty one cannot be).
    const given = path.slice(1).reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], overrides);
    expect(typeof given).toBe('string');
    if (given !== '') expect(JSON.stringify(response.errors)).not.toContain((given as string).slice(0, 12));
    expect(await countPatients()).toBe(before);
  });

  it('refuses a malformed date without repeating it', async () => {
    const response = await api.graphql(RegisterPatientDocument, { input: valid({ dateOfBirth: '1991-13-45' }) }, tokens.receptionist);
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0].message).toContain('input.dateOfBirth');
    expect(JSON.stringify(response)).not.toContain('1991-13-45');
  });

  it('refuses names made only of spaces at their fields', async () => {
    const response = await api.graphql(RegisterPatientDocument, { input: valid({ firstName: '   ', lastName: ' ' }) }, tokens.receptionist);
    const paths = (response.errors?.[0].extensions?.fields as Array<{ path: string[] }>).map((f) => f.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['input.firstName', 'input.lastName']));
  });

  it('reports every invalid field at once', async () => {
    const response = await api.graphql(
      RegisterPatientDocument,
      { input: valid({ email: 'bad', firstName: '', phone: '1' }) },
      tokens.receptionist,
    );
    const paths = (response.errors?.[0].extensions?.fields as Array<{ path: string[] }>).map((f) => f.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['input.email', 'input.firstName', 'input.phone']));
  });

  it('refuses an enum value it does not know without echoing the value', async () => {
    const response = await api.graphql(
      RegisterPatientDocument,
      { input: { ...valid(), gender: 'SECRET_VALUE' } as never },
      tokens.receptionist,
    );
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0].message).toContain('input.gender');
    expect(JSON.stringify(response.errors)).not.toContain('SECRET_VALUE');
  });

  it('asks for the clinic when the registrar works in several, and refuses a clinic they do not work in', async () => {
    const other = await createClinic(api.database.prisma);
    await api.database.prisma.clinicStaff.create({ data: { clinicId: other.id, userId: staff.receptionist.userId, role: 'receptionist' } });
    const token = await api.token(staff.receptionist);
    const unnamed = await api.graphql(RegisterPatientDocument, { input: valid() }, token);
    expect(unnamed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['input', 'clinicId'] }] });
    const foreign = (await createClinic(api.database.prisma)).globalId;
    const elsewhere = await api.graphql(RegisterPatientDocument, { input: valid({ clinicId: foreign }) }, token);
    expect(elsewhere.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.graphql(RegisterPatientDocument, { input: valid({ clinicId: other.globalId }) }, token)).errors).toBeUndefined();
    await api.database.prisma.clinicStaff.deleteMany({ where: { clinicId: other.id, userId: staff.receptionist.userId } });
  });

  it.each(['email', 'phone', 'nationalId'] as const)(
    'refuses a taken %s with CONFLICT, without saying which detail, and keeps one record',
    async (field) => {
      const first = valid({ nationalId: `CM-${Math.floor(Math.random() * 1e9)}` });
      expect((await api.graphql(RegisterPatientDocument, { input: first }, tokens.receptionist)).errors).toBeUndefined();
      const before = await countPatients();
      const response = await api.graphql(RegisterPatientDocument, { input: valid({ [field]: first[field] }) }, tokens.receptionist);
      expect(response.errors?.[0].extensions).toEqual({ code: 'CONFLICT' });
      expect(response.errors?.[0].message).not.toMatch(/email|phone|national/i);
      expect(await countPatients()).toBe(before);
    },
  );

  it.each([
    ['no token', undefined, 'UNAUTHENTICATED'],
    ['a pharmacist', 'pharmacist', 'FORBIDDEN'],
    ['a lab technician', 'lab_technician', 'FORBIDDEN'],
  ])('refuses %s', async (_who, role, code) => {
    const before = await countPatients();
    const response = await api.graphql(RegisterPatientDocument, { input: valid() }, role ? tokens[role] : undefined);
    expect(response.errors?.[0].extensions?.code).toBe(code);
    expect(await countPatients()).toBe(before);
  });

  it('refuses a forged token with 401 UNAUTHENTICATED', async () => {
    const forged = `${tokens.receptionist.slice(0, -4)}AAAA`;
    const response = await api.graphql(RegisterPatientDocument, { input: valid() }, forged);
    expect(response.status).toBe(401);
    expect(response.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
  });
});

describe('patient(id) with medicalHistory', () => {
  it('returns the profile from PostgreSQL and the history from MongoDB in one query', async () => {
    const patient = await createPatient(api.database.prisma, { firstName: 'Chart', clinicId, clinicianIds: [staff.doctor.userId] });
    await createRecord(api.mongo.db, patient.userId);
    const response = await api.graphql(PatientChartDocument, { id: patient.globalId }, tokens.doctor);
    expect(response.errors).toBeUndefined();
    expect(response.data!.patient).toMatchObject({
      firstName: 'Chart',
      dateOfBirth: '1990-05-17',
      medicalHistory: { bloodType: 'B_POSITIVE', allergies: [{ substance: 'Latex', severity: 'MODERATE' }] },
    });
  });

  it('gives a patient without a record yet an empty history', async () => {
    const patient = await createPatient(api.database.prisma, { clinicId });
    const response = await api.graphql(PatientChartDocument, { id: patient.globalId }, tokens.nurse);
    expect(response.data!.patient.medicalHistory).toMatchObject({
      bloodType: null,
      allergies: [],
      chronicConditions: [],
      socialHistory: null,
      updatedAt: null,
    });
  });

  it("lets a patient read their own chart but not another patient's", async () => {
    const me = await createPatient(api.database.prisma);
    const other = await createPatient(api.database.prisma);
    const token = await api.token({ userId: me.userId, role: 'patient' });
    expect((await api.graphql(PatientChartDocument, { id: me.globalId }, token)).data?.patient.medicalHistory).not.toBeNull();
    const denied = await api.graphql(PatientChartDocument, { id: other.globalId }, token);
    expect(denied.data?.patient ?? null).toBeNull();
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(denied)).not.toContain(other.email);
  });

  it('shows a receptionist demographics but not the medical history', async () => {
    const patient = await createPatient(api.database.prisma, { firstName: 'Front', clinicId });
    await createRecord(api.mongo.db, patient.userId);
    const response = await api.graphql(PatientChartDocument, { id: patient.globalId }, tokens.receptionist);
    expect(response.data!.patient).toMatchObject({ firstName: 'Front', medicalHistory: null });
    expect(response.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['patient', 'medicalHistory'], 'FORBIDDEN']]);
    expect(JSON.stringify(response)).not.toContain('Latex');
  });

  it('answers FORBIDDEN for an unknown patient (existence is not revealed) and BAD_USER_INPUT for a malformed id', async () => {
    const unknown = Buffer.from('Patient:00000000-0000-4000-8000-000000000000').toString('base64url');
    expect((await api.graphql(PatientChartDocument, { id: unknown }, tokens.doctor)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const malformed = await api.graphql(PatientChartDocument, { id: "' OR 1=1 --" }, tokens.doctor);
    expect(malformed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['id'] }] });
  });

  it('refuses anonymous callers and roles without a need (pharmacist)', async () => {
    const patient = await createPatient(api.database.prisma);
    expect((await api.graphql(PatientChartDocument, { id: patient.globalId })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await api.graphql(PatientChartDocument, { id: patient.globalId }, tokens.pharmacist)).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );
  });

  it('applies the same rules through node(id:)', async () => {
    const patient = await createPatient(api.database.prisma, { clinicId, clinicianIds: [staff.doctor.userId] });
    const query = `query($id: ID!) { node(id: $id) { id ... on Patient { firstName medicalHistory { bloodType } } } }`;
    expect((await api.graphql(query, { id: patient.globalId })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const asDoctor = await api.graphql<{ node: { id: string } }>(query, { id: patient.globalId }, tokens.doctor);
    expect(asDoctor.data?.node.id).toBe(patient.globalId);
    const clinic = await api.graphql<{ node: { id: string; name?: string } }>(
      `query($id: ID!) { node(id: $id) { id ... on Clinic { name } } }`,
      { id: Buffer.from(`Clinic:${clinicId}`).toString('base64url') },
    );
    expect(clinic.data?.node.name).toMatch(/^Clinic /);
  });
});
