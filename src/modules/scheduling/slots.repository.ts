// Free slots, computed by PostgreSQL in one statement with its own time-zone rules for each clinic:
// weekly windows and extra hours, cut by the type's duration, minus breaks, time off and bookings.
// Searches go through the cache (see slot-cache.ts); what a booking checks against does not.
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import { hashedKey, type ReadThrough } from '../../platform/cache-aside.js';
import { DOCTORS_VERSION } from '../doctors/index.js';
import { SLOTS_TTL_SECONDS, slotsVersion } from './slot-cache.js';

export interface SlotQuery {
  doctorIds: string[];
  /** Limit to these clinics (null: any clinic where the doctors have hours). */
  clinicIds: string[] | null;
  from: Date;
  to: Date;
  durationMinutes: number;
  /** Also list times already booked (to tell "outside availability" from "taken"). */
  includeBooked?: boolean;
  limit?: number;
}

/** How a search chooses doctors: one doctor, a specialty, clinics near a point; `clinicId` limits to one clinic. */
export interface SlotSearch {
  doctorId?: string;
  specialtyCode?: string;
  clinicId?: string;
  near?: { latitude: number; longitude: number; radiusKm: number };
}

export interface SlotRow {
  doctorId: string;
  clinicId: string;
  startsAt: Date;
  endsAt: Date;
}

