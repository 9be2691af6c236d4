// Clinic administration through the API, with the shared Redis cache on: doctor profiles that take
// a new doctor account into the directory, partial updates, the clinic's appointment types, the
// staff list, reading back a doctor's hours, and who may do each of these.
import { beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { useTestApi } from '../harness/api.js';
import {
  createAppointmentType,
  createClinic,
  createDoctor,
  createPatient,
  createSpecialty,
  createStaff,
  createWeeklyHours,
  nextWeekday,
} from '../factories.js';

const api = useTestApi({ manualJobs: true });
const prisma = () => api.database.prisma;

const CREATE_STAFF = `mutation($input: CreateStaffAccountInput!) { createStaffAccount(input: $input) { id } }`;
const RESET = `mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }`;
const PROFILE =
  'id displayName licenseNumber bio medicalDegree languages consultationFee { amountMinor currency } specialties { code } clinics { id }';
const CREATE_PROFILE = `mutation($input: CreateDoctorProfileInput!) { createDoctorProfile(input: $input) { ${PROFILE} } }`;
const UPDATE_PROFILE = `mutation($id: ID!, $input: UpdateDoctorProfileInput!) { updateDoctorProfile(doctorId: $id, input: $input) { ${PROFILE} } }`;
const DIRECTORY = `query($clinic: ID!) { doctors(first: 50, filter: { clinicId: $clinic }) { totalCount edges { node { id licenseNumber } } } }`;
const TYPES = `query($clinic: ID) { appointmentTypes(clinicId: $clinic) { id code name nameFr: name(language: FR) durationMinutes price { amountMinor } modes active clinic { id } } }`;
const CREATE_TYPE = `mutation($input: CreateAppointmentTypeInput!) { createAppointmentType(input: $input) { id code modes active durationMinutes } }`;
const UPDATE_TYPE = `mutation($id: ID!, $input: UpdateAppointmentTypeInput!) { updateAppointmentType(id: $id, input: $input) { id code name nameFr: name(language: FR) durationMinutes price { amountMinor } modes active } }`;
const DEACTIVATE_TYPE = `mutation($id: ID!) { deactivateAppointmentType(id: $id) { active } }`;
const STAFF = `query($id: ID!, $role: Role, $after: String) { clinic(id: $id) { staff(first: 2, role: $role, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id firstName lastName role status } } } } }`;
const HOURS = `query($id: ID!, $from: DateTime!, $to: DateTime!) { doctor(id: $id) { weeklyAvailability { dayOfWeek startsAt endsAt breaks { startsAt endsAt } clinic { id } } availabilityExceptions(from: $from, to: $to) { kind startsAt endsAt clinic { id } } } }`;

type Clinic = Awaited<ReturnType<typeof createClinic>>;
let clinicA: Clinic;
let clinicB: Clinic;
let adminA: string;
let adminB: string;
let receptionistA: string;
let specialties: Array<{ id: string; code: string }>;

beforeAll(async () => {
  [clinicA, clinicB] = [await createClinic(prisma()), await createClinic(prisma())];
  adminA = await api.token(await createStaff(prisma(), 'admin', clinicA.id));
  adminB = await api.token(await createStaff(prisma(), 'admin', clinicB.id));
  receptionistA = await api.token(await createStaff(prisma(), 'receptionist', clinicA.id));
  // Codes of letters only, as the API takes them.
  const letters = () => Math.random().toString(36).slice(2, 12).replace(/\d/g, 'x');
  specialties = [await createSpecialty(prisma(), `cardio_${letters()}`), await createSpecialty(prisma(), `derma_${letters()}`)];
});

/** A new doctor account at clinic A, as an admin creates it; `activate` sets its password (the account becomes active). */
async function newDoctorAccount(activate: boolean): Promise<{ userId: string; email: string }> {
  const email = `new.doctor.${Math.random().toString(36).slice(2)}@test.clinic-graph.test`;
  const created = await api.graphql<{ createStaffAccount: { id: string } }>(
    CREATE_STAFF,
    { input: { email, role: 'DOCTOR', clinicId: clinicA.globalId, firstName: 'Nouveau', lastName: 'Docteur' } },
    adminA,
  );
  expect(created.errors).toBeUndefined();
  if (activate)
    expect(
      (await api.graphql(RESET, { t: api.notifier.last(email, 'staff_account_setup')!.data.token, p: 'Harmattan-Wind-77' })).errors,
    ).toBeUndefined();
  return { userId: created.data!.createStaffAccount.id, email };
}

const profileInput = (userId: string, overrides: Record<string, unknown> = {}) => ({
  userId,
  licenseNumber: `CM-ONMC-${Math.floor(Math.random() * 1e9)}`,
  specialties: [specialties[0].code],
  consultationFeeXaf: 12_500,
  languages: ['FR', 'EN'],
  clinicIds: [clinicA.globalId],
  bio: 'Cardiologue.',
  ...overrides,
});

describe('doctor profiles', () => {
  it('take a new doctor account into the directory (and its cache) once it is active', async () => {
    const before = await api.graphql<{ doctors: { totalCount: number; edges: unknown[] } }>(DIRECTORY, { clinic: clinicA.globalId });
    expect(before.errors).toBeUndefined();
    const account = await newDoctorAccount(true);
    const created = await api.graphql<{ createDoctorProfile: Record<string, unknown> }>(
      CREATE_PROFILE,
      { input: profileInput(account.userId) },
      adminA,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createDoctorProfile).toMatchObject({
      displayName: 'Dr Nouveau Docteur',
      bio: 'Cardiologue.',
      languages: ['FR', 'EN'],
      consultationFee: { amountMinor: 12_500, currency: 'XAF' },
      specialties: [{ code: specialties[0].code }],
      clinics: [{ id: clinicA.globalId }],
    });
    const after = await api.graphql<{ doctors: { totalCount: number; edges: Array<{ node: { id: string } }> } }>(DIRECTORY, {
      clinic: clinicA.globalId,
    });
    expect(after.data!.doctors.totalCount).toBe(before.data!.doctors.totalCount + 1);
    expect(after.data!.doctors.edges.map((edge) => edge.node.id)).toContain(created.data!.createDoctorProfile.id);
  });

  it('list a pending account only once its owner has set a password', async () => {
    const account = await newDoctorAccount(false);
    const created = await api.graphql<{ createDoctorProfile: { id: string } }>(
      CREATE_PROFILE,
      { input: profileInput(account.userId) },
      adminA,
    );
    expect(created.errors).toBeUndefined();
    const listed = async () =>
      (
        await api.graphql<{ doctors: { edges: Array<{ node: { id: string } }> } }>(DIRECTORY, { clinic: clinicA.globalId })
      ).data!.doctors.edges.map((edge) => edge.node.id);
    expect(await listed()).not.toContain(created.data!.createDoctorProfile.id);
    await api.graphql(RESET, { t: api.notifier.last(account.email, 'staff_account_setup')!.data.token, p: 'Harmattan-Wind-77' });
    expect(await listed()).toContain(created.data!.createDoctorProfile.id);
  });

  it('change only the fields sent; null clears what may be empty and is refused for the rest', async () => {
    const account = await newDoctorAccount(true);
    const { id } = (
      await api.graphql<{ createDoctorProfile: { id: string } }>(
        CREATE_PROFILE,
        { input: profileInput(account.userId, { medicalDegree: 'MD' }) },
        adminA,
      )
    ).data!.createDoctorProfile;
    const changed = await api.graphql<{ updateDoctorProfile: Record<string, unknown> }>(
      UPDATE_PROFILE,
      { id, input: { bio: null, consultationFeeXaf: 20_000, specialties: [specialties[1].code, specialties[0].code] } },
      adminA,
    );
    expect(changed.errors, JSON.stringify(changed.errors)).toBeUndefined();
    expect(changed.data!.updateDoctorProfile).toMatchObject({
      bio: null,
      medicalDegree: 'MD',
      languages: ['FR', 'EN'],
      consultationFee: { amountMinor: 20_000 },
      specialties: [{ code: specialties[1].code }, { code: specialties[0].code }],
    });
    // What the directory shows changed too (its cache was made stale).
    const shown = await api.graphql<{ doctor: { bio: string | null; consultationFee: { amountMinor: number } } }>(
      `query($id: ID!) { doctor(id: $id) { bio consultationFee { amountMinor } } }`,
      { id },
    );
    expect(shown.data!.doctor).toEqual({ bio: null, consultationFee: { amountMinor: 20_000 } });
    const refused = await api.graphql(UPDATE_PROFILE, { id, input: { licenseNumber: null, languages: null } }, adminA);
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: ['input', 'licenseNumber'] }, { path: ['input', 'languages'] }],
    });
  });

  it('refuse a licence number taken, an unknown specialty, and a clinic the admin does not administer', async () => {
    const account = await newDoctorAccount(true);
    const taken = (await prisma().doctorProfile.findFirstOrThrow()).licenseNumber;
    const responses = await Promise.all([
      api.graphql(CREATE_PROFILE, { input: profileInput(account.userId, { licenseNumber: taken }) }, adminA),
      api.graphql(
        CREATE_PROFILE,
        { input: profileInput(account.userId, { specialties: [specialties[0].code, 'no_such_specialty'] }) },
        adminA,
      ),
      api.graphql(CREATE_PROFILE, { input: profileInput(account.userId, { clinicIds: [clinicA.globalId, clinicB.globalId] }) }, adminA),
    ]);
    expect(responses.map((response) => response.errors?.[0]?.extensions?.code)).toEqual(['CONFLICT', 'BAD_USER_INPUT', 'FORBIDDEN']);
    expect(responses[1].errors![0].extensions).toMatchObject({ fields: [{ path: ['input', 'specialties', 1] }] });
    // Nothing was half-written: the account has no profile yet.
    expect(await prisma().doctorProfile.count({ where: { user: { email: account.email } } })).toBe(0);
  });

  it("are another clinic's admin's \"not found\", and no one else's to change", async () => {
    const doctor = await createDoctor(prisma(), { clinicIds: [clinicA.id] });
    const account = await newDoctorAccount(true);
    const outcomes = await Promise.all([
      api.graphql(UPDATE_PROFILE, { id: doctor.globalId, input: { bio: 'x' } }, adminB),
      api.graphql(CREATE_PROFILE, { input: profileInput(account.userId, { clinicIds: [clinicB.globalId] }) }, adminB),
      api.graphql(UPDATE_PROFILE, { id: doctor.globalId, input: { bio: 'x' } }, receptionistA),
      api.graphql(UPDATE_PROFILE, { id: doctor.globalId, input: { bio: 'x' } }, await api.token(doctor)),
      api.graphql(UPDATE_PROFILE, { id: doctor.globalId, input: { bio: 'x' } }),
    ]);
    expect(outcomes.map((response) => response.errors?.[0]?.extensions?.code)).toEqual([
      'NOT_FOUND',
      'NOT_FOUND',
      'FORBIDDEN',
      'FORBIDDEN',
      'UNAUTHENTICATED',
    ]);
  });

  it("move a doctor between the admin's clinics, keeping their other clinics", async () => {
    const clinicC = await createClinic(prisma());
    const admin = await createStaff(prisma(), 'admin', clinicA.id);
    await prisma().clinicStaff.create({ data: { clinicId: clinicC.id, userId: admin.userId, role: 'admin' } });
    const doctor = await createDoctor(prisma(), { clinicIds: [clinicA.id, clinicB.id] });
    const moved = await api.graphql<{ updateDoctorProfile: { clinics: Array<{ id: string }> } }>(
      UPDATE_PROFILE,
      { id: doctor.globalId, input: { clinicIds: [clinicC.globalId] } },
      await api.token(admin),
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.updateDoctorProfile.clinics.map((clinic) => clinic.id).sort()).toEqual([clinicB.globalId, clinicC.globalId].sort());
  });
});

