// The directory's graph without a cache, so that SQL statements can be counted: specialties,
// each clinic's doctors (one statement for any number of clinics), totalCount (one COUNT per list,
// only when asked), node(id) for every type implementing Node, and how to join video and phone
// appointments.
import { isObjectType, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { buildBareSchema } from '../../src/graphql/schema.js';
import { useTestApi } from '../harness/api.js';
import {
  createPrescription,
  medicationId,
  createAppointment,
  createAppointmentType,
  createClinic,
  createDoctor,
  createPatient,
  createSpecialty,
  createStaff,
  createWeeklyHours,
  nextWeekday,
} from '../factories.js';

const api = useTestApi({ manualJobs: true, uncached: true });
const prisma = () => api.database.prisma;

/** An operation's answer and the SQL statements it cost. */
async function measured<T>(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const before = api.database.statementCount;
  const response = await api.graphql<T>(query, variables, token);
  return { ...response, statements: api.database.statementCount - before };
}

describe('specialties', () => {
  it('lists codes with names in English and French, publicly cacheable', async () => {
    const specialty = await createSpecialty(prisma(), `neuro_${Date.now().toString(36).replace(/\d/g, 'x')}`);
    const response = await api.graphql<{ specialties: Array<{ id: string; code: string; en: string; fr: string }> }>(
      '{ specialties { id code en: name(language: EN) fr: name(language: FR) } }',
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.specialties).toContainEqual({
      id: toGlobalId('Specialty', specialty.id),
      code: specialty.code,
      en: specialty.nameEn,
      fr: specialty.nameFr,
    });
    const codes = response.data!.specialties.map((item) => item.code);
    expect(codes).toEqual([...codes].sort());
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
  });
});

describe("a clinic's doctors", () => {
  let clinics: Array<Awaited<ReturnType<typeof createClinic>>>;

  beforeAll(async () => {
    clinics = [];
    for (let i = 0; i < 5; i += 1) clinics.push(await createClinic(prisma()));
    // Clinic i has i + 2 doctors; one more at clinic 0 is suspended and one has left it.
    for (const [i, clinic] of clinics.entries()) {
      for (let k = 0; k < i + 2; k += 1)
        await createDoctor(prisma(), { clinicIds: [clinic.id], lastName: `Zed${i}${String.fromCharCode(97 + k)}` });
    }
    const suspended = await createDoctor(prisma(), { clinicIds: [clinics[0].id] });
    await prisma().user.update({ where: { id: suspended.userId }, data: { status: 'suspended' } });
    const left = await createDoctor(prisma(), { clinicIds: [clinics[0].id] });
    await prisma().clinicStaff.updateMany({ where: { userId: left.userId }, data: { isActive: false } });
  });

  const query = (count: number) =>
    `query { ${clinics
      .slice(0, count)
      .map(
        (clinic, i) =>
          `c${i}: clinic(id: "${clinic.globalId}") { doctors(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { lastName specialties { code } } } } }`,
      )
      .join(' ')} }`;
  type Pages = Record<
    string,
    { doctors: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: { lastName: string } }> } }
  >;

  it('are the active doctors working there, in name order, paged, counted', async () => {
    const first = await api.graphql<Pages>(query(5));
    expect(first.errors).toBeUndefined();
    for (const [i] of clinics.entries()) {
      const { doctors } = first.data![`c${i}`];
      expect(doctors.totalCount).toBe(i + 2);
      expect(doctors.edges.map((edge) => edge.node.lastName)).toEqual([`Zed${i}a`, `Zed${i}b`]);
      expect(doctors.pageInfo.hasNextPage).toBe(i > 0);
    }
    const next = await api.graphql<{ clinic: Pages[string] }>(
      `query($id: ID!, $after: String) { clinic(id: $id) { doctors(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { lastName } } } } }`,
      {
        id: clinics[4].globalId,
        after: first.data!.c4.doctors.pageInfo.endCursor,
      },
    );
    expect(next.data!.clinic.doctors.edges.map((edge) => edge.node.lastName)).toEqual(['Zed4c', 'Zed4d']);
  });

  it('cost as many SQL statements for five clinics as for two (batched, not one query per clinic)', async () => {
    const two = await measured<Pages>(query(2));
    const five = await measured<Pages>(query(5));
    expect(two.errors).toBeUndefined();
    expect(five.errors).toBeUndefined();
    expect(five.statements).toBe(two.statements);
  });
});

