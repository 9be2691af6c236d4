// The only code that reads and writes care relationships and emergency access grants.
import type { PrismaClient } from '../../generated/prisma/client.js';

export interface TieRow {
  patientId: string;
  clinicId: string;
  staffUserId: string | null;
}

export class CareRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Live ties of these patients with any of these clinics: care relationships, and appointments
   * (past or upcoming, not cancelled), which tie the patient to the clinic and to its doctor.
   */
  async relationships(patientIds: readonly string[], clinicIds: readonly string[], now = new Date()): Promise<TieRow[]> {
    if (clinicIds.length === 0) return [];
    const [explicit, appointments] = await Promise.all([
      this.prisma.careRelationship.findMany({
        where: { patientId: { in: [...patientIds] }, clinicId: { in: [...clinicIds] }, OR: [{ endsAt: null }, { endsAt: { gt: now } }] },
        select: { patientId: true, clinicId: true, staffUserId: true },
      }),
      this.prisma.appointment.findMany({
        where: { patientId: { in: [...patientIds] }, clinicId: { in: [...clinicIds] }, status: { not: 'cancelled' } },
        select: { patientId: true, clinicId: true, doctor: { select: { userId: true } } },
        distinct: ['patientId', 'clinicId', 'doctorId'],
      }),
    ]);
    return [...explicit, ...appointments.map((a) => ({ patientId: a.patientId, clinicId: a.clinicId, staffUserId: a.doctor.userId }))];
  }

  /** Patients for whom `staffUserId` holds an unexpired emergency grant. */
  async emergencyGrants(staffUserId: string, patientIds: readonly string[], now = new Date()): Promise<Set<string>> {
    const grants = await this.prisma.emergencyAccessGrant.findMany({
      where: { staffUserId, patientId: { in: [...patientIds] }, expiresAt: { gt: now } },
      select: { patientId: true },
    });
    return new Set(grants.map((grant) => grant.patientId));
  }

  async grantEmergencyAccess(grant: { staffUserId: string; patientId: string; clinicId: string; reason: string; expiresAt: Date }) {
    return this.prisma.emergencyAccessGrant.create({ data: grant });
  }

  async addRelationship(relationship: { patientId: string; clinicId: string; staffUserId: string | null; kind: 'registration' | 'assignment'; createdBy: string }): Promise<void> {
    await this.prisma.careRelationship.create({ data: relationship });
  }

  /** Clinics (among `clinicIds`) where the staff member works with one of `roles`. */
  async staffClinics(staffUserId: string, clinicIds: readonly string[], roles: Array<'doctor' | 'nurse' | 'admin' | 'receptionist'>): Promise<string[]> {
    const rows = await this.prisma.clinicStaff.findMany({ where: { userId: staffUserId, clinicId: { in: [...clinicIds] }, role: { in: roles }, isActive: true }, select: { clinicId: true } });
    return rows.map((row) => row.clinicId);
  }

  /** Active clinic memberships of these staff members. */
  memberships(userIds: readonly string[]): Promise<Array<{ userId: string; clinicId: string }>> {
    return this.prisma.clinicStaff.findMany({ where: { userId: { in: [...userIds] }, isActive: true }, select: { userId: true, clinicId: true } });
  }

  /** Email addresses of the active admins of a clinic (to alert them). */
  async adminEmails(clinicId: string): Promise<string[]> {
    const admins = await this.prisma.clinicStaff.findMany({ where: { clinicId, role: 'admin', isActive: true, user: { status: 'active' } }, select: { user: { select: { email: true } } } });
    return admins.map((admin) => admin.user.email);
  }
}
