// The visit across both stores: completing an appointment writes its consultation record to
// MongoDB through the outbox (exactly once, even when the relay dies between applying and
// marking), vitals during the visit, and reminders that follow the appointment. The visit follows
// the clock (check-in opens CHECK_IN_WINDOW_MINUTES before the start, completion only after it),
// a cancellation says why, and a refused step is audited as a failure.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseGlobalId, toGlobalId } from '../../src/graphql/global-id.js';
import { ENCOUNTERS, EncountersRepository, EncountersService } from '../../src/modules/encounters/index.js';
import { AUDIT_LOGS } from '../../src/modules/audit/index.js';
import { NOTIFICATIONS } from '../../src/modules/notifications/index.js';
import { OutboxRelay } from '../../src/platform/outbox.js';
import { relayHandlers } from '../../src/platform/outbox-topics.js';
import { useTestApi } from '../harness/api.js';
import {
  createAppointment,
  createAppointmentType,
  createClinic,
  createDoctor,
  createPatient,
  createStaff,
  createWeeklyHours,
} from '../factories.js';

const api = useTestApi({ manualJobs: true });
let setup: { clinicId: string; doctorId: string; typeId: string; doctor: string; nurse: string; receptionist: string };
let hoursAhead = 30;
let hoursAgo = 1;
let slot = 0;

beforeAll(async () => {
  const prisma = api.database.prisma;
  const clinic = await createClinic(prisma);
  const doctor = await createDoctor(prisma, { clinicIds: [clinic.id] });
  const type = await createAppointmentType(prisma, { durationMinutes: 30 });
  setup = {
    clinicId: clinic.id,
    doctorId: doctor.doctorId,
    typeId: type.id,
    doctor: await api.token(doctor),
    nurse: await api.token(await createStaff(prisma, 'nurse', clinic.id)),
    receptionist: await api.token(await createStaff(prisma, 'receptionist', clinic.id)),
  };
});

/**
 * An appointment of the test doctor, in the given state, starting `hours` from now (each its own
 * hour): a visit under way began in the past, as the clock requires of a check-in and a completion.
 */
async function appointment(status: 'booked' | 'checked_in' | 'in_consultation', hours = status === 'booked' ? hoursAhead++ : -hoursAgo++) {
  const prisma = api.database.prisma;
  const patient = await createPatient(prisma, { clinicId: setup.clinicId });
  const startsAt = new Date(Date.now() + hours * 3_600_000);
  return {
    ...(await createAppointment(prisma, {
      patientId: patient.userId,
      doctorId: setup.doctorId,
      clinicId: setup.clinicId,
      appointmentTypeId: setup.typeId,
      startsAt,
      status,
    })),
    patient,
  };
}

const COMPLETE = `mutation($id: ID!, $e: EncounterInput!) { completeAppointment(appointmentId: $id, encounter: $e) { status } }`;
const ENCOUNTER = {
  chiefComplaint: 'Fever for three days',
  subjective: 'Headache, chills',
  assessment: 'Uncomplicated malaria',
  plan: 'Artemether-lumefantrine',
  diagnoses: [{ icd10Code: 'B54', description: 'Unspecified malaria', primary: true }],
  followUpInDays: 7,
};

