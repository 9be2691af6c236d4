// Doctors, their specialties and their clinic memberships from PostgreSQL, read through the cache.
// Directory data: the same for every caller, so keys name no caller or tenant (only the doctor they
// describe); only what the directory shows of active doctors is cached, and every write that
// changes any of it bumps DOCTORS_VERSION after it commits (a suspended doctor is gone from the
// next read on).
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import { groupByKey } from '../../context/batch.js';
import { hashedKey, type ReadThrough } from '../../platform/cache-aside.js';
import { uniqueViolation } from '../../platform/prisma-errors.js';

/**
 * The version of everything doctors-related that is cached: who is listed (user status), profiles
 * and names, specialties, clinic memberships, and where doctors have weekly hours (slot searches).
 * Bumped by AccountsRepository (status) and AvailabilityRepository (hours).
 */
export const DOCTORS_VERSION = 'version:doctors';
const VERSIONS = [DOCTORS_VERSION];
const TTL_SECONDS = 300;

const publicProfile = {
  id: true,
  userId: true,
  licenseNumber: true,
  medicalDegree: true,
  yearsOfExperience: true,
  consultationFeeMinor: true,
  currency: true,
  consultationDurationMinutes: true,
  rating: true,
  reviewCount: true,
  bio: true,
  languages: true,
  acceptingPatients: true,
  user: { select: { profile: { select: { firstName: true, lastName: true } } } },
} as const satisfies Prisma.DoctorProfileSelect;
const specialtyFields = { id: true, code: true, nameEn: true, nameFr: true } as const satisfies Prisma.MedicalSpecialtySelect;

type ProfileRow = Prisma.DoctorProfileGetPayload<{ select: typeof publicProfile }>;
/** What the directory shows of a doctor, JSON-safe (as the cache holds it). */
export type DoctorRow = Omit<ProfileRow, 'rating'> & { rating: number };
export type SpecialtyRow = Prisma.MedicalSpecialtyGetPayload<{ select: typeof specialtyFields }>;

const toRow = ({ rating, ...row }: ProfileRow): DoctorRow => ({ ...row, rating: rating.toNumber() });

/** One page of one clinic's doctors: `take` rows after the name key `after`. */
export interface ClinicDoctorsQuery {
  clinicId: string;
  after?: [string, string, string];
  take: number;
}

/** The doctors (ids, in order) of one ClinicDoctorsQuery, under its cache key. */
export interface ClinicDoctorsPage {
  key: string;
  doctorIds: string[];
}

/** A doctor profile's fields as clinic admins set them. */
export type ProfileFields = Pick<
  Prisma.DoctorProfileUncheckedCreateInput,
  | 'licenseNumber'
  | 'consultationFeeMinor'
  | 'languages'
  | 'bio'
  | 'medicalDegree'
  | 'yearsOfExperience'
  | 'consultationDurationMinutes'
  | 'acceptingPatients'
>;

/** Where a doctor consults among the clinics an admin manages: memberships to (re)activate and to end. */
export interface ClinicChanges {
  join: string[];
  leave: string[];
}

/** Who a profile is for: the account's role, whether it has a profile, its doctor memberships. */
export interface ProfileOwner {
  userId: string;
  role: string;
  doctorId: string | null;
  activeClinicIds: string[];
  clinicIds: string[];
}

export interface DoctorQuery {
  specialtyCode?: string;
  clinicId?: string;
  language?: 'en' | 'fr';
  /** The sort key of the last row of the previous page: [lastName, firstName, id]. */
  after?: [string, string, string];
  take: number;
}

function afterKey([lastName, firstName, id]: [string, string, string]): Prisma.DoctorProfileWhereInput {
  const name = (where: Prisma.UserProfileWhereInput): Prisma.DoctorProfileWhereInput => ({ user: { is: { profile: { is: where } } } });
  return {
    OR: [
      name({ lastName: { gt: lastName } }),
      { AND: [name({ lastName }), name({ firstName: { gt: firstName } })] },
      { AND: [name({ lastName, firstName }), { id: { gt: id } }] },
    ],
  };
}

