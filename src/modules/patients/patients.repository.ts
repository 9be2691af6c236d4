// Patients in PostgreSQL: users with the patient role and their profiles.
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import { uniqueViolation } from '../../platform/prisma-errors.js';

export type PatientRow = Prisma.UserGetPayload<{ include: { profile: true } }>;

export interface NewPatient {
  id: string;
  email: string;
  phone: string | null;
  profile: Omit<Prisma.UserProfileCreateWithoutUserInput, 'user'>;
  /** The clinic that registers the patient (a clinic-wide care relationship) and who did it. */
  registeredAt: { clinicId: string; by: string };
}

export interface PatientContact {
  phone: string | null;
  email: string;
  language: 'en' | 'fr';
  reminderChannel: 'sms' | 'email' | null;
}

/** What the front desk searches by, already normalised; every criterion given must match. */
export interface PatientSearch {
  clinicId: string;
  /** Words of a name, each found anywhere in "first last" (folded by the database). */
  words: string[];
  phone: string | null;
  nationalId: string | null;
  dateOfBirth: Date | null;
  /** The last patient seen (its names are read back here, so that cursors carry none). */
  after: string | undefined;
  take: number;
}

/** The fields of a patient that updatePatient may change; undefined leaves one as it is. */
export interface PatientChanges {
  email?: string;
  phone?: string | null;
  preferredLanguage?: 'en' | 'fr';
  address?: Prisma.InputJsonValue | null;
  emergencyContact?: Prisma.InputJsonValue | null;
  insurance?: Prisma.InputJsonValue | null;
}

const jsonOrNull = (value: Prisma.InputJsonValue | null | undefined) => (value === null ? Prisma.DbNull : value);

/** The patient `patientId` (an SQL expression) is one of the clinic's: a live care relationship or an appointment there. */
function clinicPatient(patientId: Prisma.Sql, clinicId: string): Prisma.Sql {
  return Prisma.sql`(EXISTS (SELECT 1 FROM care_relationships c WHERE c.patient_id = ${patientId} AND c.clinic_id = ${clinicId}::uuid AND (c.ends_at IS NULL OR c.ends_at > now()))
        OR EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = ${patientId} AND a.clinic_id = ${clinicId}::uuid AND a.status <> 'cancelled'))`;
}

/** Every criterion of a search, as SQL over users u and user_profiles p. */
function searchConditions(query: Omit<PatientSearch, 'after' | 'take'>): Prisma.Sql[] {
  return [
    Prisma.sql`u.role = 'patient'`,
    clinicPatient(Prisma.sql`u.id`, query.clinicId),
    // LIKE metacharacters in a name are matched literally.
    ...query.words.map(
      (word) =>
        Prisma.sql`p.search_name LIKE '%' || replace(replace(replace(patient_search_fold(${word}), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`,
    ),
    ...(query.phone ? [Prisma.sql`u.phone = ${query.phone}`] : []),
    ...(query.nationalId ? [Prisma.sql`p.national_id = ${query.nationalId}`] : []),
    ...(query.dateOfBirth ? [Prisma.sql`p.date_of_birth = ${query.dateOfBirth}::date`] : []),
  ];
}

