// Hand-made cursors on every list of the graph: each connection field is found in the schema (so a
// new list is covered the day it is added, or this test says what it needs to call it), called as
// someone allowed to, and must answer BAD_USER_INPUT at `after`: never a database error, never a
// silently empty page.
import { getNamedType, isNonNullType, isObjectType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBareSchema } from '../../src/graphql/schema.js';
import { createClinic, createDoctor, createPatient, createRecord, createStaff } from '../factories.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { useTestApi } from '../harness/api.js';

const api = useTestApi({ manualJobs: true });

const b64 = (json: string) => Buffer.from(json).toString('base64url');
const UUID = '00000000-0000-4000-8000-000000000000';
/** Cursors of no list's shape: wrong JSON, wrong arity, a bad instant, a bad uuid, another list's tag, wrong types, too long. */
const CRAFTED: Record<string, string> = {
  'not base64 JSON': 'garbage!!',
  'an empty key': b64('[]'),
  'an object': b64('{"startsAt":"2024-01-01T00:00:00.000Z"}'),
  'an instant and a bad uuid': b64('["2024-01-01T00:00:00.000Z","not-a-uuid"]'),
  'a bad instant and a uuid': b64(`["not-a-date","${UUID}"]`),
  'an impossible date': b64(`["2024-02-30T00:00:00.000Z","${UUID}"]`),
  'an instant in another format': b64(`["2024-01-01 00:00:00","${UUID}"]`),
  'names and an injection': b64('["Mbarga","Paul","x\' OR \'1\'=\'1"]'),
  'a zero sequence': b64('["trail",0]'),
  'a fractional sequence': b64('["viewers",1.5]'),
  'a sequence as text': b64('["trail","1"]'),
  "another list's tag": b64('["elsewhere",1]'),
  nulls: b64('[null,null,null]'),
  'an overflowing number': b64('[1e999,1]'),
  'too long': 'A'.repeat(600),
};

interface Caller {
  token: string;
  /** Ids of an instance of each type that has a list, to reach it through node(id:). */
  instances: Record<string, string>;
}

/** Values for the required arguments of lists, by argument name. */
let argumentValues: Record<string, unknown> = {};
let callers: Caller[] = [];
let schema: GraphQLSchema;

beforeAll(async () => {
  schema = await buildBareSchema();
  const prisma = api.database.prisma;
  const clinic = await createClinic(prisma);
  const doctor = await createDoctor(prisma, { clinicIds: [clinic.id] });
  const patient = await createPatient(prisma, { clinicId: clinic.id, clinicianIds: [doctor.userId] });
  await createRecord(api.mongo.db, patient.userId);
  const admin = await createStaff(prisma, 'admin', clinic.id);
  const now = Date.now();
  argumentValues = {
    clinicId: clinic.globalId,
    pharmacyId: toGlobalId('Pharmacy', (await prisma.pharmacy.findFirstOrThrow({ where: { clinicId: clinic.id, kind: 'dispensary' } })).id),
    patientId: patient.globalId,
    doctorId: doctor.globalId,
    search: { text: 'Pat' },
    date: new Date(now).toISOString().slice(0, 10),
    from: new Date(now - 86_400_000).toISOString(),
    to: new Date(now + 86_400_000).toISOString(),
  };
  const instances = { Patient: patient.globalId, Clinic: clinic.globalId, Doctor: doctor.globalId };
  // Tried in this order until one may call the list: an admin, the patient's doctor, the patient.
  callers = [
    { token: await api.token(admin), instances },
    { token: await api.token(doctor), instances },
    { token: await api.token(patient), instances },
  ];
});

interface ListField {
  coordinate: string;
  parent: string;
  field: GraphQLField<unknown, unknown>;
}

function connectionFields(): ListField[] {
  const found: ListField[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (getNamedType(field.type).name.endsWith('Connection'))
        found.push({ coordinate: `${type.name}.${field.name}`, parent: type.name, field });
    }
  }
  return found;
}