describe('completing a visit', () => {
  it('writes the consultation record to MongoDB through the outbox, readable by the care team and the patient', async () => {
    const visit = await appointment('in_consultation');
    expect((await api.graphql(COMPLETE, { id: visit.globalId, e: ENCOUNTER }, setup.doctor)).data).toEqual({
      completeAppointment: { status: 'COMPLETED' },
    });
    expect(await api.mongo.db.collection(ENCOUNTERS).countDocuments({ _id: visit.id as never })).toBe(0); // not before the relay
    expect(await api.relayOutbox()).toBeGreaterThanOrEqual(1);
    const READ = `query($id: ID!) { node(id: $id) { ... on Appointment { status encounter { chiefComplaint assessment diagnoses { icd10Code primary } followUpInDays } } } }`;
    const asDoctor = await api.graphql<{ node: { encounter: { assessment: string; diagnoses: unknown[] } } }>(
      READ,
      { id: visit.globalId },
      setup.doctor,
    );
    expect(asDoctor.data!.node.encounter).toMatchObject({
      assessment: 'Uncomplicated malaria',
      diagnoses: [{ icd10Code: 'B54', primary: true }],
      followUpInDays: 7,
    });
    const asPatient = await api.graphql<{ patient: { encounters: { edges: Array<{ node: { chiefComplaint: string } }> } } }>(
      `query($id: ID!) { patient(id: $id) { encounters(first: 5) { edges { node { chiefComplaint } } } } }`,
      { id: visit.patient.globalId },
      await api.token(visit.patient),
    );
    expect(asPatient.data!.patient.encounters.edges.map((e) => e.node.chiefComplaint)).toEqual(['Fever for three days']);
    const asReceptionist = await api.graphql(READ, { id: visit.globalId }, setup.receptionist);
    expect(asReceptionist.errors?.[0]).toMatchObject({ path: ['node', 'encounter'], extensions: { code: 'FORBIDDEN' } });
    expect(JSON.stringify(asReceptionist)).not.toContain('malaria');
    const processed = await api.database.prisma.outboxEvent.findFirst({
      where: { topic: 'encounter.completed', processedAt: { not: null } },
      orderBy: { createdAt: 'desc' },
    });
    expect(processed?.payload).toEqual({}); // the health data does not stay in PostgreSQL
  });

  it('gives the record an id of its own, refetchable with node(id:) by the care team only, linked to its appointment, doctor and clinic', async () => {
    const visit = await appointment('in_consultation');
    await api.graphql(COMPLETE, { id: visit.globalId, e: ENCOUNTER }, setup.doctor);
    await api.relayOutbox();
    const LINKS = 'id assessment appointment { id } doctor { id } clinic { id }';
    const viaAppointment = await api.graphql<{ node: { encounter: { id: string } } }>(
      `query($id: ID!) { node(id: $id) { ... on Appointment { encounter { ${LINKS} } } } }`,
      { id: visit.globalId },
      setup.doctor,
    );
    const encounter = viaAppointment.data!.node.encounter;
    expect(encounter).toEqual({
      id: toGlobalId('Encounter', visit.id),
      assessment: 'Uncomplicated malaria',
      appointment: { id: visit.globalId },
      doctor: { id: toGlobalId('Doctor', setup.doctorId) },
      clinic: { id: toGlobalId('Clinic', setup.clinicId) },
    });
    const REFETCH = `query($id: ID!) { node(id: $id) { id ... on Encounter { ${LINKS} } } }`;
    expect((await api.graphql(REFETCH, { id: encounter.id }, setup.doctor)).data).toEqual({ node: encounter });
    expect((await api.graphql(REFETCH, { id: encounter.id }, await api.token(visit.patient))).data).toEqual({ node: encounter });
    for (const token of [setup.receptionist, await api.token(await createPatient(api.database.prisma, { clinicId: setup.clinicId }))]) {
      const refused = await api.graphql(REFETCH, { id: encounter.id }, token);
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(JSON.stringify(refused)).not.toMatch(/malaria/i);
    }
  });

  it('applies the record exactly once when the relay dies between writing it and marking the event', async () => {
    const visit = await appointment('in_consultation');
    await api.graphql(COMPLETE, { id: visit.globalId, e: ENCOUNTER }, setup.doctor);
    const handlers = relayHandlers(new EncountersService(new EncountersRepository(api.mongo.db)).handlers());
    const dying = new OutboxRelay(api.database.prisma, api.jobs, handlers, {
      afterApply: () => {
        throw new Error('relay process killed');
      },
    });
    expect(await dying.runOnce()).toBe(0);
    expect(await api.mongo.db.collection(ENCOUNTERS).countDocuments({ _id: visit.id as never })).toBe(1); // written...
    const pending = await api.database.prisma.outboxEvent.findMany({ where: { topic: 'encounter.completed', processedAt: null } });
    expect(pending.map((e) => e.attempts)).toEqual([1]); // ...but not marked
    await api.relayOutbox(); // the restarted relay applies it again
    expect(await api.mongo.db.collection(ENCOUNTERS).countDocuments({ _id: visit.id as never })).toBe(1);
    expect(await api.database.prisma.outboxEvent.count({ where: { topic: 'encounter.completed', processedAt: null } })).toBe(0);
  });

  it('refuses a completion without a valid record, leaving the appointment as it was', async () => {
    const visit = await appointment('in_consultation');
    const bad = await api.graphql(
      COMPLETE,
      { id: visit.globalId, e: { ...ENCOUNTER, diagnoses: [{ icd10Code: 'malaria', description: 'x', primary: true }] } },
      setup.doctor,
    );
    expect(bad.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: ['encounter', 'diagnoses', 0, 'icd10Code'] }],
    });
    expect((await api.database.prisma.appointment.findUniqueOrThrow({ where: { id: visit.id } })).status).toBe('in_consultation');
  });
});

