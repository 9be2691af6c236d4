// The floor's answers: for each benchmarked operation (chosen by operationName, or by the persisted
// id), the same JSON the API gives, from the statements in sql.ts and the MongoDB driver. It only
// knows the cases the benchmark sends (every patient visible to the caller); anything else is a 500.
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import type pg from 'pg';
import { patientCapabilities, type PatientCapabilities } from '../../src/authz/patient-access.js';
import type { Principal, Role } from '../../src/auth/principal.js';
import { encodeCursor } from '../../src/graphql/cursors.js';
import { parseGlobalId, toGlobalId as globalId } from '../../src/graphql/global-id.js';
import { FloorAudit, type Origin, type Read } from './audit.js';
import { toMedicalHistory } from './history.js';
import { medicationPage, PRESCRIPTION_FIELDS, prescriptionPage } from './prescriptions.js';
import { BOOKING_CHECK, BOOKING_INSERT, CHART, CLINIC_PAGE, DOCTOR_DAY, MEDICATIONS, PATIENT_PRESCRIPTIONS, clashQuery } from './sql.js';

export interface Caller {
  userId: string;
  sessionId: string;
  ip: string | null;
  userAgent: string | null;
}
export interface Answer {
  status: number;
  body: unknown;
}
type Row = Record<string, unknown>;

export class Unsupported extends Error {}

const databaseId = (value: unknown) => parseGlobalId(String(value))?.id ?? '';
const iso = (value: unknown) => (value as Date).toISOString();
const cursor = (row: Row) => encodeCursor([iso(row.starts_at), row.id]);
const upper = (value: unknown) => (value === null || value === undefined ? null : String(value).toUpperCase());

function principalOf(row: Row): Principal {
  const role = row.role as Role;
  return {
    userId: String(row.me_id),
    sessionId: '',
    role,
    clinicIds: row.clinic_ids as string[],
    ...(role === 'patient' ? { patientId: String(row.me_id) } : {}),
  };
}

function capabilities(principal: Principal, row: Row, patientId: string): PatientCapabilities {
  return patientCapabilities(principal, {
    self: principal.patientId === patientId,
    clinicCare: Boolean(row.clinic_care),
    personalCare: Boolean(row.personal_care),
    emergency: Boolean(row.emergency),
  });
}

const UNAUTHENTICATED: Answer = {
  status: 401,
  body: { errors: [{ message: 'The access token is invalid or has expired.', extensions: { code: 'UNAUTHENTICATED' } }] },
};

function page(rows: Row[], first: number, node: (row: Row) => unknown) {
  const visible = rows.slice(0, first);
  const edges = visible.map((row) => ({ node: node(row) }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: visible.length > 0 ? cursor(visible[visible.length - 1]) : null },
  };
}

export class FloorHandlers {
  private readonly audit: FloorAudit;

  constructor(
    private readonly pool: pg.Pool,
    private readonly db: Db,
  ) {
    this.audit = new FloorAudit(db);
  }

  private origin(caller: Caller, principal: Principal): Origin {
    return {
      actor: { userId: principal.userId, role: principal.role },
      requestId: randomUUID(),
      ip: caller.ip,
      userAgent: caller.userAgent,
    };
  }

  /** `typenames`: the document asks for __typename on every object. */
  async chart(caller: Caller, variables: Row, typenames: boolean): Promise<Answer> {
    const patientId = databaseId(variables.id);
    const [{ rows }, record] = await Promise.all([
      this.pool.query(CHART, [caller.sessionId, caller.userId, patientId]),
      this.db.collection<{ _id: string }>('patient_records').findOne({ _id: patientId }),
    ]);
    if (rows.length === 0) return UNAUTHENTICATED;
    const row = rows[0];
    const principal = principalOf(row);
    const can = capabilities(principal, row, patientId);
    if (!row.patient_id || !can.identity || !can.clinicalRead) throw new Unsupported('chart of a patient the caller may not read');
    const reads: Read[] = [
      {
        patientId,
        resource: 'Patient',
        fields: ['dateOfBirth', 'firstName', 'gender', 'lastName', 'medicalHistory', 'preferredLanguage'],
        action: 'read',
        purpose: can.purpose,
        result: 'success',
      },
      {
        patientId,
        resource: 'MedicalHistory',
        fields: [
          'allergies',
          'bloodType',
          'chronicConditions',
          'familyHistory',
          'immunizations',
          'socialHistory',
          'surgeries',
          'updatedAt',
        ],
        action: 'read',
        purpose: can.purpose,
        result: 'success',
      },
    ];
    await this.audit.write(this.origin(caller, principal), reads);
    const patient = {
      id: globalId('Patient', patientId),
      firstName: row.first_name,
      lastName: row.last_name,
      dateOfBirth: row.date_of_birth,
      gender: upper(row.gender),
      preferredLanguage: upper(row.language),
      medicalHistory: toMedicalHistory(record, typenames),
      ...(typenames ? { __typename: 'Patient' } : {}),
    };
    return { status: 200, body: { data: { patient } } };
  }

