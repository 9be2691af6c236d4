// Doctors' hours through the API (weekly windows, time off, extra hours), slot search by specialty
// and by distance, and a clinic's appointment list.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApi } from '../harness/api.js';
import {
  createAppointment,
  createAppointmentType,
  createClinic,
  createDoctor,
  createPatient,
  createRecord,
  createSpecialty,
  createStaff,
  createWeeklyHours,
  nextWeekday,
} from '../factories.js';

const api = useTestApi({ manualJobs: true });

const SET_WEEKLY = `mutation($d: ID!, $c: ID!, $w: [WeeklyWindowInput!]!) { setWeeklyAvailability(doctorId: $d, clinicId: $c, windows: $w) }`;
const ADD_EXCEPTION = `mutation($d: ID!, $i: AvailabilityExceptionInput!) { addAvailabilityException(doctorId: $d, input: $i) }`;
const SLOTS = `query($input: SlotSearchInput!) { availableSlots(input: $input) { startsAt doctor { id } clinic { id } } }`;
type Slots = { availableSlots: Array<{ startsAt: string; doctor: { id: string }; clinic: { id: string } }> };

async function thirtyMinutes() {
  return (await createAppointmentType(api.database.prisma, { durationMinutes: 30 })).globalId;
}

/** Slot start times (HH:MM UTC) on one date. */
async function slotTimes(criteria: Record<string, unknown>, date: string, type: string): Promise<string[]> {
  const response = await api.graphql<Slots>(SLOTS, {
    input: { ...criteria, appointmentTypeId: type, from: `${date}T00:00:00Z`, to: `${date}T23:59:00Z` },
  });
  expect(response.errors).toBeUndefined();
  return response.data!.availableSlots.map((slot) => slot.startsAt.slice(11, 16));
}

