// Persisted operations: the manifest partners run by id, partner API keys (safelist, own cost
// budget, one clinic), and automatic persisted queries for first-party clients.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { buildSchema, parse, validate, type OperationDefinitionNode } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, PersistedOperations } from '../../src/graphql/persisted/index.js';
import { PartnerKeysRepository, PartnerKeysService } from '../../src/modules/partners/index.js';
import { createClinic, createPatient, createStaff } from '../factories.js';
import { TEST_CLIENT, useTestApi } from '../harness/api.js';

const api = useTestApi({ manualJobs: true });

interface Manifest {
  format: string;
  version: number;
  operations: Array<{ id: string; name: string; type: 'query' | 'mutation'; body: string }>;
}
const manifest = JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')) as Manifest;
const idOf = (name: string) => manifest.operations.find((operation) => operation.name === name)!.id;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Reply {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

async function send(body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

const byId = (id: string, variables: Record<string, unknown> = {}) => ({
  variables,
  extensions: { persistedQuery: { version: 1, sha256Hash: id } },
});
const codeOf = (reply: Reply) => reply.errors?.[0]?.extensions?.code;

let keys: PartnerKeysService;
let clinicA: Awaited<ReturnType<typeof createClinic>>;
let clinicB: Awaited<ReturnType<typeof createClinic>>;
let partnerA = '';

beforeAll(async () => {
  keys = new PartnerKeysService(new PartnerKeysRepository(api.database.prisma));
  clinicA = await createClinic(api.database.prisma, { name: 'Partner Clinic A' });
  clinicB = await createClinic(api.database.prisma, { name: 'Partner Clinic B' });
  partnerA = (await keys.issue({ clinicId: clinicA.id, name: 'Booking portal', costBudget: 3000 })).key;
});

describe('the persisted-operation manifest', () => {
  it('holds every operation in operations/, each id the SHA-256 of its body, each body valid against the schema', () => {
    const schema = buildSchema(readFileSync('schema.graphql', 'utf8'));
    const files = readdirSync('operations').filter((file) => file.endsWith('.graphql'));
    const names = files.flatMap((file) =>
      parse(readFileSync(`operations/${file}`, 'utf8')).definitions.map(
        (definition) => (definition as OperationDefinitionNode).name!.value,
      ),
    );
    expect(manifest).toMatchObject({ format: 'apollo-persisted-query-manifest', version: 1 });
    expect(manifest.operations.map((operation) => operation.name).sort()).toEqual(names.sort());
    for (const operation of manifest.operations) {
      expect(operation.id).toBe(sha256(operation.body));
      expect(validate(schema, parse(operation.body))).toEqual([]);
    }
  });

  it('refuses to load an entry whose id is not the hash of its body', () => {
    const [first] = manifest.operations;
    expect(() => new PersistedOperations([{ ...first, body: `${first.body}\n` }])).toThrow(/not the SHA-256/);
  });
});

describe('a partner API key', () => {
  it('runs a manifest operation by id, over POST and GET', async () => {
    const posted = await send(byId(idOf('Clinic'), { id: clinicA.globalId }), { 'x-api-key': partnerA });
    expect(posted).toMatchObject({
      status: 200,
      data: { clinic: { id: clinicA.globalId, name: 'Partner Clinic A', __typename: 'Clinic' } },
    });
    const search = new URLSearchParams({
      variables: JSON.stringify({ id: clinicB.globalId }),
      extensions: JSON.stringify(byId(idOf('Clinic')).extensions),
    });
    const got = await fetch(`${api.url}?${search}`, { headers: { 'x-api-key': partnerA, 'apollo-require-preflight': 'true' } });
    expect(await got.json()).toMatchObject({ data: { clinic: { name: 'Partner Clinic B' } } });
  });

  it('gets PERSISTED_QUERY_NOT_FOUND for an operation the manifest does not list, and nothing runs', async () => {
    const reply = await send(byId(sha256('{ clinics { id name } }')), { 'x-api-key': partnerA });
    expect(codeOf(reply)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(reply.data).toBeUndefined();
  });

  it('is FORBIDDEN to send a document, even one the manifest holds', async () => {
    const clinics = manifest.operations.find((operation) => operation.name === 'Clinics')!;
    for (const body of [{ query: '{ clinics { id } }' }, { query: clinics.body, ...byId(clinics.id) }]) {
      const reply = await send(body, { 'x-api-key': partnerA });
      expect(reply.status).toBe(403);
      expect(codeOf(reply)).toBe('FORBIDDEN');
      expect(reply.data).toBeUndefined();
    }
  });

  it('never reaches the documents first-party clients registered as automatic persisted queries', async () => {
    const query = '{ clinics { id } }';
    expect((await send({ query, ...byId(sha256(query)) }, { 'apollographql-client-name': TEST_CLIENT })).data).toMatchObject({
      clinics: expect.any(Array),
    });
    expect((await send(byId(sha256(query)))).data).toMatchObject({ clinics: expect.any(Array) });
    expect(codeOf(await send(byId(sha256(query)), { 'x-api-key': partnerA }))).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('is UNAUTHENTICATED when malformed, unknown or revoked', async () => {
    const revoked = await keys.issue({ clinicId: clinicA.id, name: 'Old portal', costBudget: 3000 });
    expect(await keys.revoke(revoked.keyId)).toBe(true);
    for (const key of ['nonsense', `ck_${'A'.repeat(43)}`, revoked.key]) {
      const reply = await send(byId(idOf('Clinics')), { 'x-api-key': key });
      expect(reply.status).toBe(401);
      expect(codeOf(reply)).toBe('UNAUTHENTICATED');
    }
  });

  it('has a cost budget of its own', async () => {
    const small = await keys.issue({ clinicId: clinicA.id, name: 'Small portal', costBudget: 100 });
    const page = byId(idOf('DoctorDirectory'), { first: 100 });
    const refused = await send(page, { 'x-api-key': small.key });
    expect(codeOf(refused)).toBe('QUERY_TOO_COMPLEX');
    expect(refused.errors?.[0].message).toMatch(/this API key is 100/);
    expect((await send(page, { 'x-api-key': partnerA })).data).toMatchObject({ doctors: { edges: expect.any(Array) } });
  });

  it('reaches only its own clinic: staff of another clinic lose their access through it', async () => {
    const nurse = await createStaff(api.database.prisma, 'nurse', clinicB.id);
    const patient = await createPatient(api.database.prisma, { clinicId: clinicB.id });
    const headers = { authorization: `Bearer ${await api.token(nurse)}` };
    const chart = byId(idOf('PatientChart'), { id: patient.globalId });
    expect((await send(chart, { ...headers, 'apollographql-client-name': TEST_CLIENT })).data).toMatchObject({
      patient: { id: patient.globalId },
    });
    const throughPartner = await send(chart, { ...headers, 'x-api-key': partnerA });
    expect(codeOf(throughPartner)).toBe('FORBIDDEN');
    expect(throughPartner.data?.patient ?? null).toBeNull();
    const partnerB = (await keys.issue({ clinicId: clinicB.id, name: 'Clinic B portal', costBudget: 3000 })).key;
    expect((await send(chart, { ...headers, 'x-api-key': partnerB })).data).toMatchObject({ patient: { id: patient.globalId } });
  });
});

describe('automatic persisted queries (first-party clients)', () => {
  it('asks for the document once, then runs the hash alone', async () => {
    const query = '{ appointmentTypes { code } }';
    expect(codeOf(await send(byId(sha256(query))))).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await send({ query, ...byId(sha256(query)) })).data).toEqual({ appointmentTypes: expect.any(Array) });
    expect((await send(byId(sha256(query)))).data).toEqual({ appointmentTypes: expect.any(Array) });
  });

  it("refuses a hash that is not the document's with a code of its own, and keeps nothing under it", async () => {
    const hash = sha256('{ clinics { name } }');
    for (const request of [
      (): Promise<Reply> => send({ query: '{ clinics { id } }', ...byId(hash) }),
      () =>
        fetch(`${api.url}?${new URLSearchParams({ query: '{ clinics { id } }', extensions: JSON.stringify(byId(hash).extensions) })}`, {
          headers: { 'apollo-require-preflight': 'true' },
        }).then(async (response): Promise<Reply> => ({ status: response.status, ...((await response.json()) as object) })),
    ]) {
      const reply = await request();
      expect(reply.status).toBe(400);
      expect(codeOf(reply)).toBe('PERSISTED_QUERY_HASH_MISMATCH');
      expect(reply.errors?.[0]?.message).toMatch(/sha256Hash/);
      expect(reply.data).toBeUndefined();
    }
    expect(codeOf(await send(byId(hash)))).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