export class PatientsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  findByIds(ids: readonly string[]): Promise<PatientRow[]> {
    return this.prisma.user.findMany({ where: { id: { in: [...ids] }, role: 'patient' }, include: { profile: true } });
  }

  /** How to reach an active patient now: addresses and notification preferences. */
  async contact(patientId: string): Promise<PatientContact | null> {
    const user = await this.prisma.user.findFirst({
      where: { id: patientId, role: 'patient', status: 'active' },
      select: { phone: true, email: true, profile: { select: { preferredLanguage: true, reminderChannel: true } } },
    });
    return user
      ? {
          phone: user.phone,
          email: user.email,
          language: user.profile?.preferredLanguage ?? 'fr',
          reminderChannel: user.profile?.reminderChannel ?? null,
        }
      : null;
  }

  /** Creates the user, the profile and the clinic relationship in one transaction; UniqueViolation on a taken email, phone or id. */
  async create(patient: NewPatient): Promise<PatientRow> {
    try {
      return await this.prisma.user.create({
        data: {
          id: patient.id,
          email: patient.email,
          phone: patient.phone,
          role: 'patient',
          status: 'active',
          profile: { create: patient.profile },
          careAsPatient: { create: { clinicId: patient.registeredAt.clinicId, kind: 'registration', createdBy: patient.registeredAt.by } },
        },
        include: { profile: true },
      });
    } catch (error) {
      throw uniqueViolation(error) ?? error;
    }
  }

  /**
   * Patients of a clinic (a live care relationship or an appointment there, as in the access
   * ties) matching every criterion, in name order. Names are matched through the trigram index
   * on user_profiles.search_name, phones and national ids through their unique indexes.
   */
  async search(query: PatientSearch): Promise<PatientRow[]> {
    const conditions = [
      ...searchConditions(query),
      // The last patient seen must be one of the clinic's (else nothing follows it), so that a
      // cursor made from another patient's id cannot tell where that name sorts.
      ...(query.after
        ? [
            Prisma.sql`(p.last_name, p.first_name, u.id) > (SELECT last_name, first_name, user_id FROM user_profiles WHERE user_id = ${query.after}::uuid AND ${clinicPatient(Prisma.sql`user_profiles.user_id`, query.clinicId)})`,
          ]
        : []),
    ];
    const ids = await this.prisma.$queryRaw<Array<{ id: string }>>`
      SELECT u.id FROM users u JOIN user_profiles p ON p.user_id = u.id
      WHERE ${Prisma.join(conditions, ' AND ')}
      ORDER BY p.last_name, p.first_name, u.id
      LIMIT ${query.take}`;
    const rows = new Map((await this.findByIds(ids.map((row) => row.id))).map((row) => [row.id, row]));
    return ids.flatMap((row) => rows.get(row.id) ?? []);
  }

  /** How many patients the search finds in all (totalCount), whatever the page. */
  async countSearch(query: Omit<PatientSearch, 'after' | 'take'>): Promise<number> {
    const [row] = await this.prisma.$queryRaw<Array<{ count: number }>>`
      SELECT count(*)::int AS count FROM users u JOIN user_profiles p ON p.user_id = u.id
      WHERE ${Prisma.join(searchConditions(query), ' AND ')}`;
    return row?.count ?? 0;
  }

  /** Whether the patient has set a password (their email is then how they sign in). */
  /**
   * Applies the changes in one statement; a changed email or phone must be verified again.
   * UniqueViolation on a taken one; EmailLocked when the email changes and the person has set a
   * password meanwhile (checked by the write itself, so that no sign-in can slip in between).
   */
  async update(patientId: string, changes: PatientChanges): Promise<PatientRow> {
    try {
      return await this.prisma.user.update({
        where: { id: patientId, ...(changes.email !== undefined ? { passwordHash: null } : {}) },
        data: {
          ...(changes.email !== undefined ? { email: changes.email, emailVerifiedAt: null } : {}),
          ...(changes.phone !== undefined ? { phone: changes.phone, phoneVerifiedAt: null } : {}),
          profile: {
            update: {
              ...(changes.preferredLanguage !== undefined ? { preferredLanguage: changes.preferredLanguage } : {}),
              ...(changes.address !== undefined ? { address: jsonOrNull(changes.address) } : {}),
              ...(changes.emergencyContact !== undefined ? { emergencyContact: jsonOrNull(changes.emergencyContact) } : {}),
              ...(changes.insurance !== undefined ? { insurance: jsonOrNull(changes.insurance) } : {}),
            },
          },
        },
        include: { profile: true },
      });
    } catch (error) {
      if (changes.email !== undefined && error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025')
        throw new EmailLocked();
      throw uniqueViolation(error) ?? error;
    }
  }
}

/** The email is the sign-in of an account whose owner has set a password. */
export class EmailLocked extends Error {}