describe('vitals', () => {
  const VITALS = `mutation($id: ID!, $v: VitalsInput!) { recordVitals(appointmentId: $id, vitals: $v) { vitals { temperatureC systolicMmHg heartRateBpm } } }`;

  it('lets the nurse record plausible vitals during the visit, which the record then keeps', async () => {
    const visit = await appointment('checked_in');
    const recorded = await api.graphql<{ recordVitals: { vitals: { temperatureC: number } } }>(
      VITALS,
      { id: visit.globalId, v: { temperatureC: 38.6, systolicMmHg: 128, heartRateBpm: 96 } },
      setup.nurse,
    );
    expect(recorded.data!.recordVitals.vitals).toEqual({ temperatureC: 38.6, systolicMmHg: 128, heartRateBpm: 96 });
  });

  it.each([
    [{ temperatureC: 50 }, 'temperatureC'],
    [{ systolicMmHg: 20 }, 'systolicMmHg'],
    [{ oxygenSaturationPct: 120 }, 'oxygenSaturationPct'],
  ])('refuses an implausible value %j at its field', async (vitals, field) => {
    const visit = await appointment('checked_in');
    const response = await api.graphql(VITALS, { id: visit.globalId, v: vitals }, setup.nurse);
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['vitals', field] }] });
    expect(await api.mongo.db.collection(ENCOUNTERS).countDocuments({ _id: visit.id as never })).toBe(0);
  });

  it('refuses vitals outside the visit, and from a receptionist', async () => {
    const booked = await appointment('booked');
    expect((await api.graphql(VITALS, { id: booked.globalId, v: { temperatureC: 37 } }, setup.nurse)).errors?.[0].extensions).toMatchObject(
      { code: 'CONFLICT', status: 'BOOKED' },
    );
    const audited = await api.mongo.db
      .collection(AUDIT_LOGS)
      .find({ patientId: booked.patient.userId, resource: 'Vitals' })
      .sort({ seq: 1 })
      .toArray();
    expect(audited.map((entry) => entry.result)).toEqual(['attempted', 'failure']);
    const visit = await appointment('checked_in');
    expect(
      (await api.graphql(VITALS, { id: visit.globalId, v: { temperatureC: 37 } }, setup.receptionist)).errors?.[0].extensions?.code,
    ).toBe('FORBIDDEN');
  });
});