/** The operation that calls `list` with `after`, and its variables; throws naming what it lacks. */
function operation(list: ListField, instances: Record<string, string>): { query: string; variables: Record<string, unknown> } {
  const declarations = ['$after: String'];
  const variables: Record<string, unknown> = {};
  const args = ['first: 5', 'after: $after'];
  for (const arg of list.field.args) {
    if (arg.name === 'first' || arg.name === 'after' || !isNonNullType(arg.type) || arg.defaultValue !== undefined) continue;
    if (!(arg.name in argumentValues))
      throw new Error(`${list.coordinate} needs a value for its argument "${arg.name}": add one to argumentValues`);
    declarations.push(`$${arg.name}: ${String(arg.type)}`);
    variables[arg.name] = argumentValues[arg.name];
    args.push(`${arg.name}: $${arg.name}`);
  }
  const selection = `${list.field.name}(${args.join(', ')}) { edges { cursor } pageInfo { endCursor } }`;
  if (list.parent === 'Query') return { query: `query(${declarations.join(', ')}) { ${selection} }`, variables };
  if (!(list.parent in instances)) throw new Error(`${list.coordinate}: add an instance of ${list.parent} to reach it through node(id:)`);
  declarations.push('$node: ID!');
  variables.node = instances[list.parent];
  return { query: `query(${declarations.join(', ')}) { node(id: $node) { ... on ${list.parent} { ${selection} } } }`, variables };
}

type Reply = Awaited<ReturnType<typeof api.graphql>>;
const refusedAccess = (reply: Reply) => ['FORBIDDEN', 'UNAUTHENTICATED'].includes(String(reply.errors?.[0]?.extensions?.code));

/** Someone who may call the list: their call without a cursor answers without error. */
async function allowedCaller(list: ListField): Promise<{ token: string; query: string; variables: Record<string, unknown> }> {
  for (const caller of callers) {
    const { query, variables } = operation(list, caller.instances);
    const reply = await api.graphql(query, { ...variables, after: null }, caller.token);
    if (refusedAccess(reply)) continue;
    expect(reply.errors, `${list.coordinate} without a cursor`).toBeUndefined();
    return { token: caller.token, query, variables };
  }
  throw new Error(`${list.coordinate}: none of the test's callers may call it; add one who may`);
}

describe('hand-made cursors', () => {
  it('finds the lists of the graph in its schema', () => {
    const coordinates = connectionFields().map((list) => list.coordinate);
    // The lists there were when this test was written; more may come, none may go unnoticed.
    expect(coordinates).toEqual(
      expect.arrayContaining([
        'Query.doctors',
        'Query.myAppointments',
        'Query.clinicAppointments',
        'Query.doctorSchedule',
        'Query.auditTrail',
        'Query.whoViewedMyRecord',
        'Query.emergencyAccessGrants',
        'Query.patients',
        'Patient.encounters',
        'Clinic.doctors',
        'Clinic.staff',
      ]),
    );
  });

  it('are BAD_USER_INPUT at `after` on every list, with no data and no internal error', async () => {
    const lists = connectionFields();
    const checked: string[] = [];
    for (const list of lists) {
      const { token, query, variables } = await allowedCaller(list);
      for (const [what, cursor] of Object.entries(CRAFTED)) {
        const reply = await api.graphql(query, { ...variables, after: cursor }, token);
        const label = `${list.coordinate} with ${what}`;
        expect(reply.status, label).toBe(200);
        expect(
          reply.errors?.map((error) => error.extensions?.code),
          label,
        ).toEqual(['BAD_USER_INPUT']);
        expect(reply.errors?.[0].extensions?.fields, label).toEqual([expect.objectContaining({ path: ['after'] })]);
        expect(JSON.stringify(reply.data ?? null), label).not.toContain('edges');
      }
      checked.push(list.coordinate);
    }
    expect(checked).toEqual(lists.map((list) => list.coordinate));
  });

  it('still accept the cursors the lists give out', async () => {
    const prisma = api.database.prisma;
    const clinic = await createClinic(prisma);
    for (let i = 0; i < 3; i++) await createDoctor(prisma, { clinicIds: [clinic.id] });
    const PAGE = `query($c: ID!, $after: String) { doctors(filter: { clinicId: $c }, first: 2, after: $after) { edges { node { id } } pageInfo { endCursor hasNextPage } } }`;
    type Page = { doctors: { edges: Array<{ node: { id: string } }>; pageInfo: { endCursor: string; hasNextPage: boolean } } };
    const first = await api.graphql<Page>(PAGE, { c: clinic.globalId, after: null });
    expect(first.data!.doctors.pageInfo.hasNextPage).toBe(true);
    const second = await api.graphql<Page>(PAGE, { c: clinic.globalId, after: first.data!.doctors.pageInfo.endCursor });
    expect(second.errors).toBeUndefined();
    expect(second.data!.doctors.edges).toHaveLength(1);
  });
});
