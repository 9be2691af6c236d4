// Writes the generated world to PostgreSQL, table by table, in batched INSERT ... unnest statements.
import type pg from 'pg';
import { APPOINTMENT_TYPES, FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, LAST_NAMES, SPECIALTIES } from './names.js';
import { RowWriter, type Cell, type Column } from './postgres-rows.js';
import type { World } from './world.js';
import { Random } from '../lib/random.js';
import { Progress } from '../lib/progress.js';

const EMAIL_DOMAIN = 'bench.clinic-graph.test';
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
const STAFF: Column[] = [
  ['id', 'uuid'],
  ['clinic_id', 'uuid'],
  ['user_id', 'uuid'],
  ['role', 'staff_role'],
  ['joined_at', 'timestamptz'],
];

/** Writes users with their profiles; `names` decides first and last names by index. */
class People {
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

/** Writes every table; `passwordHash` is the one hash all accounts share. */
export async function loadPostgres(client: pg.ClientBase, world: World, passwordHash: string, seed: number): Promise<void> {
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
}