describe("a clinic's appointment types", () => {
  it('are created, listed at their clinic only, changed in part and deactivated, the cache following each step', async () => {
    const listed = async (clinic: Clinic) =>
      (
        await api.graphql<{ appointmentTypes: Array<{ id: string; code: string } & Record<string, unknown>> }>(TYPES, {
          clinic: clinic.globalId,
        })
      ).data!.appointmentTypes;
    await listed(clinicA); // warms the cache
    const code = `prenatal_${Date.now()}`;
    const created = await api.graphql<{ createAppointmentType: { id: string } }>(
      CREATE_TYPE,
      {
        input: {
          clinicId: clinicA.globalId,
          code,
          nameEn: 'Prenatal visit',
          nameFr: 'Visite prénatale',
          durationMinutes: 45,
          priceXaf: 20_000,
          modes: ['IN_PERSON', 'VIDEO'],
        },
      },
      adminA,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createAppointmentType.id;
    expect((await listed(clinicA)).find((type) => type.id === id)).toEqual({
      id,
      code,
      name: 'Prenatal visit',
      nameFr: 'Visite prénatale',
      durationMinutes: 45,
      price: { amountMinor: 20_000 },
      modes: ['IN_PERSON', 'VIDEO'],
      active: true,
      clinic: { id: clinicA.globalId },
    });
    expect((await listed(clinicB)).map((type) => type.id)).not.toContain(id);

    const changed = await api.graphql<{ updateAppointmentType: Record<string, unknown> }>(
      UPDATE_TYPE,
      { id, input: { durationMinutes: 60, modes: ['VIDEO'] } },
      adminA,
    );
    expect(changed.data!.updateAppointmentType).toMatchObject({
      name: 'Prenatal visit',
      durationMinutes: 60,
      price: { amountMinor: 20_000 },
      modes: ['VIDEO'],
    });
    expect((await listed(clinicA)).find((type) => type.id === id)).toMatchObject({ durationMinutes: 60, modes: ['VIDEO'] });

    expect((await api.graphql(DEACTIVATE_TYPE, { id }, adminA)).data).toEqual({ deactivateAppointmentType: { active: false } });
    expect((await listed(clinicA)).map((type) => type.id)).not.toContain(id);
  });

  it('are validated by the API and by the database', async () => {
    const input = {
      clinicId: clinicA.globalId,
      code: `bad_${Date.now()}`,
      nameEn: 'x',
      nameFr: 'x',
      durationMinutes: 30,
      priceXaf: 0,
      modes: ['IN_PERSON'],
    };
    const refused = await Promise.all([
      api.graphql(CREATE_TYPE, { input: { ...input, durationMinutes: 0 } }, adminA),
      api.graphql(CREATE_TYPE, { input: { ...input, priceXaf: -1 } }, adminA),
      api.graphql(CREATE_TYPE, { input: { ...input, modes: [] } }, adminA),
      api.graphql(CREATE_TYPE, { input: { ...input, modes: ['CHAT'] } }, adminA),
      api.graphql(CREATE_TYPE, { input: { ...input, nameFr: '   ' } }, adminA),
    ]);
    expect(refused.map((response) => response.errors?.[0]?.extensions?.code)).toEqual(Array(5).fill('BAD_USER_INPUT'));
    expect(refused.map((response) => (response.errors?.[0]?.extensions?.fields as Array<{ path: string[] }>)[0].path.at(-1))).toEqual([
      'durationMinutes',
      'priceXaf',
      'modes',
      'modes',
      'nameFr',
    ]);
    // The CHECK constraints hold even for a write that skips the API.
    for (const data of [
      { durationMinutes: 0, priceMinor: 0 },
      { durationMinutes: 30, priceMinor: -5 },
    ]) {
      await expect(
        prisma().appointmentType.create({
          data: { code: `direct_${Math.random().toString(36).slice(2)}`, nameEn: 'x', nameFr: 'x', ...data },
        }),
      ).rejects.toThrow(/check constraint|appointment_types_/i);
    }
    await expect(
      prisma()
        .$executeRaw`INSERT INTO appointment_types (id, code, name_en, name_fr, duration_minutes, price_minor, modes) VALUES (gen_random_uuid(), 'no_modes', 'x', 'x', 30, 0, '{}')`,
    ).rejects.toThrow();
  });

  it("belong to their clinic's admins: not another clinic's, not the platform's", async () => {
    const created = await api.graphql<{ createAppointmentType: { id: string } }>(
      CREATE_TYPE,
      {
        input: {
          clinicId: clinicA.globalId,
          code: `own_${Date.now()}`,
          nameEn: 'Own',
          nameFr: 'Propre',
          durationMinutes: 20,
          priceXaf: 5_000,
          modes: ['PHONE'],
        },
      },
      adminA,
    );
    const platformType = await createAppointmentType(prisma());
    const outcomes = await Promise.all([
      api.graphql(
        CREATE_TYPE,
        {
          input: {
            clinicId: clinicA.globalId,
            code: `theirs_${Date.now()}`,
            nameEn: 'x',
            nameFr: 'x',
            durationMinutes: 20,
            priceXaf: 0,
            modes: ['PHONE'],
          },
        },
        adminB,
      ),
      api.graphql(UPDATE_TYPE, { id: created.data!.createAppointmentType.id, input: { priceXaf: 1 } }, adminB),
      api.graphql(UPDATE_TYPE, { id: created.data!.createAppointmentType.id, input: { priceXaf: 1 } }, receptionistA),
      api.graphql(UPDATE_TYPE, { id: platformType.globalId, input: { priceXaf: 1 } }, adminA),
      api.graphql(UPDATE_TYPE, { id: created.data!.createAppointmentType.id, input: { code: platformType.code } }, adminA),
    ]);
    expect(outcomes.map((response) => response.errors?.[0]?.extensions?.code)).toEqual([
      'FORBIDDEN',
      'FORBIDDEN',
      'FORBIDDEN',
      'FORBIDDEN',
      'CONFLICT',
    ]);
  });
});

describe("a clinic's staff list", () => {
  it("shows the clinic's admins its people with role and status, page by page, and nothing of another clinic", async () => {
    const clinic = await createClinic(prisma());
    const admin = await createStaff(prisma(), 'admin', clinic.id);
    const nurse = await createStaff(prisma(), 'nurse', clinic.id);
    await createStaff(prisma(), 'receptionist', clinic.id);
    await createDoctor(prisma(), { clinicIds: [clinic.id] });
    await prisma().user.update({ where: { id: nurse.userId }, data: { status: 'suspended' } });
    const token = await api.token(admin);
    type Staff = {
      clinic: {
        staff: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string };
          edges: Array<{ node: { id: string; role: string; status: string } }>;
        };
      };
    };
    const first = await api.graphql<Staff>(STAFF, { id: clinic.globalId }, token);
    expect(first.errors).toBeUndefined();
    expect(first.data!.clinic.staff.totalCount).toBe(4);
    expect(first.data!.clinic.staff.pageInfo.hasNextPage).toBe(true);
    const second = await api.graphql<Staff>(STAFF, { id: clinic.globalId, after: first.data!.clinic.staff.pageInfo.endCursor }, token);
    const everyone = [...first.data!.clinic.staff.edges, ...second.data!.clinic.staff.edges].map((edge) => edge.node);
    expect(everyone.map((member) => member.role).sort()).toEqual(['ADMIN', 'DOCTOR', 'NURSE', 'RECEPTIONIST']);
    expect(everyone.find((member) => member.id === toGlobalId('User', nurse.userId))?.status).toBe('SUSPENDED');
    const nurses = await api.graphql<Staff>(STAFF, { id: clinic.globalId, role: 'NURSE' }, token);
    expect(nurses.data!.clinic.staff.edges.map((edge) => edge.node.id)).toEqual([toGlobalId('User', nurse.userId)]);
    const outsiders = await Promise.all(
      [adminB, receptionistA, await api.token(nurse), undefined].map((who) => api.graphql<Staff>(STAFF, { id: clinic.globalId }, who)),
    );
    expect(outsiders.map((response) => response.errors?.[0]?.extensions?.code)).toEqual([
      'FORBIDDEN',
      'FORBIDDEN',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
    ]);
    expect(outsiders.map((response) => response.data?.clinic?.staff ?? null)).toEqual([null, null, null, null]);
    // One clinic refused does not hide the others: an admin's list of every clinic shows their own.
    const all = await api.graphql<{ clinics: Array<{ id: string; staff: { totalCount: number } | null }> }>(
      '{ clinics { id staff(first: 1) { totalCount } } }',
      {},
      token,
    );
    expect(all.data!.clinics.filter((item) => item.staff !== null)).toEqual([{ id: clinic.globalId, staff: { totalCount: 4 } }]);
  });
});

