// Care relationships and emergency access grants in PostgreSQL.
import type { PrismaClient } from '../../generated/prisma/client.js';

export interface TieRow {
  patientId: string;
  clinicId: string;
  staffUserId: string | null;
}

export interface GrantRow {
  id: string;
  staffUserId: string;
  patientId: string;
  clinicId: string;
  reason: string;
  createdAt: Date;
  expiresAt: Date;
}

export class CareRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Live ties of these patients with any of these clinics, in one statement: care relationships,
   * and appointments (past or upcoming, not cancelled), which tie the patient to the clinic and to
   * its doctor.
   */
  async relationships(patientIds: readonly string[], clinicIds: readonly string[], now = new Date()): Promise<TieRow[]> {
    if (clinicIds.length === 0) return [];
    const patients = [...patientIds];
    const clinics = [...clinicIds];
    return this.prisma.$queryRaw<TieRow[]>`
      SELECT patient_id AS "patientId", clinic_id AS "clinicId", staff_user_id AS "staffUserId"
      FROM care_relationships
      WHERE patient_id = ANY(${patients}::uuid[]) AND clinic_id = ANY(${clinics}::uuid[]) AND (ends_at IS NULL OR ends_at > ${now})
      UNION
      SELECT a.patient_id, a.clinic_id, d.user_id
      FROM appointments a JOIN doctor_profiles d ON d.id = a.doctor_id
      WHERE a.patient_id = ANY(${patients}::uuid[]) AND a.clinic_id = ANY(${clinics}::uuid[]) AND a.status <> 'cancelled'`;
  }

  /** Patients for whom `staffUserId` holds an unexpired emergency grant. */
  async emergencyGrants(staffUserId: string, patientIds: readonly string[], now = new Date()): Promise<Set<string>> {
    const grants = await this.prisma.emergencyAccessGrant.findMany({
      where: { staffUserId, patientId: { in: [...patientIds] }, expiresAt: { gt: now } },
      select: { patientId: true },
    });
    return new Set(grants.map((grant) => grant.patientId));
  }

  /** The clinician's unexpired grant for the patient, if any. */
  activeGrant(staffUserId: string, patientId: string, now = new Date()): Promise<GrantRow | null> {
    return this.prisma.emergencyAccessGrant.findFirst({
      where: { staffUserId, patientId, expiresAt: { gt: now } },
      orderBy: { expiresAt: 'desc' },
    });
  }

  /**
   * A new grant, unless the clinician already holds an unexpired one for the patient (then that
   * one, unchanged). Requests for one (clinician, patient) are serialised by a transaction-level
   * advisory lock, so that two parallel requests cannot both create a grant.
   */
  async grantUnlessActive(
    grant: { staffUserId: string; patientId: string; clinicId: string; reason: string; expiresAt: Date },
    now = new Date(),
  ): Promise<{ grant: GrantRow; created: boolean }> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext(${`emergency:${grant.staffUserId}:${grant.patientId}`}))) AS lock`;
      const active = await tx.emergencyAccessGrant.findFirst({
        where: { staffUserId: grant.staffUserId, patientId: grant.patientId, expiresAt: { gt: now } },
        orderBy: { expiresAt: 'desc' },
      });
      if (active) return { grant: active, created: false };
      return { grant: await tx.emergencyAccessGrant.create({ data: grant }), created: true };
    });
  }

  /** A clinic's grants created in [from, to), newest first (keyset on (createdAt, id)). */
  grantsOfClinic(clinicId: string, from: Date, to: Date, after: [Date, string] | undefined, take: number): Promise<GrantRow[]> {
    const keyset = after ? [{ OR: [{ createdAt: { lt: after[0] } }, { createdAt: after[0], id: { lt: after[1] } }] }] : [];
    return this.prisma.emergencyAccessGrant.findMany({
      where: { AND: [{ clinicId, createdAt: { gte: from, lt: to } }, ...keyset] },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
    });
  }

  countGrantsOfClinic(clinicId: string, from: Date, to: Date): Promise<number> {
    return this.prisma.emergencyAccessGrant.count({ where: { clinicId, createdAt: { gte: from, lt: to } } });
  }

  async addRelationship(relationship: {
    patientId: string;
    clinicId: string;
    staffUserId: string | null;
    kind: 'registration' | 'assignment';
    createdBy: string;
  }): Promise<void> {
    await this.prisma.careRelationship.create({ data: relationship });
  }

  /** Clinics (among `clinicIds`) where the staff member works with one of `roles`. */
  async staffClinics(
    staffUserId: string,
    clinicIds: readonly string[],
    roles: Array<'doctor' | 'nurse' | 'admin' | 'receptionist'>,
  ): Promise<string[]> {
    const rows = await this.prisma.clinicStaff.findMany({
      where: { userId: staffUserId, clinicId: { in: [...clinicIds] }, role: { in: roles }, isActive: true },
      select: { clinicId: true },
    });
    return rows.map((row) => row.clinicId);
  }

  /** Active clinic memberships of these staff members. */
  memberships(userIds: readonly string[]): Promise<Array<{ userId: string; clinicId: string }>> {
    return this.prisma.clinicStaff.findMany({
      where: { userId: { in: [...userIds] }, isActive: true },
      select: { userId: true, clinicId: true },
    });
  }

  /** Email addresses of the active admins of a clinic (to alert them). */
  async adminEmails(clinicId: string): Promise<string[]> {
    const admins = await this.prisma.clinicStaff.findMany({
      where: { clinicId, role: 'admin', isActive: true, user: { status: 'active' } },
      select: { user: { select: { email: true } } },
    });
    return admins.map((admin) => admin.user.email);
  }
}