describe('totalCount', () => {
  it('is counted only when asked, with one COUNT for the list, whatever the page size', async () => {
    const clinic = await createClinic(prisma());
    for (let i = 0; i < 6; i += 1) await createDoctor(prisma(), { clinicIds: [clinic.id], languages: ['en'] });
    const list = (first: number, counted: boolean) =>
      `query($c: ID!) { doctors(first: ${first}, filter: { clinicId: $c }) { ${counted ? 'totalCount' : ''} edges { node { id } } } }`;
    const without = await measured<{ doctors: { edges: unknown[] } }>(list(2, false), { c: clinic.globalId });
    const withTwo = await measured<{ doctors: { totalCount: number; edges: unknown[] } }>(list(2, true), { c: clinic.globalId });
    const withSix = await measured<{ doctors: { totalCount: number; edges: unknown[] } }>(list(6, true), { c: clinic.globalId });
    expect(withTwo.data!.doctors.totalCount).toBe(6);
    expect(withTwo.data!.doctors.edges).toHaveLength(2);
    expect(withTwo.statements).toBe(without.statements + 1);
    expect(withSix.statements).toBe(withTwo.statements);
  });

  it('counts the whole filtered list on appointment connections', async () => {
    const clinic = await createClinic(prisma());
    const doctor = await createDoctor(prisma(), { clinicIds: [clinic.id] });
    const type = await createAppointmentType(prisma());
    const receptionist = await api.token(await createStaff(prisma(), 'receptionist', clinic.id));
    const start = new Date(`${nextWeekday(3)}T08:00:00.000Z`);
    for (let i = 0; i < 3; i += 1) {
      const patient = await createPatient(prisma(), { clinicId: clinic.id });
      await createAppointment(prisma(), {
        patientId: patient.userId,
        doctorId: doctor.doctorId,
        clinicId: clinic.id,
        appointmentTypeId: type.id,
        startsAt: new Date(start.getTime() + i * 3_600_000),
        status: i === 2 ? 'cancelled' : 'booked',
      });
    }
    const page = await api.graphql<{ all: { totalCount: number; edges: unknown[] }; booked: { totalCount: number } }>(
      `query($c: ID!, $from: DateTime!, $to: DateTime!) { all: clinicAppointments(clinicId: $c, from: $from, to: $to, first: 1) { totalCount edges { cursor } } booked: clinicAppointments(clinicId: $c, from: $from, to: $to, status: BOOKED, first: 1) { totalCount } }`,
      {
        c: clinic.globalId,
        from: new Date(start.getTime() - 3_600_000).toISOString(),
        to: new Date(start.getTime() + 86_400_000).toISOString(),
      },
      receptionist,
    );
    expect(page.errors).toBeUndefined();
    expect(page.data).toMatchObject({ all: { totalCount: 3 }, booked: { totalCount: 2 } });
    expect(page.data!.all.edges).toHaveLength(1);
  });
});

describe('node(id)', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildBareSchema();
  });

  /** For each type implementing Node: an object of it, and a caller allowed to see it. */
  async function examples(): Promise<Record<string, { id: string; token?: string }>> {
    const clinic = await createClinic(prisma());
    const doctor = await createDoctor(prisma(), { clinicIds: [clinic.id] });
    const patient = await createPatient(prisma(), { clinicId: clinic.id });
    const type = await createAppointmentType(prisma());
    const specialty = await createSpecialty(prisma());
    const appointment = await createAppointment(prisma(), {
      patientId: patient.userId,
      doctorId: doctor.doctorId,
      clinicId: clinic.id,
      appointmentTypeId: type.id,
      startsAt: new Date(`${nextWeekday(4)}T09:00:00.000Z`),
    });
    const patientToken = await api.token(patient);
    // An encounter exists once a visit that has started is completed (and the outbox relayed).
    const visit = await createAppointment(prisma(), {
      patientId: patient.userId,
      doctorId: doctor.doctorId,
      clinicId: clinic.id,
      appointmentTypeId: type.id,
      startsAt: new Date(Date.now() - 3_600_000),
      status: 'in_consultation',
    });
    const completed = await api.graphql(
      'mutation($id: ID!) { completeAppointment(appointmentId: $id, encounter: { chiefComplaint: "Cough", diagnoses: [] }) { status } }',
      { id: visit.globalId },
      await api.token(doctor),
    );
    expect(completed.errors).toBeUndefined();
    await api.relayOutbox();
    return {
      Clinic: { id: clinic.globalId },
      Doctor: { id: doctor.globalId },
      Specialty: { id: toGlobalId('Specialty', specialty.id) },
      AppointmentType: { id: type.globalId },
      Patient: { id: patient.globalId, token: patientToken },
      Appointment: { id: appointment.globalId, token: patientToken },
      Encounter: { id: toGlobalId('Encounter', visit.id), token: patientToken },
      Prescription: {
        id: (await createPrescription(prisma(), { patientId: patient.userId, prescriberId: doctor.userId, clinicId: clinic.id })).globalId,
        token: patientToken,
      },
      Medication: { id: await medicationId(prisma(), 'amoxicillin'), token: patientToken },
    };
  }

  it('refetches one object of every type that implements Node', async () => {
    const nodeType = schema.getType('Node');
    if (!nodeType || !('getFields' in nodeType)) throw new Error('no Node interface');
    const implementations = Object.values(schema.getTypeMap())
      .filter((type) => isObjectType(type) && type.getInterfaces().some((iface) => iface.name === 'Node'))
      .map((type) => type.name)
      .sort();
    expect(implementations.length).toBeGreaterThan(0);
    const known = await examples();
    // A new Node type needs an example here (and node(id) support): the test names it until then.
    expect(implementations.filter((name) => !(name in known))).toEqual([]);
    for (const name of implementations) {
      const { id, token } = known[name];
      const response = await api.graphql<{ node: { __typename: string; id: string } | null }>(
        'query($id: ID!) { node(id: $id) { __typename id } }',
        { id },
        token,
      );
      expect(response.errors, name).toBeUndefined();
      expect(response.data!.node, name).toEqual({ __typename: name, id });
    }
  });
});