describe("a doctor's hours", () => {
  it("are read back by the doctor and by their clinics' staff (at those clinics), by no one else", async () => {
    const doctor = await createDoctor(prisma(), { clinicIds: [clinicA.id, clinicB.id] });
    await createWeeklyHours(prisma(), doctor.doctorId, clinicA.id, [
      { dayOfWeek: 1, from: '08:00', to: '17:00', breaks: [['12:30', '13:30']] },
    ]);
    await createWeeklyHours(prisma(), doctor.doctorId, clinicB.id, [{ dayOfWeek: 2, from: '22:00', to: '06:00' }]);
    const day = nextWeekday(3);
    const at = (time: string) => new Date(`${day}T${time}:00.000Z`);
    await prisma().availabilityException.createMany({
      data: [
        { doctorId: doctor.doctorId, kind: 'time_off', startsAt: at('08:00'), endsAt: at('12:00') },
        { doctorId: doctor.doctorId, clinicId: clinicB.id, kind: 'extra_hours', startsAt: at('14:00'), endsAt: at('16:00') },
      ],
    });
    const variables = { id: doctor.globalId, from: at('00:00').toISOString(), to: at('23:59').toISOString() };
    type Hours = {
      doctor: {
        weeklyAvailability: Array<{ dayOfWeek: number; startsAt: string; endsAt: string; clinic: { id: string } }>;
        availabilityExceptions: Array<{ kind: string; clinic: { id: string } | null }>;
      };
    };
    const own = await api.graphql<Hours>(HOURS, variables, await api.token(doctor));
    expect(own.errors).toBeUndefined();
    expect(own.data!.doctor.weeklyAvailability).toEqual(
      expect.arrayContaining([
        {
          dayOfWeek: 1,
          startsAt: '08:00',
          endsAt: '17:00',
          breaks: [{ startsAt: '12:30', endsAt: '13:30' }],
          clinic: { id: clinicA.globalId },
        },
        { dayOfWeek: 2, startsAt: '22:00', endsAt: '06:00', breaks: [], clinic: { id: clinicB.globalId } },
      ]),
    );
    expect(own.data!.doctor.availabilityExceptions.map((exception) => exception.kind)).toEqual(['TIME_OFF', 'EXTRA_HOURS']);
    // Clinic A's front desk: A's hours and the time off, not B's hours or extra hours.
    const frontDesk = await api.graphql<Hours>(HOURS, variables, receptionistA);
    expect(frontDesk.data!.doctor.weeklyAvailability.map((window) => window.clinic.id)).toEqual([clinicA.globalId]);
    expect(frontDesk.data!.doctor.availabilityExceptions).toEqual([expect.objectContaining({ kind: 'TIME_OFF', clinic: null })]);
    const clinicC = await createClinic(prisma());
    const refused = await Promise.all(
      [await api.token(await createStaff(prisma(), 'admin', clinicC.id)), await api.token(await createPatient(prisma())), undefined].map(
        (who) => api.graphql<Hours>(HOURS, variables, who),
      ),
    );
    expect(refused.map((response) => response.errors?.[0]?.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'UNAUTHENTICATED']);
  });
});