export class SlotsRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cache: ReadThrough,
  ) {}

  /** The doctors (active, with hours at a matching clinic) and clinics (null: any) a search covers. */
  searchScope(search: SlotSearch): Promise<{ doctorIds: string[]; clinicIds: string[] | null }> {
    return this.cache.one(
      hashedKey('slot-scope', search),
      SLOTS_TTL_SECONDS,
      async () => {
        const { doctorId, specialtyCode, clinicId, near } = search;
        const clinicIds = near ? await this.clinicsNear(near.latitude, near.longitude, near.radiusKm) : clinicId ? [clinicId] : null;
        return { doctorIds: await this.doctorsFor({ doctorId, specialtyCode, clinicIds }), clinicIds };
      },
      [DOCTORS_VERSION],
    );
  }

  /** Free slots (booked times left out) as slots() finds them, through the cache. */
  async free(query: Omit<SlotQuery, 'includeBooked'>): Promise<SlotRow[]> {
    if (query.doctorIds.length === 0) return [];
    const doctorIds = [...query.doctorIds].sort();
    const key = hashedKey('slots', { ...query, doctorIds, clinicIds: query.clinicIds && [...query.clinicIds].sort() });
    const rows = await this.cache.one(key, SLOTS_TTL_SECONDS, () => this.slots(query), [DOCTORS_VERSION, ...doctorIds.map(slotsVersion)]);
    // Kept up to SLOTS_TTL_SECONDS: a slot that has started since is no longer free.
    const now = Date.now();
    return rows.filter((row) => row.startsAt.getTime() > now);
  }

  private async doctorsFor(filter: { doctorId?: string; specialtyCode?: string; clinicIds: string[] | null }): Promise<string[]> {
    const doctors = await this.prisma.doctorProfile.findMany({
      where: {
        ...(filter.doctorId ? { id: filter.doctorId } : {}),
        ...(filter.specialtyCode ? { specialties: { some: { specialty: { code: filter.specialtyCode } } } } : {}),
        user: { is: { status: 'active' } },
        windows: { some: filter.clinicIds ? { clinicId: { in: filter.clinicIds } } : {} },
      },
      select: { id: true },
      take: 200,
    });
    return doctors.map((doctor) => doctor.id);
  }

  /** Active clinics within `radiusKm` of a point (great-circle distance). */
  private async clinicsNear(latitude: number, longitude: number, radiusKm: number): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM clinics
      WHERE is_active AND latitude IS NOT NULL AND longitude IS NOT NULL
        AND 2 * 6371 * asin(sqrt(power(sin(radians(latitude - ${latitude}) / 2), 2)
          + cos(radians(${latitude})) * cos(radians(latitude)) * power(sin(radians(longitude - ${longitude}) / 2), 2))) <= ${radiusKm}`;
    return rows.map((row) => row.id);
  }

  /** Free slots: weekly windows and extra hours, cut by the type's duration, minus breaks, time off and (unless asked) bookings. Uncached: what a booking checks against. */
  async slots(query: SlotQuery): Promise<SlotRow[]> {
    if (query.doctorIds.length === 0) return [];
    const step = Prisma.sql`(${query.durationMinutes}::int * interval '1 minute')`;
    const clinicFilter = query.clinicIds ? Prisma.sql`AND w.clinic_id = ANY(${query.clinicIds}::uuid[])` : Prisma.empty;
    const extraClinicFilter = query.clinicIds ? Prisma.sql`AND e.clinic_id = ANY(${query.clinicIds}::uuid[])` : Prisma.empty;
    const bookedFilter = query.includeBooked
      ? Prisma.empty
      : Prisma.sql`AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.doctor_id = x.doctor_id
          AND a.status NOT IN ('cancelled', 'no_show') AND tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange(x.starts_at, x.ends_at, '[)'))`;
    return this.prisma.$queryRaw<SlotRow[]>`
      WITH days AS (
        SELECT generate_series((${query.from}::timestamptz AT TIME ZONE 'UTC')::date - 1,
                               (${query.to}::timestamptz AT TIME ZONE 'UTC')::date + 1, interval '1 day')::date AS day
      ),
      spans AS (
        SELECT w.id AS window_id, w.doctor_id, w.clinic_id, c.time_zone, d.day, w.starts_at AS local_start,
               (d.day + w.starts_at) AT TIME ZONE c.time_zone AS span_start,
               ((CASE WHEN w.ends_at <= w.starts_at THEN d.day + 1 ELSE d.day END) + w.ends_at) AT TIME ZONE c.time_zone AS span_end
        FROM availability_windows w
        JOIN clinics c ON c.id = w.clinic_id AND c.is_active
        JOIN days d ON extract(dow FROM d.day) = w.day_of_week
        WHERE w.doctor_id = ANY(${query.doctorIds}::uuid[]) ${clinicFilter}
          AND (w.valid_from IS NULL OR d.day >= w.valid_from) AND (w.valid_until IS NULL OR d.day <= w.valid_until)
        UNION ALL
        SELECT NULL, e.doctor_id, e.clinic_id, c.time_zone, NULL, NULL, e.starts_at, e.ends_at
        FROM availability_exceptions e JOIN clinics c ON c.id = e.clinic_id AND c.is_active
        WHERE e.kind = 'extra_hours' AND e.doctor_id = ANY(${query.doctorIds}::uuid[]) ${extraClinicFilter}
          AND e.ends_at > ${query.from} AND e.starts_at < ${query.to}
      ),
      candidates AS (
        SELECT s.*, g AS starts_at, g + ${step} AS ends_at
        FROM spans s, generate_series(s.span_start, s.span_end - ${step}, ${step}) g
      )
      SELECT doctor_id AS "doctorId", clinic_id AS "clinicId", starts_at AS "startsAt", ends_at AS "endsAt" FROM (
        SELECT DISTINCT ON (x.doctor_id, x.starts_at) x.doctor_id, x.clinic_id, x.starts_at, x.ends_at
        FROM candidates x
        WHERE x.starts_at >= ${query.from} AND x.ends_at <= ${query.to} AND x.starts_at > now()
          AND NOT EXISTS (
            SELECT 1 FROM availability_breaks b WHERE b.window_id = x.window_id
              AND tstzrange(
                    ((CASE WHEN b.starts_at < x.local_start THEN x.day + 1 ELSE x.day END) + b.starts_at) AT TIME ZONE x.time_zone,
                    ((CASE WHEN b.ends_at <= x.local_start THEN x.day + 1 ELSE x.day END) + b.ends_at) AT TIME ZONE x.time_zone, '[)')
                  && tstzrange(x.starts_at, x.ends_at, '[)'))
          AND NOT EXISTS (
            SELECT 1 FROM availability_exceptions e WHERE e.doctor_id = x.doctor_id AND e.kind = 'time_off'
              AND tstzrange(e.starts_at, e.ends_at, '[)') && tstzrange(x.starts_at, x.ends_at, '[)'))
          ${bookedFilter}
        ORDER BY x.doctor_id, x.starts_at
      ) free
      ORDER BY starts_at, doctor_id
      LIMIT ${query.limit ?? 500}`;
  }
}
