// Who the benchmark acts as and on what, chosen from the generated data: doctors' busiest days,
// doctors' own patients, clinics' fortnights with 100 appointments or more (every patient on the
// page visible to the clinic's receptionist), the patients and doctors of the booking rush, doctors
// with the patients they prescribed for at a visit (whose prescriptions they read), and doctors who
// search the medicine catalogue.
// Each caller gets a session row and an access token signed as the API signs them.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AccessTokens } from '../src/auth/tokens.js';
import { toGlobalId as globalId } from '../src/graphql/global-id.js';

export const BENCH_USER_AGENT = 'clinic-graph-bench';
/** Bookings of the benchmark are on days at least this far ahead (the generator stops at five weeks). */
export const BOOKING_DAYS_AHEAD = 60;

export interface Fixtures {
  doctorDays: Array<{ token: string; doctorId: string; date: string }>;
  charts: Array<{ token: string; patientId: string }>;
  clinicPages: Array<{ token: string; clinicId: string; from: string; to: string }>;
  booking: { patients: string[]; doctors: Array<{ doctorId: string; clinicId: string }>; typeId: string };
  /** A doctor and a patient they prescribed for at a visit of theirs (so they treat the patient). */
  prescriptions: Array<{ token: string; patientId: string }>;
  /** Doctors' tokens, for the catalogue search. */
  prescribers: string[];
}

/** A patient may be seen by staff of clinic `clinic` (see src/modules/care): registered or booked there. */
const VISIBLE = (
  patient: string,
  clinics: string,
) => `(EXISTS (SELECT 1 FROM care_relationships c WHERE c.patient_id = ${patient} AND c.clinic_id = ANY(${clinics}) AND (c.ends_at IS NULL OR c.ends_at > now()))
  OR EXISTS (SELECT 1 FROM appointments t WHERE t.patient_id = ${patient} AND t.clinic_id = ANY(${clinics}) AND t.status <> 'cancelled'))`;

const DOCTOR_DAYS = `WITH d AS (SELECT dp.id, dp.user_id, ARRAY(SELECT s.clinic_id FROM clinic_staff s WHERE s.user_id = dp.user_id AND s.is_active) AS clinics FROM doctor_profiles dp)
SELECT d.id AS doctor_id, d.user_id, (a.starts_at AT TIME ZONE 'Africa/Douala')::date::text AS day, count(*) AS n
FROM appointments a JOIN d ON d.id = a.doctor_id
WHERE a.starts_at < now() - interval '1 day'
GROUP BY d.id, d.user_id, day HAVING bool_and(${VISIBLE('a.patient_id', 'd.clinics')})
ORDER BY n DESC, d.id, day LIMIT $1`;

const CHARTS = `SELECT d.user_id, a.patient_id FROM appointments a JOIN doctor_profiles d ON d.id = a.doctor_id
WHERE a.status <> 'cancelled' AND a.starts_at < now() ORDER BY md5(a.id::text) LIMIT $1`;

const CLINIC_PAGES = `WITH w AS (
  SELECT c.id AS clinic_id, lo, lo + interval '14 days' AS hi FROM clinics c,
    generate_series(date_trunc('day', now() - interval '320 days'), now() - interval '20 days', interval '7 days') AS lo),
page AS (
  SELECT w.*, a.patient_id, row_number() OVER (PARTITION BY w.clinic_id, w.lo ORDER BY a.starts_at, a.id) AS k
  FROM w JOIN appointments a ON a.clinic_id = w.clinic_id AND a.starts_at >= w.lo AND a.starts_at < w.hi)
SELECT p.clinic_id, p.lo, p.hi, (SELECT s.user_id FROM clinic_staff s WHERE s.clinic_id = p.clinic_id AND s.role = 'receptionist' ORDER BY s.user_id LIMIT 1) AS receptionist
FROM page p WHERE p.k <= 100 GROUP BY p.clinic_id, p.lo, p.hi
HAVING count(*) = 100 AND bool_and(${VISIBLE('p.patient_id', 'ARRAY[p.clinic_id]')}) ORDER BY md5(p.clinic_id::text || p.lo::text) LIMIT $1`;

/** Prescriptions written at a visit: a doctor who treats the patient, more often those with many prescriptions. */
const PRESCRIPTION_READERS = `SELECT d.user_id, p.patient_id FROM prescriptions p JOIN appointments a ON a.id = p.appointment_id
JOIN doctor_profiles d ON d.id = a.doctor_id WHERE a.status <> 'cancelled' ORDER BY md5(p.id::text) LIMIT $1`;