describe('setting hours', () => {
  let clinic: Awaited<ReturnType<typeof createClinic>>;
  let doctor: Awaited<ReturnType<typeof createDoctor>>;
  let doctorToken = '';
  let type = '';
  const wednesday = nextWeekday(3);
  const thursday = nextWeekday(4);

  beforeAll(async () => {
    const prisma = api.database.prisma;
    clinic = await createClinic(prisma); // Africa/Douala: UTC+1
    doctor = await createDoctor(prisma, { clinicIds: [clinic.id] });
    doctorToken = await api.token(doctor);
    type = await thirtyMinutes();
  });

  it('lets the doctor set weekly hours with a break; a second call replaces them', async () => {
    const first = await api.graphql(
      SET_WEEKLY,
      {
        d: doctor.globalId,
        c: clinic.globalId,
        w: [{ dayOfWeek: 3, startsAt: '09:00', endsAt: '11:00', breaks: [{ startsAt: '10:00', endsAt: '10:30' }] }],
      },
      doctorToken,
    );
    expect(first.errors).toBeUndefined();
    expect(await slotTimes({ doctorId: doctor.globalId }, wednesday, type)).toEqual(['08:00', '08:30', '09:30']);

    await api.graphql(
      SET_WEEKLY,
      { d: doctor.globalId, c: clinic.globalId, w: [{ dayOfWeek: 3, startsAt: '14:00', endsAt: '15:00' }] },
      doctorToken,
    );
    expect(await slotTimes({ doctorId: doctor.globalId }, wednesday, type)).toEqual(['13:00', '13:30']);
  });

  it('refuses hours set by a receptionist, or by an admin of another clinic', async () => {
    const prisma = api.database.prisma;
    const receptionist = await api.token(await createStaff(prisma, 'receptionist', clinic.id));
    const otherAdmin = await api.token(await createStaff(prisma, 'admin', (await createClinic(prisma)).id));
    for (const token of [receptionist, otherAdmin]) {
      const response = await api.graphql(SET_WEEKLY, { d: doctor.globalId, c: clinic.globalId, w: [] }, token);
      expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect(await slotTimes({ doctorId: doctor.globalId }, wednesday, type)).toEqual(['13:00', '13:30']);
  });

  it("lets the clinic's admin set them, and says which window is wrong", async () => {
    const admin = await api.token(await createStaff(api.database.prisma, 'admin', clinic.id));
    const bad = await api.graphql(
      SET_WEEKLY,
      {
        d: doctor.globalId,
        c: clinic.globalId,
        w: [
          { dayOfWeek: 3, startsAt: '14:00', endsAt: '15:00' },
          { dayOfWeek: 4, startsAt: '09:00', endsAt: '09:00' },
        ],
      },
      admin,
    );
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['windows', 1, 'endsAt'] }] });
    const good = await api.graphql(
      SET_WEEKLY,
      { d: doctor.globalId, c: clinic.globalId, w: [{ dayOfWeek: 3, startsAt: '14:00', endsAt: '16:00' }] },
      admin,
    );
    expect(good.errors).toBeUndefined();
    expect(await slotTimes({ doctorId: doctor.globalId }, wednesday, type)).toEqual(['13:00', '13:30', '14:00', '14:30']);
  });

  it('takes time off out of the slots and adds extra hours at a clinic', async () => {
    const off = await api.graphql(
      ADD_EXCEPTION,
      { d: doctor.globalId, i: { kind: 'TIME_OFF', startsAt: `${wednesday}T13:00:00Z`, endsAt: `${wednesday}T14:00:00Z` } },
      doctorToken,
    );
    expect(off.errors).toBeUndefined();
    expect(await slotTimes({ doctorId: doctor.globalId }, wednesday, type)).toEqual(['14:00', '14:30']);

    expect(await slotTimes({ doctorId: doctor.globalId }, thursday, type)).toEqual([]);
    const extra = await api.graphql(
      ADD_EXCEPTION,
      {
        d: doctor.globalId,
        i: { kind: 'EXTRA_HOURS', startsAt: `${thursday}T16:00:00Z`, endsAt: `${thursday}T17:00:00Z`, clinicId: clinic.globalId },
      },
      doctorToken,
    );
    expect(extra.errors).toBeUndefined();
    expect(await slotTimes({ doctorId: doctor.globalId }, thursday, type)).toEqual(['16:00', '16:30']);
  });

  it('refuses extra hours without a clinic, and an exception that ends before it starts', async () => {
    const noClinic = await api.graphql(
      ADD_EXCEPTION,
      { d: doctor.globalId, i: { kind: 'EXTRA_HOURS', startsAt: `${thursday}T18:00:00Z`, endsAt: `${thursday}T19:00:00Z` } },
      doctorToken,
    );
    expect(noClinic.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['input', 'clinicId'] }] });
    const backwards = await api.graphql(
      ADD_EXCEPTION,
      { d: doctor.globalId, i: { kind: 'TIME_OFF', startsAt: `${thursday}T18:00:00Z`, endsAt: `${thursday}T17:00:00Z` } },
      doctorToken,
    );
    expect(backwards.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['input', 'endsAt'] }] });
  });
});