describe('reminders', () => {
  const reminders = (appointmentId: string) =>
    api.mongo.db.collection(NOTIFICATIONS).find({ appointmentId }).sort({ scheduledFor: 1 }).toArray();

  /** Books `startsAt` as the holder of `token`, with a doctor of the test clinic who has hours of their own every day. */
  async function book(token: string, startsAt: Date): Promise<{ globalId: string; id: string }> {
    const prisma = api.database.prisma;
    const doctor = await createDoctor(prisma, { clinicIds: [setup.clinicId] });
    await createWeeklyHours(
      prisma,
      doctor.doctorId,
      setup.clinicId,
      [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({ dayOfWeek, from: '00:00', to: '23:30' })),
    );
    const booked = await api.graphql<{ bookAppointment: { id: string } }>(
      `mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { id } }`,
      {
        i: {
          doctorId: doctor.globalId,
          clinicId: toGlobalId('Clinic', setup.clinicId),
          appointmentTypeId: toGlobalId('AppointmentType', setup.typeId),
          startsAt: startsAt.toISOString(),
        },
      },
      token,
    );
    expect(booked.errors).toBeUndefined();
    const globalId = booked.data!.bookAppointment.id;
    return { globalId, id: parseGlobalId(globalId)!.id };
  }

  it('are scheduled 24 h and 2 h before, follow a reschedule, stop with a cancellation, and go out once', async () => {
    const prisma = api.database.prisma;
    const patient = await createPatient(prisma, { clinicId: setup.clinicId });
    await prisma.userProfile.update({ where: { userId: patient.userId }, data: { preferredLanguage: 'en' } });
    const startsAt = new Date(Math.ceil((Date.now() + 10 * 86_400_000) / 1_800_000) * 1_800_000);
    const token = await api.token(patient);
    const { globalId, id } = await book(token, startsAt);
    await api.relayOutbox();
    expect((await reminders(id)).map((r) => [r.kind, r.scheduledFor.getTime(), r.status, r.language, r.channel])).toEqual([
      ['reminder_24h', startsAt.getTime() - 86_400_000, 'scheduled', 'en', 'sms'],
      ['reminder_2h', startsAt.getTime() - 7_200_000, 'scheduled', 'en', 'sms'],
    ]);

    const later = new Date(startsAt.getTime() + 86_400_000);
    await api.graphql(
      `mutation($id: ID!, $at: DateTime!) { rescheduleAppointment(appointmentId: $id, startsAt: $at) { status } }`,
      { id: globalId, at: later.toISOString() },
      token,
    );
    await api.relayOutbox();
    expect((await reminders(id)).map((r) => r.scheduledFor.getTime())).toEqual([later.getTime() - 86_400_000, later.getTime() - 7_200_000]);

    const sent = await api.sendDueReminders(new Date(later.getTime() - 3_600_000)); // both are due by then
    expect(sent).toBeGreaterThanOrEqual(2);
    const phone = (await prisma.user.findUniqueOrThrow({ where: { id: patient.userId } })).phone!;
    expect(api.notifier.sent.filter((m) => m.to === phone).map((m) => m.template)).toEqual([
      'appointment_reminder_24h_en',
      'appointment_reminder_2h_en',
    ]);
    await api.sendDueReminders(new Date(later.getTime() - 3_600_000));
    expect(api.notifier.sent.filter((m) => m.to === phone)).toHaveLength(2); // not twice

    await api.graphql(
      `mutation($id: ID!) { cancelAppointment(appointmentId: $id, reason: "Travelling") { status } }`,
      { id: globalId },
      token,
    );
    await api.relayOutbox();
    expect((await reminders(id)).map((r) => r.status)).toEqual(['sent', 'sent']);
  });

  it('are cancelled with an appointment cancelled before they are due', async () => {
    const prisma = api.database.prisma;
    const patient = await createPatient(prisma, { clinicId: setup.clinicId });
    const startsAt = new Date(Math.ceil((Date.now() + 20 * 86_400_000) / 1_800_000) * 1_800_000);
    const token = await api.token(patient);
    const { globalId, id } = await book(token, startsAt);
    await api.graphql(
      `mutation($id: ID!) { cancelAppointment(appointmentId: $id, reason: "Feeling better") { status } }`,
      { id: globalId },
      token,
    );
    await api.relayOutbox();
    expect((await reminders(id)).map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('go out by the channel and in the language the patient prefers when they are sent', async () => {
    const prisma = api.database.prisma;
    const patient = await createPatient(prisma, { clinicId: setup.clinicId });
    const token = await api.token(patient);
    const startsAt = new Date(Math.ceil((Date.now() + 30 * 86_400_000) / 1_800_000) * 1_800_000);
    await book(token, startsAt);
    await api.relayOutbox();

    // After booking, the patient asks for email in English.
    const changed = await api.graphql<{ setNotificationPreferences: unknown }>(
      `mutation { setNotificationPreferences(input: { language: EN, reminderChannel: EMAIL }) { language reminderChannel } }`,
      {},
      token,
    );
    expect(changed.data!.setNotificationPreferences).toEqual({ language: 'EN', reminderChannel: 'EMAIL' });
    await api.sendDueReminders(new Date(startsAt.getTime() - 3_600_000));
    const { email, phone } = await prisma.user.findUniqueOrThrow({ where: { id: patient.userId } });
    expect(api.notifier.sent.filter((m) => m.to === email).map((m) => [m.channel, m.template])).toEqual([
      ['email', 'appointment_reminder_24h_en'],
      ['email', 'appointment_reminder_2h_en'],
    ]);
    expect(api.notifier.sent.filter((m) => m.to === phone)).toEqual([]);
  });
});

describe('notification preferences', () => {
  const SET = `mutation($i: NotificationPreferencesInput!) { setNotificationPreferences(input: $i) { language reminderChannel } }`;
  const GET = `{ notificationPreferences { language reminderChannel } }`;

  it('are read and changed by the signed-in person only; SMS needs a phone number', async () => {
    const prisma = api.database.prisma;
    const patient = await createPatient(prisma, { clinicId: setup.clinicId });
    const token = await api.token(patient);
    expect((await api.graphql(GET, {}, token)).data).toEqual({ notificationPreferences: { language: 'FR', reminderChannel: null } });

    expect((await api.graphql(SET, { i: { reminderChannel: 'SMS' } }, token)).data).toEqual({
      setNotificationPreferences: { language: 'FR', reminderChannel: 'SMS' },
    });
    expect((await api.graphql(SET, { i: { language: 'EN' } }, token)).data).toEqual({
      setNotificationPreferences: { language: 'EN', reminderChannel: 'SMS' },
    });
    expect((await api.graphql(SET, { i: { reminderChannel: null } }, token)).data).toEqual({
      setNotificationPreferences: { language: 'EN', reminderChannel: null },
    });
    expect((await api.graphql(GET, {}, token)).data).toEqual({ notificationPreferences: { language: 'EN', reminderChannel: null } });
    const audited = await api.mongo.db
      .collection(AUDIT_LOGS)
      .find({ patientId: patient.userId, resource: 'UserProfile', action: 'update', result: 'success' })
      .sort({ seq: 1 })
      .toArray();
    expect(audited.map((entry) => entry.fields)).toEqual([['reminderChannel'], ['preferredLanguage'], ['reminderChannel']]);

    await prisma.user.update({ where: { id: patient.userId }, data: { phone: null } });
    const noPhone = await api.graphql(SET, { i: { reminderChannel: 'SMS' } }, token);
    expect(noPhone.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['input', 'reminderChannel'] }] });
    expect((await prisma.userProfile.findUniqueOrThrow({ where: { userId: patient.userId } })).reminderChannel).toBeNull();

    for (const query of [GET, `mutation { setNotificationPreferences(input: { language: EN }) { language } }`]) {
      expect((await api.graphql(query, {})).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
  });
});

/** An appointment of the test doctor starting `minutesFromNow` from now (each in a different hour of the doctor's). */
async function appointmentIn(status: 'booked' | 'confirmed' | 'in_consultation', minutesFromNow: number) {
  const prisma = api.database.prisma;
  const patient = await createPatient(prisma, { clinicId: setup.clinicId });
  // Appointments of one doctor may not overlap: each is moved by whole days, which the clock rules do not care about.
  const startsAt = new Date(Date.now() + minutesFromNow * 60_000 + (minutesFromNow >= 0 ? 1 : -1) * 86_400_000 * ++slot);
  return {
    ...(await createAppointment(prisma, {
      patientId: patient.userId,
      doctorId: setup.doctorId,
      clinicId: setup.clinicId,
      appointmentTypeId: setup.typeId,
      startsAt,
      status,
    })),
    patient,
  };
}

/** An appointment `minutesFromNow` from now, exactly (no other appointment of the doctor is that close). */
async function exactly(status: 'booked' | 'confirmed' | 'in_consultation', minutesFromNow: number) {
  const prisma = api.database.prisma;
  const patient = await createPatient(prisma, { clinicId: setup.clinicId });
  const startsAt = new Date(Date.now() + minutesFromNow * 60_000);
  return {
    ...(await createAppointment(prisma, {
      patientId: patient.userId,
      doctorId: setup.doctorId,
      clinicId: setup.clinicId,
      appointmentTypeId: setup.typeId,
      startsAt,
      status,
    })),
    patient,
  };
}

const step = (mutation: string, id: string, token: string, extra = '') =>
  api.graphql<Record<string, { status: string }>>(
    `mutation($id: ID!) { ${mutation}(appointmentId: $id${extra}) { status } }`,
    { id },
    token,
  );

describe('the clock', () => {
  it('opens check-in 60 minutes before the start (CHECK_IN_WINDOW_MINUTES), not earlier', async () => {
    const early = await appointmentIn('confirmed', 3 * 60);
    const refused = await step('checkInAppointment', early.globalId, setup.receptionist);
    expect(refused.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      status: 'CONFIRMED',
      notBefore: new Date(early.startsAt.getTime() - 3_600_000).toISOString(),
    });
    expect(refused.errors?.[0].message).toMatch(/60 minutes/);
    expect((await api.database.prisma.appointment.findUniqueOrThrow({ where: { id: early.id } })).status).toBe('confirmed');

    const soon = await exactly('confirmed', 45);
    expect((await step('checkInAppointment', soon.globalId, setup.receptionist)).data).toEqual({
      checkInAppointment: { status: 'CHECKED_IN' },
    });
  });

  it('completes a visit only after its start', async () => {
    const ahead = await appointmentIn('in_consultation', 30);
    const ENCOUNTER = ', encounter: { chiefComplaint: "Fever", diagnoses: [{ icd10Code: "B54", description: "Malaria", primary: true }] }';
    const refused = await step('completeAppointment', ahead.globalId, setup.doctor, ENCOUNTER);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', status: 'IN_CONSULTATION' });
    expect((await api.database.prisma.appointment.findUniqueOrThrow({ where: { id: ahead.id } })).status).toBe('in_consultation');
    const begun = await appointmentIn('in_consultation', -10);
    expect((await step('completeAppointment', begun.globalId, setup.doctor, ENCOUNTER)).data).toEqual({
      completeAppointment: { status: 'COMPLETED' },
    });
  });
});

describe('cancelling', () => {
  it('needs a reason that is not blank, at its argument', async () => {
    const booked = await appointmentIn('booked', 600);
    for (const reason of ['', '   ', '\n\t']) {
      const refused = await step('cancelAppointment', booked.globalId, setup.receptionist, `, reason: ${JSON.stringify(reason)}`);
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['reason'] }] });
    }
    expect(
      (await step('cancelAppointment', booked.globalId, setup.receptionist, `, reason: ${JSON.stringify('x'.repeat(501))}`)).errors?.[0]
        .extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['reason'] }] });
    expect((await api.database.prisma.appointment.findUniqueOrThrow({ where: { id: booked.id } })).status).toBe('booked');
    expect((await step('cancelAppointment', booked.globalId, setup.receptionist, ', reason: "  Patient travelling  "')).data).toEqual({
      cancelAppointment: { status: 'CANCELLED' },
    });
    expect((await api.database.prisma.appointment.findUniqueOrThrow({ where: { id: booked.id } })).cancellationReason).toBe(
      'Patient travelling',
    );
  });
});