  async doctorDay(caller: Caller, variables: Row): Promise<Answer> {
    const { rows } = await this.pool.query(DOCTOR_DAY, [caller.sessionId, caller.userId, databaseId(variables.doctorId), variables.date]);
    if (rows.length === 0) throw new Unsupported('unknown doctor or invalid session');
    const principal = principalOf(rows[0]);
    const doctorClinics = rows[0].doctor_clinic_ids as string[];
    const sees =
      rows[0].doctor_user_id === principal.userId ||
      (principal.role !== 'patient' && doctorClinics.some((id) => principal.clinicIds.includes(id)));
    if (!sees || doctorClinics.length === 0) throw new Unsupported('schedule the caller may not see');
    const appointments = rows.filter((row) => row.id !== null);
    const reads = this.patientReads(principal, appointments, ['dateOfBirth', 'firstName', 'lastName']);
    await this.audit.write(this.origin(caller, principal), reads);
    const doctorSchedule = page(appointments, 50, (row) => ({
      id: globalId('Appointment', String(row.id)),
      startsAt: iso(row.starts_at),
      endsAt: iso(row.ends_at),
      status: upper(row.status),
      patient: {
        id: globalId('Patient', String(row.patient_id)),
        firstName: row.first_name,
        lastName: row.last_name,
        dateOfBirth: row.date_of_birth,
      },
    }));
    return { status: 200, body: { data: { doctorSchedule } } };
  }

  async clinicPage(caller: Caller, variables: Row): Promise<Answer> {
    const first = Number(variables.first);
    const { rows } = await this.pool.query(CLINIC_PAGE, [
      caller.sessionId,
      caller.userId,
      databaseId(variables.clinicId),
      variables.from,
      variables.to,
      first + 1,
    ]);
    if (rows.length === 0) return UNAUTHENTICATED;
    const principal = principalOf(rows[0]);
    if (principal.role === 'patient' || !principal.clinicIds.includes(databaseId(variables.clinicId)))
      throw new Unsupported('clinic the caller does not work in');
    const appointments = rows.filter((row) => row.id !== null);
    const reads = this.patientReads(principal, appointments.slice(0, first), ['firstName', 'lastName']);
    await this.audit.write(this.origin(caller, principal), reads);
    const clinicAppointments = page(appointments, first, (row) => ({
      id: globalId('Appointment', String(row.id)),
      startsAt: iso(row.starts_at),
      status: upper(row.status),
      patient: { id: globalId('Patient', String(row.patient_id)), firstName: row.first_name, lastName: row.last_name },
      doctor:
        row.doctor_first_name === null
          ? null
          : { id: globalId('Doctor', String(row.doctor_id)), displayName: `Dr ${row.doctor_first_name} ${row.doctor_last_name}`.trim() },
    }));
    return { status: 200, body: { data: { clinicAppointments } } };
  }

  /** A patient's prescriptions with items, medicines and findings, as a clinician who treats them. */
  async patientPrescriptions(caller: Caller, variables: Row): Promise<Answer> {
    const patientId = databaseId(variables.patientId);
    const first = Number(variables.first);
    const { rows } = await this.pool.query(PATIENT_PRESCRIPTIONS, [caller.sessionId, caller.userId, patientId, first + 1]);
    if (rows.length === 0) return UNAUTHENTICATED;
    const row = rows[0];
    const principal = principalOf(row);
    const can = capabilities(principal, row, patientId);
    if (!row.patient_id || !can.identity || !can.clinicalRead) throw new Unsupported('prescriptions of a patient the caller may not read');
    const prescriptions = prescriptionPage(row, first);
    const read = (resource: string, fields: string[]): Read => ({
      patientId,
      resource,
      fields,
      action: 'read',
      purpose: can.purpose,
      result: 'success',
    });
    await this.audit.write(this.origin(caller, principal), [
      read('Patient', ['prescriptions']),
      ...(prescriptions.edges.length > 0 ? [read('Prescription', PRESCRIPTION_FIELDS)] : []),
    ]);
    return { status: 200, body: { data: { patient: { id: globalId('Patient', patientId), prescriptions } } } };
  }