describe('finding slots by specialty and by distance', () => {
  it('offers only doctors of the specialty at the clinic, and only clinics within the radius', async () => {
    const prisma = api.database.prisma;
    const type = await thirtyMinutes();
    const friday = nextWeekday(5);
    // A clinic at a point no other test clinic uses, and one 30 km north of it.
    const latitude = -40 - Math.random();
    const near = await createClinic(prisma);
    const far = await createClinic(prisma);
    await prisma.clinic.update({ where: { id: near.id }, data: { latitude, longitude: -120 } });
    await prisma.clinic.update({ where: { id: far.id }, data: { latitude: latitude + 0.27, longitude: -120 } });
    const specialty = await createSpecialty(prisma, `spec_${randomUUID().replace(/[^a-f]/g, '')}`); // codes are letters and _
    const specialist = await createDoctor(prisma, { clinicIds: [near.id], specialtyIds: [specialty.id] });
    const generalist = await createDoctor(prisma, { clinicIds: [near.id] });
    const distant = await createDoctor(prisma, { clinicIds: [far.id], specialtyIds: [specialty.id] });
    const day = (doctorId: string, clinicId: string) =>
      createWeeklyHours(prisma, doctorId, clinicId, [{ dayOfWeek: 5, from: '09:00', to: '10:00' }]);
    await day(specialist.doctorId, near.id);
    await day(generalist.doctorId, near.id);
    await day(distant.doctorId, far.id);

    const bySpecialty = await api.graphql<Slots>(SLOTS, {
      input: {
        specialty: specialty.code,
        clinicId: near.globalId,
        appointmentTypeId: type,
        from: `${friday}T00:00:00Z`,
        to: `${friday}T23:00:00Z`,
      },
    });
    expect(new Set(bySpecialty.data!.availableSlots.map((slot) => slot.doctor.id))).toEqual(new Set([specialist.globalId]));
    expect(bySpecialty.data!.availableSlots).toHaveLength(2);

    const search = (radiusKm: number) =>
      api.graphql<Slots>(SLOTS, {
        input: {
          near: { latitude, longitude: -120, radiusKm },
          appointmentTypeId: type,
          from: `${friday}T00:00:00Z`,
          to: `${friday}T23:00:00Z`,
        },
      });
    const within10 = await search(10);
    expect(new Set(within10.data!.availableSlots.map((slot) => slot.doctor.id))).toEqual(
      new Set([specialist.globalId, generalist.globalId]),
    );
    const within50 = await search(50);
    expect(new Set(within50.data!.availableSlots.map((slot) => slot.clinic.id))).toEqual(new Set([near.globalId, far.globalId]));

    const twoWays = await api.graphql(SLOTS, {
      input: {
        doctorId: specialist.globalId,
        near: { latitude, longitude: -120, radiusKm: 5 },
        appointmentTypeId: type,
        from: `${friday}T00:00:00Z`,
        to: `${friday}T23:00:00Z`,
      },
    });
    expect(twoWays.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['input'] }] });
  });
});

