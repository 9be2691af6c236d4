// The only code that reads doctors, their specialties and their clinic memberships, through the
// cache. Directory data: the same for every caller, so keys name no caller or tenant (only the
// doctor they describe); only what the directory shows of active doctors is cached, and every write
// that changes any of it bumps DOCTORS_VERSION after it commits (a suspended doctor is gone from the
// next read on).
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import { groupByKey } from '../../context/batch.js';
import { hashedKey, type ReadThrough } from '../../platform/cache-aside.js';

/**
 * The version of everything doctors-related that is cached: who is listed (user status), profiles
 * and names, specialties, clinic memberships, and where doctors have weekly hours (slot searches).
 * Bumped by AccountsRepository (status) and SchedulingRepository (hours).
 */
export const DOCTORS_VERSION = 'version:doctors';
const VERSIONS = [DOCTORS_VERSION];
const TTL_SECONDS = 300;

const publicProfile = {
  id: true, userId: true, licenseNumber: true, medicalDegree: true, yearsOfExperience: true, consultationFeeMinor: true, currency: true,
  consultationDurationMinutes: true, rating: true, reviewCount: true, bio: true, languages: true, acceptingPatients: true,
  user: { select: { profile: { select: { firstName: true, lastName: true } } } },
} as const satisfies Prisma.DoctorProfileSelect;
const specialtyFields = { id: true, code: true, nameEn: true, nameFr: true } as const satisfies Prisma.MedicalSpecialtySelect;

type ProfileRow = Prisma.DoctorProfileGetPayload<{ select: typeof publicProfile }>;
/** What the directory shows of a doctor, JSON-safe (as the cache holds it). */
export type DoctorRow = Omit<ProfileRow, 'rating'> & { rating: number };
export type SpecialtyRow = Prisma.MedicalSpecialtyGetPayload<{ select: typeof specialtyFields }>;

const toRow = ({ rating, ...row }: ProfileRow): DoctorRow => ({ ...row, rating: rating.toNumber() });

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

export class DoctorsRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cache: ReadThrough,
  ) {}

  /** A page of the directory in name order (last name, first name, id). */
  page(query: DoctorQuery): Promise<DoctorRow[]> {
    const where: Prisma.DoctorProfileWhereInput[] = [{ user: { is: { status: 'active', profile: { isNot: null } } } }];
    if (query.specialtyCode) where.push({ specialties: { some: { specialty: { code: query.specialtyCode } } } });
    if (query.clinicId) where.push({ user: { is: { staffMemberships: { some: { clinicId: query.clinicId, role: 'doctor', isActive: true } } } } });
    if (query.language) where.push({ languages: { has: query.language } });
    if (query.after) where.push(afterKey(query.after));
    return this.cache.one(hashedKey('doctors:page', query), TTL_SECONDS, async () => (await this.prisma.doctorProfile.findMany({
      where: { AND: where },
      select: publicProfile,
      orderBy: [{ user: { profile: { lastName: 'asc' } } }, { user: { profile: { firstName: 'asc' } } }, { id: 'asc' }],
      take: query.take,
    })).map(toRow), VERSIONS);
  }

  /** Active doctors by id. */
  findByIds(ids: readonly string[]): Promise<DoctorRow[]> {
    return this.cache.many(ids, (id) => `doctor:${id}`, TTL_SECONDS, (row: DoctorRow) => row.id, async (missing) =>
      (await this.prisma.doctorProfile.findMany({ where: { id: { in: missing }, user: { is: { status: 'active' } } }, select: publicProfile })).map(toRow), VERSIONS);
  }

  /** Each doctor's active specialties, primary first (an empty list for none). */
  specialtiesOf(doctorIds: readonly string[]): Promise<Array<{ doctorId: string; specialties: SpecialtyRow[] }>> {
    return this.cache.many(doctorIds, (id) => `doctor-specialties:${id}`, TTL_SECONDS, (row) => row.doctorId, async (missing) => {
      const rows = await this.prisma.doctorSpecialty.findMany({
        where: { doctorId: { in: missing }, specialty: { isActive: true } },
        select: { doctorId: true, specialty: { select: specialtyFields } },
        orderBy: [{ isPrimary: 'desc' }, { specialty: { code: 'asc' } }],
      });
      return groupByKey(missing, rows, (row) => row.doctorId).map((group, index) => ({ doctorId: missing[index], specialties: group.map((row) => row.specialty) }));
    }, VERSIONS);
  }

  /** The clinics each user works in as a doctor (active memberships, in the order they joined). */
  clinicMemberships(userIds: readonly string[]): Promise<Array<{ userId: string; clinicIds: string[] }>> {
    return this.cache.many(userIds, (id) => `doctor-clinics:${id}`, TTL_SECONDS, (row) => row.userId, async (missing) => {
      const rows = await this.prisma.clinicStaff.findMany({
        where: { userId: { in: missing }, role: 'doctor', isActive: true },
        select: { userId: true, clinicId: true },
        orderBy: { joinedAt: 'asc' },
      });
      return groupByKey(missing, rows, (row) => row.userId).map((group, index) => ({ userId: missing[index], clinicIds: group.map((row) => row.clinicId) }));
    }, VERSIONS);
  }
}
