// The only code that reads doctors, their specialties and their clinic memberships.
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';

const withName = { user: { select: { profile: { select: { firstName: true, lastName: true } } } } } as const;

export type DoctorRow = Prisma.DoctorProfileGetPayload<{ include: typeof withName }>;
export type DoctorSpecialtyRow = Prisma.DoctorSpecialtyGetPayload<{ include: { specialty: true } }>;

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
  constructor(private readonly prisma: PrismaClient) {}

  /** A page of the directory in name order (last name, first name, id). */
  page(query: DoctorQuery): Promise<DoctorRow[]> {
    const where: Prisma.DoctorProfileWhereInput[] = [{ user: { is: { status: 'active', profile: { isNot: null } } } }];
    if (query.specialtyCode) where.push({ specialties: { some: { specialty: { code: query.specialtyCode } } } });
    if (query.clinicId) where.push({ user: { is: { staffMemberships: { some: { clinicId: query.clinicId, role: 'doctor', isActive: true } } } } });
    if (query.language) where.push({ languages: { has: query.language } });
    if (query.after) where.push(afterKey(query.after));
    return this.prisma.doctorProfile.findMany({
      where: { AND: where },
      include: withName,
      orderBy: [{ user: { profile: { lastName: 'asc' } } }, { user: { profile: { firstName: 'asc' } } }, { id: 'asc' }],
      take: query.take,
    });
  }

  findByIds(ids: readonly string[]): Promise<DoctorRow[]> {
    return this.prisma.doctorProfile.findMany({ where: { id: { in: [...ids] }, user: { is: { status: 'active' } } }, include: withName });
  }

  specialtiesOf(doctorIds: readonly string[]): Promise<DoctorSpecialtyRow[]> {
    return this.prisma.doctorSpecialty.findMany({
      where: { doctorId: { in: [...doctorIds] }, specialty: { isActive: true } },
      include: { specialty: true },
      orderBy: [{ isPrimary: 'desc' }, { specialty: { code: 'asc' } }],
    });
  }

  /** Active doctor memberships of the given users: which clinics each works in. */
  clinicMemberships(userIds: readonly string[]): Promise<Array<{ userId: string; clinicId: string }>> {
    return this.prisma.clinicStaff.findMany({
      where: { userId: { in: [...userIds] }, role: 'doctor', isActive: true },
      select: { userId: true, clinicId: true },
      orderBy: { joinedAt: 'asc' },
    });
  }
}