describe('joining video and phone appointments', () => {
  let clinic: Awaited<ReturnType<typeof createClinic>>;
  let doctor: Awaited<ReturnType<typeof createDoctor>>;
  const day = nextWeekday(2);
  const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id mode joinInfo { mode url phone } } }`;
  const JOIN = `query($id: ID!) { node(id: $id) { ... on Appointment { joinInfo { mode url phone } } } }`;
  type Booked = {
    bookAppointment: { id: string; mode: string; joinInfo: { mode: string; url: string | null; phone: string | null } | null };
  };

  beforeAll(async () => {
    clinic = await createClinic(prisma());
    await prisma().clinic.update({ where: { id: clinic.id }, data: { phone: '+237699000111' } });
    doctor = await createDoctor(prisma(), { clinicIds: [clinic.id] });
    await createWeeklyHours(prisma(), doctor.doctorId, clinic.id, [{ dayOfWeek: 2, from: '08:00', to: '12:00' }]);
  });

  async function book(modes: Array<'video' | 'phone' | 'in_person'>, at: string, mode?: string) {
    const type = await prisma().appointmentType.create({
      data: {
        code: `join_${Math.random().toString(36).slice(2, 10)}`,
        nameEn: 'x',
        nameFr: 'x',
        durationMinutes: 30,
        priceMinor: 0,
        modes,
      },
    });
    const patient = await createPatient(prisma(), { clinicId: clinic.id });
    const token = await api.token(patient);
    const response = await api.graphql<Booked>(
      BOOK,
      {
        input: {
          doctorId: doctor.globalId,
          clinicId: clinic.globalId,
          appointmentTypeId: toGlobalId('AppointmentType', type.id),
          startsAt: new Date(`${day}T${at}:00.000+01:00`).toISOString(),
          ...(mode ? { mode } : {}),
        },
      },
      token,
    );
    return { response, token };
  }

  it('gives a video appointment its own unguessable room on the configured server, seen by the patient and the clinic, no one else', async () => {
    const first = await book(['video'], '08:00');
    const second = await book(['in_person', 'video'], '08:30', 'VIDEO');
    expect(first.response.errors).toBeUndefined();
    const links = [first, second].map(({ response }) => response.data!.bookAppointment.joinInfo!.url!);
    for (const link of links) expect(link).toMatch(/^https:\/\/meet\.jit\.si\/consultation-[0-9a-f]{32}$/);
    expect(links[0]).not.toBe(links[1]);
    const id = first.response.data!.bookAppointment.id;
    const seen = async (token?: string) => await api.graphql<{ node: { joinInfo: { url: string } | null } | null }>(JOIN, { id }, token);
    expect((await seen(first.token)).data!.node!.joinInfo!.url).toBe(links[0]);
    expect((await seen(await api.token(doctor))).data!.node!.joinInfo!.url).toBe(links[0]);
    expect((await seen(await api.token(await createStaff(prisma(), 'receptionist', clinic.id)))).data!.node!.joinInfo!.url).toBe(links[0]);
    const otherClinic = await createClinic(prisma());
    for (const outsider of [second.token, await api.token(await createStaff(prisma(), 'receptionist', otherClinic.id)), undefined]) {
      const response = await seen(outsider);
      expect(JSON.stringify(response.data ?? {})).not.toContain(links[0]);
      expect(response.errors?.[0]?.extensions?.code).toMatch(/FORBIDDEN|UNAUTHENTICATED/);
    }
    // Once cancelled there is nothing to join.
    await api.graphql(`mutation($id: ID!) { cancelAppointment(appointmentId: $id, reason: "Travelling") { status } }`, { id }, first.token);
    expect((await seen(first.token)).data!.node!.joinInfo).toBeNull();
  });

  it("gives a phone appointment the clinic's number, and an in-person one nothing to join", async () => {
    const phone = await book(['phone'], '09:00');
    expect(phone.response.data!.bookAppointment).toMatchObject({
      mode: 'PHONE',
      joinInfo: { mode: 'PHONE', url: null, phone: '+237699000111' },
    });
    const inPerson = await book(['in_person', 'video'], '09:30');
    expect(inPerson.response.data!.bookAppointment).toMatchObject({ mode: 'IN_PERSON', joinInfo: null });
    const refused = await book(['in_person'], '10:00', 'VIDEO');
    expect(refused.response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['input', 'mode'] }] });
  });
});
