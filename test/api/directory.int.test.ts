// The public directory: clinics and the doctor directory as a Relay connection, filtered, in
// name order, with every relation batched (constant SQL statements per page).
import { beforeAll, describe, expect, it } from 'vitest';
import { ClinicDocument, ClinicsDocument, DoctorDirectoryDocument, type DoctorDirectoryQuery } from '../../src/generated/operations.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { useTestApi, type GraphQLResponse } from '../harness/api.js';
import { createClinic, createDoctor, createSpecialty } from '../factories.js';

// No background jobs and no cache: the SQL counts measured here are those of the database path.
const api = useTestApi({ manualJobs: true, uncached: true });
let clinicA: Awaited<ReturnType<typeof createClinic>>;
let clinicB: Awaited<ReturnType<typeof createClinic>>;
const DOCTORS = 60;

beforeAll(async () => {
  const prisma = api.database.prisma;
  clinicA = await createClinic(prisma, { name: 'Clinique A', city: 'Douala' });
  clinicB = await createClinic(prisma, { name: 'Clinique B', city: 'Yaoundé' });
  const cardiology = await createSpecialty(prisma, 'cardiology');
  const pediatrics = await createSpecialty(prisma, 'pediatrics');
  for (let i = 0; i < DOCTORS; i++) {
    await createDoctor(prisma, {
      firstName: `Doc${String(i).padStart(2, '0')}`,
      lastName: ['Abena', 'Bilong', 'Ewane', 'Fouda', 'Ngo'][i % 5],
      clinicIds: i % 3 === 0 ? [clinicA.id, clinicB.id] : [i % 2 ? clinicA.id : clinicB.id],
      specialtyIds: i % 2 ? [cardiology.id, pediatrics.id] : [pediatrics.id],
      languages: i % 4 === 1 ? ['fr', 'en'] : ['fr'],
    });
  }
});

async function statementsFor(first: number) {
  const before = api.database.statementCount;
  const response = await api.graphql(DoctorDirectoryDocument, { first });
  expect(response.errors).toBeUndefined();
  return { statements: api.database.statementCount - before, edges: response.data!.doctors.edges };
}

describe('doctor directory', () => {
  it('a page of 50 doctors with clinics and specialties costs as many SQL statements as a page of 5', async () => {
    const small = await statementsFor(5);
    const large = await statementsFor(50);
    expect(large.edges).toHaveLength(50);
    expect(large.edges.every((edge) => edge.node.clinics.length > 0 && edge.node.specialties.length > 0)).toBe(true);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(8);
  });

  it('pages through every doctor exactly once, in last-name then first-name order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const response: GraphQLResponse<DoctorDirectoryQuery> = await api.graphql(DoctorDirectoryDocument, { first: 7, after });
      const { edges, pageInfo } = response.data!.doctors;
      seen.push(...edges.map((edge) => edge.node.displayName));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen).toHaveLength(DOCTORS);
    expect(new Set(seen).size).toBe(DOCTORS);
    const key = (name: string) => {
      const [, first, last] = name.split(' ');
      return `${last} ${first}`;
    };
    expect(seen.map(key)).toEqual([...seen.map(key)].sort());
  });

  it('filters by specialty, clinic and language, together', async () => {
    const bySpecialty = await api.graphql(DoctorDirectoryDocument, { first: 100, filter: { specialty: 'cardiology' } });
    expect(bySpecialty.data!.doctors.edges).toHaveLength(DOCTORS / 2);
    expect(bySpecialty.data!.doctors.edges.every((e) => e.node.specialties.some((s) => s.code === 'cardiology'))).toBe(true);

    const byClinic = await api.graphql(DoctorDirectoryDocument, { first: 100, filter: { clinicId: clinicA.globalId } });
    expect(byClinic.data!.doctors.edges.length).toBeGreaterThan(0);
    expect(byClinic.data!.doctors.edges.every((e) => e.node.clinics.some((c) => c.id === clinicA.globalId))).toBe(true);

    const combined = await api.graphql(DoctorDirectoryDocument, {
      first: 100,
      filter: { specialty: 'cardiology', clinicId: clinicA.globalId, language: 'EN' },
    });
    // Cardiology: odd i; clinic A: odd i or i % 3 === 0; English: i % 4 === 1.
    const expected = Array.from({ length: DOCTORS }, (_, i) => i).filter((i) => i % 2 === 1 && i % 4 === 1);
    expect(expected.length).toBeGreaterThan(0);
    expect(combined.data!.doctors.edges).toHaveLength(expected.length);
    expect(combined.data!.doctors.edges.every((e) => e.node.languages.includes('EN'))).toBe(true);
  });

  it('orders names as people read them (accents and case do not push a name to the end)', async () => {
    const clinic = await createClinic(api.database.prisma);
    for (const lastName of ['Zambo', 'Ébodé', 'eyenga', 'Ateba', 'Ebode'])
      await createDoctor(api.database.prisma, { firstName: 'Sam', lastName, clinicIds: [clinic.id] });
    const names: string[] = [];
    let after: string | null = null;
    do {
      const response: GraphQLResponse<DoctorDirectoryQuery> = await api.graphql(DoctorDirectoryDocument, {
        first: 2,
        after,
        filter: { clinicId: clinic.globalId },
      });
      names.push(...response.data!.doctors.edges.map((edge) => edge.node.displayName.replace('Dr Sam ', '')));
      after = response.data!.doctors.pageInfo.hasNextPage ? response.data!.doctors.pageInfo.endCursor : null;
    } while (after);
    expect(names).toEqual(['Ateba', 'Ebode', 'Ébodé', 'eyenga', 'Zambo']);
  });

  it('names specialties in the language asked for', async () => {
    const response = await api.graphql(DoctorDirectoryDocument, { first: 1, filter: { specialty: 'pediatrics' }, language: 'FR' });
    expect(response.data!.doctors.edges[0].node.specialties.map((s) => s.name)).toContain('Spécialité pediatrics');
  });

  it.each([
    [{ first: 0 }, ['first']],
    [{ first: 101 }, ['first']],
    [{ first: 10, after: 'not-a-cursor' }, ['after']],
    [{ first: 10, filter: { clinicId: 'bm90IGFuIGlk' } }, ['filter', 'clinicId']],
    [{ first: 10, filter: { specialty: 'Robert; DROP TABLE' } }, ['filter', 'specialty']],
  ])('refuses %j with BAD_USER_INPUT at the field', async (variables, path) => {
    const response = await api.graphql(DoctorDirectoryDocument, variables as never);
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const fields = (response.errors?.[0].extensions?.fields ?? []) as Array<{ path: string[] }>;
    expect(fields.map((field) => field.path)).toContainEqual(path);
  });
});

describe('clinics', () => {
  it('lists active clinics by city and finds one by id', async () => {
    const list = await api.graphql(ClinicsDocument);
    expect(list.data!.clinics.map((c) => c.name).filter((name) => name.startsWith('Clinique '))).toEqual(['Clinique A', 'Clinique B']);
    const one = await api.graphql(ClinicDocument, { id: clinicB.globalId });
    expect(one.data!.clinic).toMatchObject({ name: 'Clinique B', city: 'Yaoundé' });
  });

  it('answers NOT_FOUND for an id that names no clinic, and BAD_USER_INPUT for a doctor id', async () => {
    const missing = await api.graphql(ClinicDocument, { id: toGlobalId('Clinic', '00000000-0000-4000-8000-000000000000') });
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const wrongType = await api.graphql(ClinicDocument, { id: toGlobalId('Doctor', '00000000-0000-4000-8000-000000000000') });
    expect(wrongType.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['id'] }] });
  });
});
