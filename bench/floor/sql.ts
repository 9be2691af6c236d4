// The floor's SQL: one statement per read operation, each carrying the caller's session check
// ($1 session id, $2 user id from the verified token) and their ties to every patient it returns,
// so PostgreSQL answers "who is asking, may they, and what" in a single round trip.

/** The caller: active user of an open session, with the clinics they work in. */
const PRINCIPAL = `me AS (
  SELECT u.id, u.role::text AS role, ARRAY(SELECT DISTINCT cs.clinic_id FROM clinic_staff cs WHERE cs.user_id = u.id AND cs.is_active) AS clinic_ids
  FROM sessions s JOIN users u ON u.id = s.user_id
  WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.status = 'active')`;

/** The caller's ties to the patient in column `patient` (see src/modules/care: relationships and appointments). */
function ties(patient: string): string {
  const care = `FROM care_relationships c WHERE c.patient_id = ${patient} AND c.clinic_id = ANY(me.clinic_ids) AND (c.ends_at IS NULL OR c.ends_at > now())`;
  const visits = `FROM appointments t WHERE t.patient_id = ${patient} AND t.clinic_id = ANY(me.clinic_ids) AND t.status <> 'cancelled'`;
  return `(EXISTS (SELECT 1 ${care}) OR EXISTS (SELECT 1 ${visits})) AS clinic_care,
    (EXISTS (SELECT 1 ${care} AND c.staff_user_id = me.id) OR EXISTS (SELECT 1 ${visits} AND t.doctor_id IN (SELECT dp.id FROM doctor_profiles dp WHERE dp.user_id = me.id))) AS personal_care,
    (me.role IN ('doctor', 'nurse') AND EXISTS (SELECT 1 FROM emergency_access_grants g WHERE g.staff_user_id = me.id AND g.patient_id = ${patient} AND g.expires_at > now())) AS emergency`;
}

/** $3 patient id. One row when the session is valid; patient columns null when there is no such patient. */
export const CHART = `WITH ${PRINCIPAL}
SELECT me.id AS me_id, me.role, me.clinic_ids, p.id AS patient_id, pr.first_name, pr.last_name, pr.date_of_birth::text AS date_of_birth, pr.gender::text AS gender,
  pr.preferred_language::text AS language, ${ties('p.id')}
FROM me LEFT JOIN users p ON p.id = $3 AND p.role = 'patient' LEFT JOIN user_profiles pr ON pr.user_id = p.id`;

/** $3 doctor id, $4 local date: the doctor's appointments that day in their first clinic's time zone, 51 rows at most. */
export const DOCTOR_DAY = `WITH ${PRINCIPAL},
doctor AS (
  SELECT d.id, d.user_id, ARRAY(SELECT cs.clinic_id FROM clinic_staff cs WHERE cs.user_id = d.user_id AND cs.role = 'doctor' AND cs.is_active ORDER BY cs.joined_at) AS clinic_ids
  FROM doctor_profiles d JOIN users du ON du.id = d.user_id AND du.status = 'active' WHERE d.id = $3),
day AS (
  SELECT doctor.*, ($4::date::timestamp AT TIME ZONE COALESCE(c.time_zone, 'Africa/Douala')) AS lo, (($4::date + 1)::timestamp AT TIME ZONE COALESCE(c.time_zone, 'Africa/Douala')) AS hi
  FROM doctor LEFT JOIN clinics c ON c.id = doctor.clinic_ids[1] AND c.is_active)
SELECT me.id AS me_id, me.role, me.clinic_ids, day.user_id AS doctor_user_id, day.clinic_ids AS doctor_clinic_ids,
  a.id, a.starts_at, a.ends_at, a.status::text AS status, a.clinic_id, a.patient_id, pr.first_name, pr.last_name, pr.date_of_birth::text AS date_of_birth, ${ties('a.patient_id')}
FROM me CROSS JOIN day
LEFT JOIN LATERAL (SELECT * FROM appointments x WHERE x.doctor_id = day.id AND x.starts_at >= day.lo AND x.starts_at < day.hi ORDER BY x.starts_at, x.id LIMIT 51) a ON true
LEFT JOIN users p ON p.id = a.patient_id AND p.role = 'patient' LEFT JOIN user_profiles pr ON pr.user_id = p.id
ORDER BY a.starts_at, a.id`;