describe('the audit of a step', () => {
  const writesOf = (patientId: string) =>
    api.mongo.db.collection(AUDIT_LOGS).find({ patientId, resource: 'Appointment', action: 'update' }).sort({ seq: 1 }).toArray();

  it('records a refused step (a CONFLICT) as a failure, and a step taken as a success, each after the attempt', async () => {
    const confirmed = await appointmentIn('confirmed', 600);
    const refused = await step('confirmAppointment', confirmed.globalId, setup.receptionist);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', status: 'CONFIRMED' });
    expect(refused.errors?.[0].message).toBe('An appointment that is CONFIRMED cannot be moved to CONFIRMED.');
    expect((await writesOf(confirmed.patient.userId)).map((entry) => entry.result)).toEqual(['attempted', 'failure']);

    const tooEarly = await appointmentIn('confirmed', 600);
    expect((await step('checkInAppointment', tooEarly.globalId, setup.receptionist)).errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await writesOf(tooEarly.patient.userId)).map((entry) => entry.result)).toEqual(['attempted', 'failure']);

    const booked = await appointmentIn('booked', 600);
    expect((await step('confirmAppointment', booked.globalId, setup.receptionist)).data).toEqual({
      confirmAppointment: { status: 'CONFIRMED' },
    });
    expect((await writesOf(booked.patient.userId)).map((entry) => entry.result)).toEqual(['attempted', 'success']);
  });

  it("shows the audit trail's reader who acted, by name and role", async () => {
    const prisma = api.database.prisma;
    const booked = await appointmentIn('booked', 600);
    await step('confirmAppointment', booked.globalId, setup.receptionist);
    const admin = await createStaff(prisma, 'admin', setup.clinicId);
    const receptionist = await prisma.user.findFirstOrThrow({
      where: { role: 'receptionist', staffMemberships: { some: { clinicId: setup.clinicId } } },
      include: { profile: true },
    });
    const trail = await api.graphql<{
      auditTrail: { edges: Array<{ node: { action: string; result: string; actor: { id: string; name: string; role: string } | null } }> };
    }>(
      `query($p: ID!) { auditTrail(patientId: $p, first: 20) { edges { node { action result actor { id name role } } } } }`,
      { p: booked.patient.globalId },
      await api.token(admin),
    );
    expect(trail.errors).toBeUndefined();
    const updates = trail.data!.auditTrail.edges.map((edge) => edge.node).filter((node) => node.action === 'UPDATE');
    expect(updates.map((node) => node.result)).toEqual(['SUCCESS', 'ATTEMPTED']); // newest first
    for (const node of updates)
      expect(node.actor).toMatchObject({
        name: `${receptionist.profile!.firstName} ${receptionist.profile!.lastName}`,
        role: 'RECEPTIONIST',
      });
  });
});