describe("a clinic's appointments", () => {
  const LIST = `query($c: ID!, $from: DateTime!, $to: DateTime!, $status: AppointmentStatus, $after: String) {
    clinicAppointments(clinicId: $c, from: $from, to: $to, status: $status, first: 2, after: $after) {
      edges { node { id status startsAt patient { lastName } } } pageInfo { hasNextPage endCursor }
    }
  }`;
  type List = {
    clinicAppointments: {
      edges: Array<{ node: { id: string; status: string; patient: { lastName: string } | null } }>;
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
  };

  it('pages through the range in time order for its staff, filters by status, and refuses others', async () => {
    const prisma = api.database.prisma;
    const clinic = await createClinic(prisma);
    const doctor = await createDoctor(prisma, { clinicIds: [clinic.id] });
    const type = await createAppointmentType(prisma, { durationMinutes: 30 });
    const monday = nextWeekday(1);
    const ids: string[] = [];
    for (const [i, status] of (['booked', 'confirmed', 'cancelled'] as const).entries()) {
      const patient = await createPatient(prisma, { clinicId: clinic.id });
      const startsAt = new Date(`${monday}T${String(8 + i).padStart(2, '0')}:00:00Z`);
      ids.push(
        (
          await createAppointment(prisma, {
            patientId: patient.userId,
            doctorId: doctor.doctorId,
            clinicId: clinic.id,
            appointmentTypeId: type.id,
            startsAt,
            status,
          })
        ).globalId,
      );
    }
    const receptionist = await api.token(await createStaff(prisma, 'receptionist', clinic.id));
    const range = { c: clinic.globalId, from: `${monday}T00:00:00Z`, to: `${monday}T23:00:00Z` };

    const page1 = await api.graphql<List>(LIST, range, receptionist);
    expect(page1.errors).toBeUndefined();
    expect(page1.data!.clinicAppointments.edges.map((edge) => edge.node.id)).toEqual(ids.slice(0, 2));
    expect(page1.data!.clinicAppointments.edges.every((edge) => edge.node.patient?.lastName)).toBe(true);
    expect(page1.data!.clinicAppointments.pageInfo.hasNextPage).toBe(true);
    const page2 = await api.graphql<List>(LIST, { ...range, after: page1.data!.clinicAppointments.pageInfo.endCursor }, receptionist);
    expect(page2.data!.clinicAppointments.edges.map((edge) => edge.node.id)).toEqual(ids.slice(2));
    expect(page2.data!.clinicAppointments.pageInfo.hasNextPage).toBe(false);

    const cancelled = await api.graphql<List>(LIST, { ...range, status: 'CANCELLED' }, receptionist);
    expect(cancelled.data!.clinicAppointments.edges.map((edge) => edge.node.id)).toEqual([ids[2]]);

    const tooLong = await api.graphql(
      LIST,
      { ...range, to: new Date(Date.parse(range.from) + 32 * 86_400_000).toISOString() },
      receptionist,
    );
    expect(tooLong.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['to'] }] });

    const outsider = await api.token(await createStaff(prisma, 'receptionist', (await createClinic(prisma)).id));
    const patient = await api.token(await createPatient(prisma, { clinicId: clinic.id }));
    for (const token of [outsider, patient]) {
      const response = await api.graphql(LIST, range, token);
      expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(response.data).toBeNull();
    }
  });

  it("shows each appointment's patient as the access rules allow: the front desk gets name and contact, not clinical fields", async () => {
    const prisma = api.database.prisma;
    const clinic = await createClinic(prisma);
    const doctor = await createDoctor(prisma, { clinicIds: [clinic.id] });
    const type = await createAppointmentType(prisma, { durationMinutes: 30 });
    const patient = await createPatient(prisma, { firstName: 'Visible', clinicId: clinic.id });
    await createRecord(api.mongo.db, patient.userId);
    const stored = await prisma.userProfile.findUniqueOrThrow({ where: { userId: patient.userId } });
    const startsAt = new Date(`${nextWeekday(2)}T09:00:00Z`);
    await createAppointment(prisma, {
      patientId: patient.userId,
      doctorId: doctor.doctorId,
      clinicId: clinic.id,
      appointmentTypeId: type.id,
      startsAt,
    });
    const query = `query($c: ID!, $from: DateTime!, $to: DateTime!) { clinicAppointments(clinicId: $c, from: $from, to: $to, first: 5) {
      edges { node { patient { firstName nationalId medicalHistory { allergies { substance } } } } } } }`;
    const range = {
      c: clinic.globalId,
      from: new Date(startsAt.getTime() - 3_600_000).toISOString(),
      to: new Date(startsAt.getTime() + 3_600_000).toISOString(),
    };
    type Seen = {
      clinicAppointments: {
        edges: Array<{ node: { patient: { firstName: string; nationalId: string | null; medicalHistory: unknown } } }>;
      };
    };

    // The front desk sees identity and contact details, never clinical data; a pharmacist identity only.
    const frontDesk = await api.graphql<Seen>(query, range, await api.token(await createStaff(prisma, 'receptionist', clinic.id)));
    expect(frontDesk.data!.clinicAppointments.edges[0].node.patient).toEqual({
      firstName: 'Visible',
      nationalId: stored.nationalId,
      medicalHistory: null,
    });
    expect(frontDesk.errors?.map((error) => [error.path?.at(-1), error.extensions?.code])).toEqual([['medicalHistory', 'FORBIDDEN']]);
    expect(JSON.stringify(frontDesk)).not.toContain('Latex');
    const pharmacy = await api.graphql<Seen>(query, range, await api.token(await createStaff(prisma, 'pharmacist', clinic.id)));
    expect(pharmacy.data!.clinicAppointments.edges[0].node.patient).toEqual({
      firstName: 'Visible',
      nationalId: null,
      medicalHistory: null,
    });
    expect(pharmacy.errors?.map((error) => [error.path?.at(-1), error.extensions?.code]).sort()).toEqual([
      ['medicalHistory', 'FORBIDDEN'],
      ['nationalId', 'FORBIDDEN'],
    ]);
    expect(JSON.stringify(pharmacy)).not.toContain(stored.nationalId!);

    // The appointment's doctor cares for the patient: the same path shows everything.
    const doctorView = await api.graphql<Seen>(query, range, await api.token(doctor));
    expect(doctorView.errors).toBeUndefined();
    expect(doctorView.data!.clinicAppointments.edges[0].node.patient).toEqual({
      firstName: 'Visible',
      nationalId: stored.nationalId,
      medicalHistory: { allergies: [{ substance: 'Latex' }] },
    });
  });
});
