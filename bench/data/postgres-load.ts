// Writes the generated world to PostgreSQL, table by table, in batched INSERT ... unnest statements.
import type pg from 'pg';
import { PrescriptionSigner, signingKeys, type SignedContent } from '../../src/modules/prescriptions/prescription-signature.js';
import { APPOINTMENT_TYPES, FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, LAST_NAMES, SPECIALTIES } from './names.js';
import { RowWriter, type Cell, type Column } from './postgres-rows.js';
import type { World } from './world.js';
import { Random } from '../lib/random.js';
import { Progress } from '../lib/progress.js';

export const EMAIL_DOMAIN = 'bench.clinic-graph.test';
const DAY = 24 * 60 * 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

const USER: Column[] = [
  ['id', 'uuid'],
  ['email', 'varchar'],
  ['phone', 'varchar'],
  ['password_hash', 'text'],
  ['role', 'user_role'],
  ['status', 'user_status'],
  ['email_verified_at', 'timestamptz'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
];
const PROFILE: Column[] = [
  ['user_id', 'uuid'],
  ['first_name', 'varchar'],
  ['last_name', 'varchar'],
  ['date_of_birth', 'date'],
  ['gender', 'gender'],
  ['national_id', 'varchar'],
  ['address', 'jsonb'],
  ['emergency_contact', 'jsonb'],
  ['preferred_language', 'language'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
];
export const STAFF: Column[] = [
  ['id', 'uuid'],
  ['clinic_id', 'uuid'],
  ['user_id', 'uuid'],
  ['role', 'staff_role'],
  ['joined_at', 'timestamptz'],
];

/** Writes users with their profiles; `names` decides first and last names by index. */
export class People {
  readonly users: RowWriter;
  readonly profiles: RowWriter;
  constructor(
    client: pg.ClientBase,
    private readonly random: Random,
    private readonly passwordHash: string,
    private readonly created: string,
    progress?: Progress,
  ) {
    this.users = new RowWriter(client, 'users', USER, progress);
    this.profiles = new RowWriter(client, 'user_profiles', PROFILE, undefined, [this.users]);
  }

  async add(person: {
    id: string;
    email: string;
    role: string;
    phone?: string | null;
    female: boolean;
    birth?: string | null;
    nationalId?: string | null;
    city?: string;
    region?: string;
    language?: string;
  }): Promise<void> {
    const first = this.random.pick(person.female ? FIRST_NAMES_FEMALE : FIRST_NAMES_MALE);
    const last = this.random.pick(LAST_NAMES);
    await this.users.add([
      person.id,
      person.email,
      person.phone ?? null,
      this.passwordHash,
      person.role,
      'active',
      this.created,
      this.created,
      this.created,
    ]);
    const address = person.city
      ? JSON.stringify({ street: null, city: person.city, region: person.region, country: 'CM', postalCode: null })
      : null;
    const emergency =
      person.role === 'patient' && this.random.chance(0.6)
        ? JSON.stringify({
            name: `${this.random.pick(FIRST_NAMES_FEMALE)} ${last}`,
            relationship: this.random.pick(['mother', 'spouse', 'sibling', 'father']),
            phone: `+23767${String(this.random.int(1_000_000, 9_999_999))}`,
          })
        : null;
    await this.profiles.add([
      person.id,
      first,
      last,
      person.birth ?? null,
      person.female ? 'female' : 'male',
      person.nationalId ?? null,
      address,
      emergency,
      person.language ?? (this.random.chance(0.8) ? 'fr' : 'en'),
      this.created,
      this.created,
    ]);
  }

  async flush(): Promise<void> {
    await this.users.flush();
    await this.profiles.flush();
  }
}

async function writeDirectory(client: pg.ClientBase, world: World, people: People, random: Random): Promise<void> {
  const created = iso(world.now - 400 * DAY);
  const specialties = new RowWriter(client, 'medical_specialties', [
    ['id', 'uuid'],
    ['code', 'varchar'],
    ['name_en', 'varchar'],
    ['name_fr', 'varchar'],
  ]);
  for (const [i, [code, en, fr]] of SPECIALTIES.entries()) await specialties.add([world.specialtyIds[i], code, en, fr]);
  await specialties.flush();
  const types = new RowWriter(client, 'appointment_types', [
    ['id', 'uuid'],
    ['code', 'varchar'],
    ['name_en', 'varchar'],
    ['name_fr', 'varchar'],
    ['duration_minutes', 'int'],
    ['price_minor', 'int'],
    ['modes', 'consultation_mode[]'],
  ]);
  for (const [i, [code, name, minutes, price, mode]] of APPOINTMENT_TYPES.entries())
    await types.add([world.typeIds[i], code, name, name, minutes, price, `{${mode}}`]);
  await types.flush();

  const hours = JSON.stringify(
    [1, 2, 3, 4, 5]
      .map((dayOfWeek) => ({ dayOfWeek, opens: '07:30', closes: '18:00' }))
      .concat([{ dayOfWeek: 6, opens: '08:00', closes: '13:00' }]),
  );
  const clinics = new RowWriter(client, 'clinics', [
    ['id', 'uuid'],
    ['name', 'varchar'],
    ['address', 'jsonb'],
    ['city', 'varchar'],
    ['latitude', 'float8'],
    ['longitude', 'float8'],
    ['operating_hours', 'jsonb'],
    ['services', 'text[]'],
    ['phone', 'varchar'],
    ['created_at', 'timestamptz'],
    ['updated_at', 'timestamptz'],
  ]);
  const staff = new RowWriter(client, 'clinic_staff', STAFF, undefined, [clinics, people.users]);
  for (const [i, clinic] of world.clinics.entries()) {
    const services = [
      'consultations',
      ...['laboratory', 'pharmacy', 'maternity', 'imaging', 'vaccination'].filter(() => random.chance(0.5)),
    ];
    await clinics.add([
      clinic.id,
      clinic.name,
      JSON.stringify({ street: null, city: clinic.city, region: clinic.region, country: 'CM', postalCode: null }),
      clinic.city,
      clinic.latitude,
      clinic.longitude,
      hours,
      `{${services.join(',')}}`,
      `+2376${String(20_000_000 + i)}`,
      created,
      created,
    ]);
    const members: Array<[string, string]> = [
      [clinic.adminId, 'admin'],
      ...clinic.receptionistIds.map((id): [string, string] => [id, 'receptionist']),
      ...clinic.nurseIds.map((id): [string, string] => [id, 'nurse']),
    ];
    for (const [k, [id, role]] of members.entries()) {
      await people.add({ id, email: `${role}${k}.c${i}@${EMAIL_DOMAIN}`, role, female: random.chance(0.6) });
      await staff.add([random.uuid(), clinic.id, id, role, created]);
    }
  }
  await clinics.flush();

  const profiles = new RowWriter(
    client,
    'doctor_profiles',
    [
      ['id', 'uuid'],
      ['user_id', 'uuid'],
      ['license_number', 'varchar'],
      ['medical_degree', 'varchar'],
      ['years_of_experience', 'int'],
      ['consultation_fee_minor', 'int'],
      ['consultation_duration_minutes', 'int'],
      ['rating', 'numeric'],
      ['review_count', 'int'],
      ['bio', 'text'],
      ['languages', 'language[]'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ],
    undefined,
    [people.users],
  );
  const doctorSpecialties = new RowWriter(
    client,
    'doctor_specialties',
    [
      ['doctor_id', 'uuid'],
      ['specialty_id', 'uuid'],
      ['is_primary', 'boolean'],
    ],
    undefined,
    [profiles],
  );
  const windows = new RowWriter(
    client,
    'availability_windows',
    [
      ['id', 'uuid'],
      ['doctor_id', 'uuid'],
      ['clinic_id', 'uuid'],
      ['day_of_week', 'int'],
      ['starts_at', 'time'],
      ['ends_at', 'time'],
    ],
    undefined,
    [profiles, clinics],
  );
  const breaks = new RowWriter(
    client,
    'availability_breaks',
    [
      ['id', 'uuid'],
      ['window_id', 'uuid'],
      ['starts_at', 'time'],
      ['ends_at', 'time'],
    ],
    undefined,
    [windows],
  );
  for (const [i, doctor] of world.doctors.entries()) {
    await people.add({
      id: doctor.userId,
      email: `dr${i}@${EMAIL_DOMAIN}`,
      role: 'doctor',
      female: random.chance(0.45),
      language: random.chance(0.7) ? 'fr' : 'en',
    });
    const experience = random.int(1, 35);
    await profiles.add([
      doctor.id,
      doctor.userId,
      `CM-ONMC-${String(100_000 + i)}`,
      random.chance(0.15) ? 'MD, PhD' : 'MD',
      experience,
      10_000 + random.int(0, 6) * 5_000,
      random.pick([20, 30, 30, 45]),
      Math.min(5, Math.max(2.5, random.normal(4.2, 0.4))).toFixed(2),
      random.int(0, 400),
      `Consults in ${SPECIALTIES[doctor.specialtyIndexes[0]][1].toLowerCase()}.`,
      random.chance(0.4) ? '{fr,en}' : '{fr}',
      created,
      created,
    ]);
    for (const [k, specialty] of doctor.specialtyIndexes.entries())
      await doctorSpecialties.add([doctor.id, world.specialtyIds[specialty], k === 0]);
    for (const [k, clinicIndex] of doctor.clinicIndexes.entries()) {
      await staff.add([random.uuid(), world.clinics[clinicIndex].id, doctor.userId, 'doctor', iso(world.now - (400 - k) * DAY)]);
      for (const day of doctor.daysByClinic[k]) {
        if (day === 6 && !doctor.saturday) continue;
        const windowId = random.uuid();
        await windows.add([windowId, doctor.id, world.clinics[clinicIndex].id, day, '08:00', day === 6 ? '12:00' : '17:00']);
        if (day !== 6) await breaks.add([random.uuid(), windowId, '12:30', '13:30']);
      }
    }
  }
  await people.flush();
  for (const writer of [profiles, doctorSpecialties, staff, windows, breaks]) await writer.flush();
}

async function writePatients(client: pg.ClientBase, world: World, people: People, random: Random): Promise<void> {
  const care = new RowWriter(
    client,
    'care_relationships',
    [
      ['id', 'uuid'],
      ['patient_id', 'uuid'],
      ['clinic_id', 'uuid'],
      ['staff_user_id', 'uuid'],
      ['kind', 'care_relationship_kind'],
      ['created_by', 'uuid'],
      ['created_at', 'timestamptz'],
    ],
    undefined,
    [people.users],
  );
  for (const [i, patient] of world.patients.entries()) {
    const clinic = world.clinics[patient.clinicIndex];
    await people.add({
      id: patient.id,
      email: `p${i}@${EMAIL_DOMAIN}`,
      role: 'patient',
      phone: random.chance(0.85) ? `+2376${String(50_000_000 + i)}` : null,
      female: patient.gender === 'female',
      birth: patient.birth.toISOString().slice(0, 10),
      nationalId: random.chance(0.7) ? `CM-${String(10_000_000 + i)}` : null,
      city: clinic.city,
      region: clinic.region,
    });
    const registered = iso(world.now - random.int(30, 400) * DAY);
    const receptionist = random.pick(clinic.receptionistIds);
    await care.add([random.uuid(), patient.id, clinic.id, null, 'registration', receptionist, registered]);
    if (patient.assignedDoctor !== null)
      await care.add([
        random.uuid(),
        patient.id,
        clinic.id,
        world.doctors[patient.assignedDoctor].userId,
        'assignment',
        receptionist,
        registered,
      ]);
  }
  await people.flush();
  await care.flush();
}

async function writeAppointments(client: pg.ClientBase, world: World, random: Random): Promise<void> {
  const columns: Column[] = [
    ['id', 'uuid'],
    ['patient_id', 'uuid'],
    ['doctor_id', 'uuid'],
    ['clinic_id', 'uuid'],
    ['appointment_type_id', 'uuid'],
    ['starts_at', 'timestamptz'],
    ['ends_at', 'timestamptz'],
    ['status', 'appointment_status'],
    ['mode', 'consultation_mode'],
    ['booked_by', 'uuid'],
    ['cancellation_reason', 'varchar'],
    ['created_at', 'timestamptz'],
    ['updated_at', 'timestamptz'],
    ['confirmed_at', 'timestamptz'],
    ['checked_in_at', 'timestamptz'],
    ['started_at', 'timestamptz'],
    ['completed_at', 'timestamptz'],
    ['cancelled_at', 'timestamptz'],
  ];
  const progress = new Progress('postgres appointments', world.appointments.length);
  const writer = new RowWriter(client, 'appointments', columns, progress);
  for (const a of world.appointments) {
    const created = Math.min(world.now, a.startsAt - random.int(1, 21) * DAY);
    const reached = (step: string[]) => step.includes(a.status);
    const confirmed = reached(['confirmed', 'completed']) ? iso(created + DAY / 2) : null;
    const checkedIn = reached(['completed']) ? iso(a.startsAt - 10 * 60_000) : null;
    const cancelled = a.status === 'cancelled' ? iso(Math.min(world.now, a.startsAt - DAY / 4)) : null;
    const row: Cell[] = [
      a.id,
      world.patients[a.patient].id,
      world.doctors[a.doctor].id,
      world.clinics[a.clinic].id,
      world.typeIds[a.type],
      iso(a.startsAt),
      iso(a.endsAt),
      a.status,
      APPOINTMENT_TYPES[a.type][4],
      a.bookedBy,
      a.status === 'cancelled' ? random.pick(['Patient unavailable', 'Feeling better', 'Travel']) : null,
      iso(created),
      iso(Math.min(world.now, a.endsAt)),
      confirmed,
      checkedIn,
      reached(['completed']) ? iso(a.startsAt) : null,
      reached(['completed']) ? iso(a.endsAt) : null,
      cancelled,
    ];
    await writer.add(row);
  }
  await writer.flush();
  progress.finish();
}

const textArray = (values: readonly (string | number)[]) => `{${values.map((value) => JSON.stringify(String(value))).join(',')}}`;

/**
 * Prescriptions with their items and findings, signed, and the clinics' number counters. The
 * database's guard (migration `prescribing`) lets items and findings in only while their prescription
 * is a draft, and the status move only along the legal transitions: rather than switch the triggers
 * off (`session_replication_role`, a superuser's setting), every prescription is written as a draft
 * with its final fields, then its items and findings, then the statuses are moved as the API moves
 * them (draft -> active -> on hold, completed, cancelled, expired or in error; draft -> cancelled), a
 * statement per step for all of them. The data is then what the guard accepts, on any role that
 * owns the database; the updates' dead rows are vacuumed away.
 */
async function writePrescriptions(
  client: pg.ClientBase,
  world: World,
  random: Random,
  signer: PrescriptionSigner,
): Promise<{ prescriptions: number; items: number; findings: number; signed: number }> {
  const medicines = new Map<string, { id: string; name: string }>(
    (await client.query('SELECT id, code, generic_name FROM medicines')).rows.map((row) => [
      String(row.code),
      { id: String(row.id), name: String(row.generic_name) },
    ]),
  );
  if (medicines.size === 0) throw new Error('the medicine catalogue must be loaded before the prescriptions');
  const { prescriptions: all, counters } = world.prescriptions;
  const progress = new Progress('postgres prescriptions', all.length);
  const prescriptions = new RowWriter(
    client,
    'prescriptions',
    [
      ['id', 'uuid'],
      ['number', 'varchar'],
      ['patient_id', 'uuid'],
      ['prescriber_id', 'uuid'],
      ['clinic_id', 'uuid'],
      ['appointment_id', 'uuid'],
      ['diagnoses', 'text[]'],
      ['notes', 'varchar'],
      ['issued_on', 'date'],
      ['valid_until', 'date'],
      ['validity_days', 'int'],
      ['checked_at', 'timestamptz'],
      ['signed_at', 'timestamptz'],
      ['signed_by', 'uuid'],
      ['signature_key_id', 'varchar'],
      ['signature', 'varchar'],
      ['status_reason', 'varchar'],
      ['status_changed_at', 'timestamptz'],
      ['status_changed_by', 'uuid'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ],
    progress,
  );
  const items = new RowWriter(
    client,
    'prescription_items',
    [
      ['id', 'uuid'],
      ['prescription_id', 'uuid'],
      ['position', 'int'],
      ['medicine_id', 'uuid'],
      ['medicine_name', 'varchar'],
      ['strength', 'varchar'],
      ['form', 'varchar'],
      ['route', 'varchar'],
      ['dose_amount', 'numeric'],
      ['dose_unit', 'varchar'],
      ['frequency', 'varchar'],
      ['duration_days', 'int'],
      ['quantity', 'int'],
      ['refills_allowed', 'int'],
      ['substitution_allowed', 'boolean'],
      ['instructions', 'varchar'],
    ],
    undefined,
    [prescriptions],
  );
  const findings = new RowWriter(
    client,
    'prescription_findings',
    [
      ['id', 'uuid'],
      ['prescription_id', 'uuid'],
      ['fingerprint', 'varchar'],
      ['kind', 'finding_kind'],
      ['severity', 'finding_severity'],
      ['item_positions', 'int[]'],
      ['message_en', 'varchar'],
      ['message_fr', 'varchar'],
      ['detected_at', 'timestamptz'],
      ['resolved_by', 'uuid'],
      ['resolved_at', 'timestamptz'],
      ['override_reason', 'varchar'],
    ],
    undefined,
    [prescriptions],
  );
  const moves = new Map<string, string[]>();
  const move = (step: string, id: string) => {
    if (!moves.has(step)) moves.set(step, []);
    moves.get(step)!.push(id);
  };
  const at = (ms: number | null) => (ms === null ? null : iso(ms));
  let itemCount = 0;
  for (const rx of all) {
    const prescriberId = world.doctors[rx.doctor].userId;
    const appointmentId = rx.appointment === null ? null : world.appointments[rx.appointment].id;
    const lines = rx.items.map((item, index) => ({
      id: random.uuid(),
      position: index + 1,
      medicine: medicines.get(item.code)!,
      item,
    }));
    const resolutions = rx.findings.map((finding) => ({
      id: random.uuid(),
      finding,
      resolvedBy: finding.resolvedAt === null ? null : prescriberId,
    }));
    let signature: { keyId: string; signature: string } | null = null;
    if (rx.signedAt !== null) {
      const content: SignedContent = {
        id: rx.id,
        number: rx.number,
        clinicId: world.clinics[rx.clinic].id,
        patientId: world.patients[rx.patient].id,
        prescriberId,
        appointmentId,
        diagnoses: rx.diagnoses,
        notes: rx.notes,
        issuedOn: rx.issuedOn!,
        validUntil: rx.validUntil!,
        replacesId: null,
        signedAt: new Date(rx.signedAt),
        signedBy: prescriberId,
        items: lines.map(({ position, medicine, item }) => ({
          position,
          medicineId: medicine.id,
          medicineName: medicine.name,
          strength: item.strength,
          form: item.form,
          route: item.route,
          doseAmount: item.dose.toFixed(3),
          doseUnit: item.unit,
          frequency: item.frequency,
          durationDays: item.days,
          quantity: item.quantity,
          refillsAllowed: item.refills,
          substitutionAllowed: item.substitution,
          instructions: item.instructions,
        })),
        findings: resolutions.map(({ finding, resolvedBy }) => ({
          fingerprint: finding.fingerprint,
          severity: finding.severity,
          resolvedBy,
          resolvedAt: finding.resolvedAt === null ? null : new Date(finding.resolvedAt),
          overrideReason: finding.overrideReason,
        })),
      };
      signature = signer.sign(content);
      move('active', rx.id);
    }
    if (rx.status !== 'draft' && rx.status !== 'active') move(rx.status, rx.id);
    await prescriptions.add([
      rx.id,
      rx.number,
      world.patients[rx.patient].id,
      prescriberId,
      world.clinics[rx.clinic].id,
      appointmentId,
      textArray(rx.diagnoses),
      rx.notes,
      rx.issuedOn,
      rx.validUntil,
      30,
      at(rx.checkedAt),
      at(rx.signedAt),
      rx.signedAt === null ? null : prescriberId,
      signature?.keyId ?? null,
      signature?.signature ?? null,
      rx.statusReason,
      at(rx.statusChangedAt),
      rx.statusChangedByPrescriber ? prescriberId : null,
      iso(rx.createdAt),
      iso(rx.statusChangedAt ?? rx.signedAt ?? rx.checkedAt ?? rx.createdAt),
    ]);
    for (const { id, position, medicine, item } of lines) {
      await items.add([
        id,
        rx.id,
        position,
        medicine.id,
        medicine.name,
        item.strength,
        item.form,
        item.route,
        item.dose,
        item.unit,
        item.frequency,
        item.days,
        item.quantity,
        item.refills,
        item.substitution,
        item.instructions,
      ]);
      itemCount++;
    }
    for (const { id, finding, resolvedBy } of resolutions)
      await findings.add([
        id,
        rx.id,
        finding.fingerprint,
        finding.kind,
        finding.severity,
        textArray(finding.itemPositions),
        finding.messageEn.slice(0, 500),
        finding.messageFr.slice(0, 500),
        iso(finding.detectedAt),
        resolvedBy,
        at(finding.resolvedAt),
        finding.overrideReason,
      ]);
  }
  await prescriptions.flush();
  await items.flush();
  await findings.flush();
  // Signing first (draft -> active), then each later status from there; a draft cancelled unsigned goes straight there.
  for (const step of ['active', 'on_hold', 'completed', 'cancelled', 'expired', 'entered_in_error']) {
    const ids = moves.get(step) ?? [];
    for (let from = 0; from < ids.length; from += 20_000)
      await client.query(`UPDATE prescriptions SET status = $1::prescription_status WHERE id = ANY($2::uuid[])`, [
        step,
        ids.slice(from, from + 20_000),
      ]);
  }
  const clinicIds = counters.map(({ clinic }) => world.clinics[clinic].id);
  await client.query(
    `INSERT INTO prescription_counters (clinic_id, year, last_number) SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[])`,
    [clinicIds, counters.map(({ year }) => year), counters.map(({ last }) => last)],
  );
  await client.query('VACUUM ANALYZE prescriptions');
  progress.finish();
  return { prescriptions: all.length, items: itemCount, findings: findings.written, signed: moves.get('active')?.length ?? 0 };
}

/** Writes every table; `passwordHash` is the one hash all accounts share, `signing` the prescriptions' key. */
export async function loadPostgres(
  client: pg.ClientBase,
  world: World,
  passwordHash: string,
  seed: number,
  signing: Parameters<typeof signingKeys>[0],
): Promise<{ prescriptions: number; items: number; findings: number; signed: number }> {
  const random = new Random(seed + 1);
  const created = iso(world.now - 400 * DAY);
  const staffCount = world.clinics.length * 6 + world.doctors.length;
  const directory = new Progress('postgres directory', staffCount);
  await writeDirectory(client, world, new People(client, random, passwordHash, created, directory), random);
  directory.finish();
  const patients = new Progress('postgres patients', world.patients.length);
  await writePatients(client, world, new People(client, random, passwordHash, created, patients), random);
  patients.finish();
  await writeAppointments(client, world, random);
  return writePrescriptions(client, world, random, new PrescriptionSigner(signingKeys(signing)));
}