/** $3 clinic id, $4 from, $5 to, $6 rows (first + 1): the clinic's appointments in [from, to), with patient and doctor names. */
export const CLINIC_PAGE = `WITH ${PRINCIPAL}
SELECT me.id AS me_id, me.role, me.clinic_ids, a.id, a.starts_at, a.status::text AS status, a.clinic_id, a.patient_id, pr.first_name, pr.last_name,
  a.doctor_id, dpr.first_name AS doctor_first_name, dpr.last_name AS doctor_last_name, ${ties('a.patient_id')}
FROM me
LEFT JOIN LATERAL (SELECT * FROM appointments x WHERE x.clinic_id = $3 AND x.starts_at >= $4 AND x.starts_at < $5 ORDER BY x.starts_at, x.id LIMIT $6) a ON true
LEFT JOIN users p ON p.id = a.patient_id AND p.role = 'patient' LEFT JOIN user_profiles pr ON pr.user_id = p.id
LEFT JOIN doctor_profiles d ON d.id = a.doctor_id LEFT JOIN users du ON du.id = d.user_id AND du.status = 'active' LEFT JOIN user_profiles dpr ON dpr.user_id = du.id
ORDER BY a.starts_at, a.id`;

/**
 * Booking, before the audit: the caller, the type ($3) and whether $6 (start) is a future slot of
 * doctor $4 at clinic $5 (inside a weekly window in the clinic's time zone, clear of its breaks and
 * of time off), with what the reminder needs to know about the patient.
 */
export const BOOKING_CHECK = `WITH ${PRINCIPAL},
t AS (SELECT id, duration_minutes, modes[1]::text AS mode FROM appointment_types WHERE id = $3 AND is_active),
c AS (SELECT id, time_zone FROM clinics WHERE id = $5 AND is_active),
span AS (SELECT $6::timestamptz AS lo, $6::timestamptz + t.duration_minutes * interval '1 minute' AS hi, ($6::timestamptz AT TIME ZONE c.time_zone) AS local_lo FROM t, c)
SELECT me.id AS me_id, me.role, t.id AS type_id, t.mode, span.hi AS ends_at, pr.preferred_language::text AS language, pr.reminder_channel::text AS reminder_channel, u.phone,
  (span.lo > now() AND EXISTS (
    SELECT 1 FROM availability_windows w JOIN doctor_profiles d ON d.id = w.doctor_id JOIN users du ON du.id = d.user_id AND du.status = 'active'
    WHERE w.doctor_id = $4 AND w.clinic_id = $5 AND w.day_of_week = extract(dow FROM span.local_lo)
      AND (w.valid_from IS NULL OR span.local_lo::date >= w.valid_from) AND (w.valid_until IS NULL OR span.local_lo::date <= w.valid_until)
      AND span.local_lo::time >= w.starts_at AND span.local_lo::time + t.duration_minutes * interval '1 minute' <= w.ends_at
      AND ((extract(epoch FROM span.local_lo::time - w.starts_at) / 60)::int % t.duration_minutes) = 0
      AND NOT EXISTS (SELECT 1 FROM availability_breaks b WHERE b.window_id = w.id AND b.starts_at < (span.local_lo + t.duration_minutes * interval '1 minute')::time AND b.ends_at > span.local_lo::time))
    AND NOT EXISTS (SELECT 1 FROM availability_exceptions e WHERE e.doctor_id = $4 AND e.kind = 'time_off' AND e.starts_at < span.hi AND e.ends_at > span.lo)) AS is_slot
FROM me CROSS JOIN t CROSS JOIN span JOIN users u ON u.id = me.id LEFT JOIN user_profiles pr ON pr.user_id = me.id`;

/** The appointment and its reminder event, in one statement (one implicit transaction). */
export const BOOKING_INSERT = `WITH a AS (
  INSERT INTO appointments (id, patient_id, doctor_id, clinic_id, appointment_type_id, starts_at, ends_at, mode, booked_by, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8::consultation_mode, $2, now()) RETURNING id, starts_at, ends_at, status::text AS status),
o AS (INSERT INTO outbox (id, topic, payload) SELECT gen_random_uuid(), 'appointment.booked', $9::jsonb FROM a RETURNING id)
SELECT a.* FROM a`;