  /** The catalogue search (clinical staff): reference data, no patient's, so nothing is audited. */
  async medications(caller: Caller, variables: Row): Promise<Answer> {
    const words = String(variables.search ?? '')
      .split(/\s+/)
      .filter((word) => word.length > 0)
      .slice(0, 5);
    const first = Number(variables.first);
    if (words.some((word) => word.length > 60)) throw new Unsupported('a search word over 60 characters');
    const { rows } = await this.pool.query(MEDICATIONS, [caller.sessionId, caller.userId, words, first + 1]);
    if (rows.length === 0) return UNAUTHENTICATED;
    if (!['doctor', 'nurse', 'pharmacist'].includes(String(rows[0].role)))
      throw new Unsupported('a search by someone who is not clinical staff');
    return { status: 200, body: { data: { medications: medicationPage(rows, first) } } };
  }

  /** One read per patient of the page (the appointment rows must all be visible to the caller). */
  private patientReads(principal: Principal, rows: Row[], fields: string[]): Read[] {
    const reads = new Map<string, Read>();
    for (const row of rows) {
      const patientId = String(row.patient_id);
      const can = capabilities(principal, row, patientId);
      const seesAppointment =
        principal.patientId === patientId || (principal.role !== 'patient' && principal.clinicIds.includes(String(row.clinic_id)));
      if (!can.identity || !seesAppointment) throw new Unsupported('a patient the caller may not see');
      reads.set(`${patientId}|${can.purpose}`, {
        patientId,
        resource: 'Patient',
        fields,
        action: 'read',
        purpose: can.purpose,
        result: 'success',
      });
    }
    return [...reads.values()];
  }

  async book(caller: Caller, variables: Row): Promise<Answer> {
    const input = variables.input as Row;
    const [doctorId, clinicId, typeId] = [databaseId(input.doctorId), databaseId(input.clinicId), databaseId(input.appointmentTypeId)];
    const startsAt = new Date(String(input.startsAt));
    const { rows } = await this.pool.query(BOOKING_CHECK, [caller.sessionId, caller.userId, typeId, doctorId, clinicId, startsAt]);
    const check = rows[0];
    if (!check || check.role !== 'patient' || !check.is_slot)
      throw new Unsupported("booking that is not a patient's booking of a free slot");
    const principal = principalOf(check);
    const origin = this.origin(caller, principal);
    const fields = ['appointmentTypeId', 'clinicId', 'doctorId', 'startsAt'];
    const event = (result: Read['result']): Read => ({
      patientId: principal.userId,
      resource: 'Appointment',
      fields,
      action: 'create',
      purpose: 'normal',
      result,
    });
    await this.audit.write(origin, [event('success')]);
    const id = randomUUID();
    const endsAt = check.ends_at as Date;
    const reminder = {
      appointmentId: id,
      patientId: principal.userId,
      startsAt: startsAt.toISOString(),
      language: check.language ?? 'fr',
      channel: check.reminder_channel === 'email' || !check.phone ? 'email' : 'sms',
    };
    try {
      const inserted = await this.pool.query(BOOKING_INSERT, [
        id,
        principal.userId,
        doctorId,
        clinicId,
        typeId,
        startsAt,
        endsAt,
        check.mode,
        JSON.stringify(reminder),
      ]);
      const row = inserted.rows[0];
      return {
        status: 200,
        body: {
          data: {
            bookAppointment: {
              id: globalId('Appointment', id),
              startsAt: iso(row.starts_at),
              endsAt: iso(row.ends_at),
              status: upper(row.status),
            },
          },
        },
      };
    } catch (error) {
      const { code, constraint } = error as { code?: string; constraint?: string };
      if (code !== '23P01') throw error;
      await this.audit.write(origin, [event('failure')]);
      const clash = constraint?.endsWith('_patient') ? 'patient' : 'doctor';
      const other = (await this.pool.query(clashQuery(clash), [clash === 'doctor' ? doctorId : principal.userId, startsAt, endsAt]))
        .rows[0];
      const window = other ? { startsAt: iso(other.starts_at), endsAt: iso(other.ends_at) } : null;
      const who = clash === 'doctor' ? 'The doctor' : 'The patient';
      const message = `${who} already has an appointment at that time${window ? ` (${window.startsAt} to ${window.endsAt})` : ''}.`;
      return {
        status: 200,
        body: {
          errors: [{ message, path: ['bookAppointment'], extensions: { code: 'CONFLICT', clashesWith: window, clash } }],
          data: null,
        },
      };
    }
  }
}