/** Who the directory lists: active doctors with a name, narrowed by the filter. */
function directoryFilter(query: Omit<DoctorQuery, 'after' | 'take'>): Prisma.DoctorProfileWhereInput[] {
  const where: Prisma.DoctorProfileWhereInput[] = [{ user: { is: { status: 'active', profile: { isNot: null } } } }];
  if (query.specialtyCode) where.push({ specialties: { some: { specialty: { code: query.specialtyCode } } } });
  if (query.clinicId)
    where.push({ user: { is: { staffMemberships: { some: { clinicId: query.clinicId, role: 'doctor', isActive: true } } } } });
  if (query.language) where.push({ languages: { has: query.language } });
  return where;
}

export class DoctorsRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cache: ReadThrough,
  ) {}

  /** A page of the directory in name order (last name, first name, id). */
  page(query: DoctorQuery): Promise<DoctorRow[]> {
    const where = directoryFilter(query);
    if (query.after) where.push(afterKey(query.after));
    return this.cache.one(
      hashedKey('doctors:page', query),
      TTL_SECONDS,
      async () =>
        (
          await this.prisma.doctorProfile.findMany({
            where: { AND: where },
            select: publicProfile,
            orderBy: [{ user: { profile: { lastName: 'asc' } } }, { user: { profile: { firstName: 'asc' } } }, { id: 'asc' }],
            take: query.take,
          })
        ).map(toRow),
      VERSIONS,
    );
  }

  /** How many doctors the directory lists for a filter (every page). */
  count(filter: Omit<DoctorQuery, 'after' | 'take'>): Promise<number> {
    const { specialtyCode, clinicId, language } = filter;
    return this.cache.one(
      hashedKey('doctors:count', { specialtyCode, clinicId, language }),
      TTL_SECONDS,
      () => this.prisma.doctorProfile.count({ where: { AND: directoryFilter(filter) } }),
      VERSIONS,
    );
  }

  /** Every active specialty, by code (reference data). */
  activeSpecialties(): Promise<SpecialtyRow[]> {
    return this.cache.one(
      'specialties:active',
      TTL_SECONDS,
      () => this.prisma.medicalSpecialty.findMany({ where: { isActive: true }, select: specialtyFields, orderBy: { code: 'asc' } }),
      VERSIONS,
    );
  }

  /** Active specialties by id. */
  specialtiesByIds(ids: readonly string[]): Promise<SpecialtyRow[]> {
    return this.cache.many(
      ids,
      (id) => `specialty:${id}`,
      TTL_SECONDS,
      (row: SpecialtyRow) => row.id,
      (missing) => this.prisma.medicalSpecialty.findMany({ where: { id: { in: missing }, isActive: true }, select: specialtyFields }),
      VERSIONS,
    );
  }

  /**
   * A page of each clinic's listed doctors (active, with a name and an active doctor membership
   * there), in directory order, for many clinics in one statement: a LATERAL join per clinic.
   */
  clinicDoctorPages(queries: readonly ClinicDoctorsQuery[]): Promise<ClinicDoctorsPage[]> {
    const keyOf = (query: ClinicDoctorsQuery) => hashedKey('clinic-doctors', query);
    const byKey = new Map(queries.map((query) => [keyOf(query), query]));
    return this.cache
      .many(
        [...byKey.keys()],
        (key) => key,
        TTL_SECONDS,
        (row: ClinicDoctorsPage) => row.key,
        async (missing): Promise<ClinicDoctorsPage[]> => {
          const asked = missing.map((key) => byKey.get(key)!);
          const rows = await this.prisma.$queryRaw<Array<{ ord: number; id: string }>>`
        SELECT k.ord, d.id
        FROM unnest(${asked.map((query) => query.clinicId)}::uuid[], ${asked.map((query) => query.after?.[0] ?? null)}::text[],
                    ${asked.map((query) => query.after?.[1] ?? null)}::text[], ${asked.map((query) => query.after?.[2] ?? null)}::uuid[],
                    ${asked.map((query) => query.take)}::int[]) WITH ORDINALITY AS k(clinic_id, last_name, first_name, after_id, take, ord)
        CROSS JOIN LATERAL (
          SELECT dp.id, p.last_name, p.first_name
          FROM clinic_staff s
          JOIN users u ON u.id = s.user_id AND u.status = 'active'
          JOIN user_profiles p ON p.user_id = u.id
          JOIN doctor_profiles dp ON dp.user_id = u.id
          WHERE s.clinic_id = k.clinic_id AND s.role = 'doctor' AND s.is_active
            AND (k.after_id IS NULL OR (p.last_name, p.first_name, dp.id) > (k.last_name, k.first_name, k.after_id))
          ORDER BY p.last_name, p.first_name, dp.id
          LIMIT k.take
        ) d
        ORDER BY k.ord, d.last_name, d.first_name, d.id`;
          return asked.map((_query, index) => ({
            key: missing[index],
            doctorIds: rows.filter((row) => Number(row.ord) === index + 1).map((row) => row.id),
          }));
        },
        VERSIONS,
      )
      .then((pages) => {
        const found = new Map(pages.map((page) => [page.key, page]));
        return queries.map((query) => found.get(keyOf(query)) ?? { key: keyOf(query), doctorIds: [] });
      });
  }

  /** How many doctors each clinic lists (one grouped COUNT for all of them). */
  clinicDoctorCounts(clinicIds: readonly string[]): Promise<Array<{ clinicId: string; count: number }>> {
    return this.cache.many(
      clinicIds,
      (id) => `clinic-doctors-count:${id}`,
      TTL_SECONDS,
      (row) => row.clinicId,
      async (missing) => {
        const rows = await this.prisma.$queryRaw<Array<{ clinicId: string; count: number }>>`
        SELECT s.clinic_id AS "clinicId", count(*)::int AS count
        FROM clinic_staff s
        JOIN users u ON u.id = s.user_id AND u.status = 'active'
        JOIN user_profiles p ON p.user_id = u.id
        JOIN doctor_profiles dp ON dp.user_id = u.id
        WHERE s.clinic_id = ANY(${missing}::uuid[]) AND s.role = 'doctor' AND s.is_active
        GROUP BY s.clinic_id`;
        const counts = new Map(rows.map((row) => [row.clinicId, row.count]));
        return missing.map((clinicId) => ({ clinicId, count: counts.get(clinicId) ?? 0 }));
      },
      VERSIONS,
    );
  }

  /** Active specialties with these codes. */
  specialtiesByCodes(codes: readonly string[]): Promise<SpecialtyRow[]> {
    return this.prisma.medicalSpecialty.findMany({ where: { code: { in: [...codes] }, isActive: true }, select: specialtyFields });
  }

  /** The account a profile is (or would be) for, by user id or by doctor profile id; uncached (writes decide on it). */
  async profileOwner(where: { userId: string } | { doctorId: string }): Promise<ProfileOwner | null> {
    const user = await this.prisma.user.findFirst({
      where: 'userId' in where ? { id: where.userId } : { doctorProfile: { is: { id: where.doctorId } } },
      select: {
        id: true,
        role: true,
        doctorProfile: { select: { id: true } },
        staffMemberships: { where: { role: 'doctor' }, select: { clinicId: true, isActive: true } },
      },
    });
    if (!user) return null;
    return {
      userId: user.id,
      role: user.role,
      doctorId: user.doctorProfile?.id ?? null,
      activeClinicIds: user.staffMemberships.filter((membership) => membership.isActive).map((membership) => membership.clinicId),
      clinicIds: user.staffMemberships.map((membership) => membership.clinicId),
    };
  }

  /** What the directory shows of a doctor, whatever their account's status (a write's result). */
  async profile(doctorId: string): Promise<DoctorRow | null> {
    const row = await this.prisma.doctorProfile.findUnique({ where: { id: doctorId }, select: publicProfile });
    return row ? toRow(row) : null;
  }

  /**
   * Creates or changes a doctor's profile, specialties (replaced when given, the first primary) and
   * clinic memberships in one transaction, then makes the directory's cache stale. UniqueViolation
   * when the licence number is another doctor's.
   */
  async saveProfile(
    owner: { userId: string; doctorId: string | null },
    fields: Partial<ProfileFields>,
    specialtyIds: string[] | undefined,
    clinics: ClinicChanges | undefined,
  ): Promise<string> {
    let doctorId: string;
    try {
      doctorId = await this.prisma.$transaction(async (tx) => {
        const { id } = owner.doctorId
          ? await tx.doctorProfile.update({ where: { id: owner.doctorId }, data: fields, select: { id: true } })
          : await tx.doctorProfile.create({ data: { ...(fields as ProfileFields), userId: owner.userId }, select: { id: true } });
        if (specialtyIds) {
          await tx.doctorSpecialty.deleteMany({ where: { doctorId: id } });
          await tx.doctorSpecialty.createMany({
            data: specialtyIds.map((specialtyId, index) => ({ doctorId: id, specialtyId, isPrimary: index === 0 })),
          });
        }
        for (const clinicId of clinics?.join ?? []) {
          await tx.clinicStaff.upsert({
            where: { clinicId_userId: { clinicId, userId: owner.userId } },
            create: { clinicId, userId: owner.userId, role: 'doctor' },
            update: { isActive: true },
          });
        }
        if (clinics?.leave.length)
          await tx.clinicStaff.updateMany({
            where: { userId: owner.userId, role: 'doctor', clinicId: { in: clinics.leave } },
            data: { isActive: false },
          });
        return id;
      });
    } catch (error) {
      throw uniqueViolation(error, { license_number: 'licenseNumber' }) ?? error;
    }
    await this.cache.bump(VERSIONS);
    return doctorId;
  }

  /** Active doctors by id. */
  findByIds(ids: readonly string[]): Promise<DoctorRow[]> {
    return this.cache.many(
      ids,
      (id) => `doctor:${id}`,
      TTL_SECONDS,
      (row: DoctorRow) => row.id,
      async (missing) =>
        (
          await this.prisma.doctorProfile.findMany({
            where: { id: { in: missing }, user: { is: { status: 'active' } } },
            select: publicProfile,
          })
        ).map(toRow),
      VERSIONS,
    );
  }

  /** Each doctor's active specialties, primary first (an empty list for none). */
  specialtiesOf(doctorIds: readonly string[]): Promise<Array<{ doctorId: string; specialties: SpecialtyRow[] }>> {
    return this.cache.many(
      doctorIds,
      (id) => `doctor-specialties:${id}`,
      TTL_SECONDS,
      (row) => row.doctorId,
      async (missing) => {
        const rows = await this.prisma.doctorSpecialty.findMany({
          where: { doctorId: { in: missing }, specialty: { isActive: true } },
          select: { doctorId: true, specialty: { select: specialtyFields } },
          orderBy: [{ isPrimary: 'desc' }, { specialty: { code: 'asc' } }],
        });
        return groupByKey(missing, rows, (row) => row.doctorId).map((group, index) => ({
          doctorId: missing[index],
          specialties: group.map((row) => row.specialty),
        }));
      },
      VERSIONS,
    );
  }

  /** The clinics each user works in as a doctor (active memberships, in the order they joined). */
  clinicMemberships(userIds: readonly string[]): Promise<Array<{ userId: string; clinicIds: string[] }>> {
    return this.cache.many(
      userIds,
      (id) => `doctor-clinics:${id}`,
      TTL_SECONDS,
      (row) => row.userId,
      async (missing) => {
        const rows = await this.prisma.clinicStaff.findMany({
          where: { userId: { in: missing }, role: 'doctor', isActive: true },
          select: { userId: true, clinicId: true },
          orderBy: { joinedAt: 'asc' },
        });
        return groupByKey(missing, rows, (row) => row.userId).map((group, index) => ({
          userId: missing[index],
          clinicIds: group.map((row) => row.clinicId),
        }));
      },
      VERSIONS,
    );
  }
}