/** The active appointment a refused booking clashes with ($1 doctor or patient column value). */
export function clashQuery(who: 'doctor' | 'patient'): string {
  return `SELECT starts_at, ends_at FROM appointments WHERE ${who}_id = $1 AND status IN ('booked', 'confirmed', 'checked_in', 'in_consultation', 'completed')
    AND starts_at < $3 AND ends_at > $2 LIMIT 1`;
}

/** The order of a prescription's findings: most severe first, then as detected. */
const FINDING_ORDER = `CASE f.severity WHEN 'high' THEN 0 WHEN 'moderate' THEN 1 ELSE 2 END, f.detected_at, f.id`;

/**
 * $3 patient id, $4 rows (first + 1): the caller, their ties to the patient, how many prescriptions
 * the patient has, and a page of them, newest first, each with its prescriber's name, its items with
 * their catalogue entries and its findings with who resolved them, as JSON built by PostgreSQL.
 */
export const PATIENT_PRESCRIPTIONS = `WITH ${PRINCIPAL},
rx AS (SELECT * FROM prescriptions x WHERE x.patient_id = $3 ORDER BY x.created_at DESC, x.id DESC LIMIT $4)
SELECT me.id AS me_id, me.role, me.clinic_ids, p.id AS patient_id, ${ties('p.id')},
  (SELECT count(*)::int FROM prescriptions c WHERE c.patient_id = p.id) AS total,
  (SELECT coalesce(json_agg(json_build_object(
    'id', rx.id, 'number', rx.number, 'status', rx.status, 'issued_on', rx.issued_on, 'valid_until', rx.valid_until,
    'diagnoses', rx.diagnoses, 'created_at', rx.created_at,
    'prescriber', (SELECT json_build_object('first', dp.first_name, 'last', dp.last_name) FROM doctor_profiles d
      JOIN users du ON du.id = d.user_id AND du.status = 'active' LEFT JOIN user_profiles dp ON dp.user_id = du.id WHERE d.user_id = rx.prescriber_id),
    'items', (SELECT coalesce(json_agg(json_build_object(
        'position', i.position, 'name', i.medicine_name, 'strength', i.strength, 'form', i.form, 'route', i.route, 'dose', i.dose_amount,
        'unit', i.dose_unit, 'frequency', i.frequency, 'days', i.duration_days, 'quantity', i.quantity, 'refills', i.refills_allowed,
        'instructions', i.instructions, 'medicine_id', m.id, 'generic_name', m.generic_name) ORDER BY i.position), '[]')
      FROM prescription_items i LEFT JOIN medicines m ON m.id = i.medicine_id WHERE i.prescription_id = rx.id),
    'findings', (SELECT coalesce(json_agg(json_build_object(
        'kind', f.kind, 'severity', f.severity, 'message', f.message_fr, 'resolved_at', f.resolved_at, 'resolved_by', f.resolved_by, 'reason', f.override_reason,
        'by_first', rp.first_name, 'by_last', rp.last_name, 'by_role', ru.role, 'by_id', ru.id) ORDER BY ${FINDING_ORDER}), '[]')
      FROM prescription_findings f LEFT JOIN users ru ON ru.id = f.resolved_by LEFT JOIN user_profiles rp ON rp.user_id = ru.id
      WHERE f.prescription_id = rx.id)
  ) ORDER BY rx.created_at DESC, rx.id DESC), '[]') FROM rx) AS prescriptions
FROM me LEFT JOIN users p ON p.id = $3 AND p.role = 'patient'`;

/**
 * $3 words of the search, $4 rows (first + 1): the caller, and the active medicines whose folded
 * names hold every word (accents and case ignored, LIKE's wildcards escaped), by generic name.
 */
export const MEDICATIONS = `WITH ${PRINCIPAL}
SELECT me.id AS me_id, me.role, m.id, m.code, m.generic_name, m.brand_names, m.atc_code, m.forms, m.strengths, m.routes, m.controlled, m.prescription_only
FROM me LEFT JOIN LATERAL (
  SELECT * FROM medicines x WHERE x.active AND NOT EXISTS (
    SELECT 1 FROM unnest($3::text[]) AS w(word)
    WHERE x.search_text NOT LIKE '%' || replace(replace(replace(patient_search_fold(w.word), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')
  ORDER BY x.generic_name, x.id LIMIT $4) m ON true
ORDER BY m.generic_name, m.id`;