describe('who may call the new root fields', () => {
  // One row per root field: the outcome for each caller (a code, or "ok" when it runs).
  const CALLERS = ['anonymous', 'patient', 'receptionist A', 'admin B', 'admin A'] as const;
  type Outcome = 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';
  const TABLE: Array<{
    field: string;
    expect: Record<(typeof CALLERS)[number], Outcome>;
    call: () => Promise<[string, Record<string, unknown>]>;
  }> = [
    {
      field: 'specialties',
      expect: { anonymous: 'ok', patient: 'ok', 'receptionist A': 'ok', 'admin B': 'ok', 'admin A': 'ok' },
      call: async () => ['{ specialties { code } }', {}],
    },
    {
      field: 'appointmentTypes',
      expect: { anonymous: 'ok', patient: 'ok', 'receptionist A': 'ok', 'admin B': 'ok', 'admin A': 'ok' },
      call: async () => [TYPES, { clinic: clinicA.globalId }],
    },
    {
      field: 'updateDoctorProfile',
      expect: {
        anonymous: 'UNAUTHENTICATED',
        patient: 'FORBIDDEN',
        'receptionist A': 'FORBIDDEN',
        'admin B': 'NOT_FOUND',
        'admin A': 'ok',
      },
      call: async () => [
        UPDATE_PROFILE,
        { id: (await createDoctor(prisma(), { clinicIds: [clinicA.id] })).globalId, input: { acceptingPatients: false } },
      ],
    },
    {
      field: 'createDoctorProfile',
      expect: {
        anonymous: 'UNAUTHENTICATED',
        patient: 'FORBIDDEN',
        'receptionist A': 'FORBIDDEN',
        'admin B': 'NOT_FOUND',
        'admin A': 'ok',
      },
      call: async () => [CREATE_PROFILE, { input: profileInput((await newDoctorAccount(false)).userId) }],
    },
    {
      field: 'createAppointmentType',
      expect: {
        anonymous: 'UNAUTHENTICATED',
        patient: 'FORBIDDEN',
        'receptionist A': 'FORBIDDEN',
        'admin B': 'FORBIDDEN',
        'admin A': 'ok',
      },
      call: async () => [
        CREATE_TYPE,
        {
          input: {
            clinicId: clinicA.globalId,
            code: `t_${Math.random().toString(36).slice(2, 10)}`,
            nameEn: 'x',
            nameFr: 'x',
            durationMinutes: 20,
            priceXaf: 0,
            modes: ['PHONE'],
          },
        },
      ],
    },
    {
      field: 'updateAppointmentType',
      expect: {
        anonymous: 'UNAUTHENTICATED',
        patient: 'FORBIDDEN',
        'receptionist A': 'FORBIDDEN',
        'admin B': 'FORBIDDEN',
        'admin A': 'ok',
      },
      call: async () => [UPDATE_TYPE, { id: await ownType(), input: { priceXaf: 1 } }],
    },
    {
      field: 'deactivateAppointmentType',
      expect: {
        anonymous: 'UNAUTHENTICATED',
        patient: 'FORBIDDEN',
        'receptionist A': 'FORBIDDEN',
        'admin B': 'FORBIDDEN',
        'admin A': 'ok',
      },
      call: async () => [DEACTIVATE_TYPE, { id: await ownType() }],
    },
  ];

  async function ownType(): Promise<string> {
    const row = await prisma().appointmentType.create({
      data: {
        code: `own_${Math.random().toString(36).slice(2, 10)}`,
        nameEn: 'x',
        nameFr: 'x',
        durationMinutes: 20,
        priceMinor: 0,
        clinicId: clinicA.id,
      },
    });
    return toGlobalId('AppointmentType', row.id);
  }

  for (const row of TABLE) {
    it(`${row.field}: ${CALLERS.map((caller) => `${caller} ${row.expect[caller]}`).join(', ')}`, async () => {
      const tokens: Record<(typeof CALLERS)[number], string | undefined> = {
        anonymous: undefined,
        patient: await api.token(await createPatient(prisma(), { clinicId: clinicA.id })),
        'receptionist A': receptionistA,
        'admin B': adminB,
        'admin A': adminA,
      };
      for (const caller of CALLERS) {
        const [document, variables] = await row.call();
        const response = await api.graphql(document, variables, tokens[caller]);
        expect(response.errors?.[0]?.extensions?.code ?? 'ok', caller).toBe(row.expect[caller]);
      }
    });
  }
});