/** Doctors of one clinic with hours every weekday there: the booking rush targets a few of them. */
const BOOKING_DOCTORS = `SELECT w.doctor_id, min(w.clinic_id::text) AS clinic_id FROM availability_windows w
GROUP BY w.doctor_id HAVING count(DISTINCT w.clinic_id) = 1 AND count(DISTINCT w.day_of_week) FILTER (WHERE w.day_of_week BETWEEN 1 AND 5) = 5
ORDER BY w.doctor_id LIMIT $1`;

export class TokenMint {
  private readonly tokens: AccessTokens;
  private readonly minted = new Map<string, string>();

  constructor(
    private readonly client: pg.ClientBase,
    secret: string,
  ) {
    this.tokens = new AccessTokens({ secret, issuer: 'clinic-graph', ttlSeconds: 3600 });
  }

  /** An access token for each user (one session each), minted in one statement. */
  async forUsers(userIds: readonly string[]): Promise<string[]> {
    const missing = [...new Set(userIds)].filter((id) => !this.minted.has(id));
    const sessions = missing.map(() => randomUUID());
    await this.client.query(
      `INSERT INTO sessions (id, user_id, expires_at, user_agent) SELECT s, u, now() + interval '2 hours', $3 FROM unnest($1::uuid[], $2::uuid[]) AS x(s, u)`,
      [sessions, missing, BENCH_USER_AGENT],
    );
    for (const [i, userId] of missing.entries())
      this.minted.set(userId, (await this.tokens.issue({ userId, sessionId: sessions[i] })).token);
    return userIds.map((id) => this.minted.get(id)!);
  }
}

export async function loadFixtures(client: pg.ClientBase, mint: TokenMint): Promise<Fixtures> {
  const days = (await client.query(DOCTOR_DAYS, [200])).rows;
  const charts = (await client.query(CHARTS, [500])).rows;
  const pages = (await client.query(CLINIC_PAGES, [100])).rows;
  const doctors = (await client.query(BOOKING_DOCTORS, [4])).rows;
  const patients = (
    await client.query(`SELECT id FROM users WHERE role = 'patient' AND status = 'active' ORDER BY md5(id::text) LIMIT 2000`)
  ).rows.map((row) => String(row.id));
  const type = (await client.query(`SELECT id FROM appointment_types WHERE code = 'consultation_30'`)).rows[0];
  const readers = (await client.query(PRESCRIPTION_READERS, [500])).rows;
  const prescribers = (await client.query(`SELECT user_id FROM doctor_profiles ORDER BY md5(id::text) LIMIT 100`)).rows;
  if (readers.length === 0) throw new Error('the benchmark database has no prescriptions: run npm run bench:generate again');
  if (days.length === 0 || charts.length === 0 || pages.length === 0 || doctors.length === 0 || !type) {
    throw new Error('the benchmark database lacks data: run npm run bench:generate first');
  }
  const dayTokens = await mint.forUsers(days.map((row) => String(row.user_id)));
  const chartTokens = await mint.forUsers(charts.map((row) => String(row.user_id)));
  const pageTokens = await mint.forUsers(pages.map((row) => String(row.receptionist)));
  const readerTokens = await mint.forUsers(readers.map((row) => String(row.user_id)));
  return {
    doctorDays: days.map((row, i) => ({ token: dayTokens[i], doctorId: globalId('Doctor', String(row.doctor_id)), date: String(row.day) })),
    charts: charts.map((row, i) => ({ token: chartTokens[i], patientId: globalId('Patient', String(row.patient_id)) })),
    clinicPages: pages.map((row, i) => ({
      token: pageTokens[i],
      clinicId: globalId('Clinic', String(row.clinic_id)),
      from: (row.lo as Date).toISOString(),
      to: (row.hi as Date).toISOString(),
    })),
    booking: {
      patients: await mint.forUsers(patients),
      doctors: doctors.map((row) => ({
        doctorId: globalId('Doctor', String(row.doctor_id)),
        clinicId: globalId('Clinic', String(row.clinic_id)),
      })),
      typeId: globalId('AppointmentType', String(type.id)),
    },
    prescriptions: readers.map((row, i) => ({ token: readerTokens[i], patientId: globalId('Patient', String(row.patient_id)) })),
    prescribers: await mint.forUsers(prescribers.map((row) => String(row.user_id))),
  };
}

/** Removes what benchmark runs leave behind: their bookings (with outbox rows) and sessions. */
export async function removeBenchLeftovers(client: pg.ClientBase): Promise<void> {
  await client.query(`DELETE FROM appointments WHERE starts_at >= now() + interval '${BOOKING_DAYS_AHEAD - 5} days'`);
  await client.query(
    `DELETE FROM outbox WHERE topic = 'appointment.booked' AND (payload->>'startsAt')::timestamptz >= now() + interval '${BOOKING_DAYS_AHEAD - 5} days'`,
  );
  await client.query('DELETE FROM sessions WHERE user_agent = $1', [BENCH_USER_AGENT]);
}
