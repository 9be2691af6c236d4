// Pharmacies, who works at each, and the queue of prescriptions presented there.
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';

export type PharmacyRow = Prisma.PharmacyGetPayload<object>;
export type FulfillmentRow = Prisma.PrescriptionFulfillmentGetPayload<{ include: { acknowledgments: true } }>;
export type FulfillmentStatus = FulfillmentRow['status'];

export interface NewPartnerPharmacy {
  clinicId: string;
  name: string;
  address: Prisma.InputJsonValue;
  phone: string | null;
  hours: Prisma.InputJsonValue;
  licence: string;
}

/** A prescription already has a fulfilment open (at this or another pharmacy). */
export class AlreadyPresented extends Error {}

export class PharmaciesRepository {
  constructor(private readonly prisma: PrismaClient) {}

  byIds(ids: readonly string[]): Promise<PharmacyRow[]> {
    return this.prisma.pharmacy.findMany({ where: { id: { in: [...ids] } } });
  }

  /** The pharmacies of these clinics (their dispensaries and the partners they registered). */
  ofClinics(clinicIds: readonly string[]): Promise<PharmacyRow[]> {
    return this.prisma.pharmacy.findMany({
      where: { clinicId: { in: [...clinicIds] }, active: true },
      orderBy: [{ kind: 'asc' }, { name: 'asc' }],
    });
  }

  allActive(): Promise<PharmacyRow[]> {
    return this.prisma.pharmacy.findMany({ where: { active: true }, orderBy: [{ name: 'asc' }, { id: 'asc' }], take: 500 });
  }

  /** Where a pharmacist works: pharmacies they were added to, and their clinics' dispensaries. */
  async pharmacyIdsOf(userId: string): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<Array<{ id: string }>>`
      SELECT m.pharmacy_id AS id FROM pharmacy_members m WHERE m.user_id = ${userId}::uuid
      UNION
      SELECT p.id FROM pharmacies p JOIN clinic_staff s ON s.clinic_id = p.clinic_id
      WHERE s.user_id = ${userId}::uuid AND s.role = 'pharmacist' AND s.is_active AND p.kind = 'dispensary'`;
    return rows.map((row) => row.id);
  }

  /** Which (user, prescription) pairs have the prescription presented at one of the user's pharmacies, as `${userId}:${prescriptionId}`. */
  async presentedAtPharmaciesOf(pairs: ReadonlyArray<[userId: string, prescriptionId: string]>): Promise<Set<string>> {
    const users = [...new Set(pairs.map(([userId]) => userId))];
    const prescriptions = [...new Set(pairs.map(([, prescriptionId]) => prescriptionId))];
    const rows = await this.prisma.$queryRaw<Array<{ user_id: string; prescription_id: string }>>`
      SELECT DISTINCT w.user_id, f.prescription_id FROM prescription_fulfillments f
      JOIN (
        SELECT m.user_id, m.pharmacy_id FROM pharmacy_members m WHERE m.user_id = ANY (${users}::uuid[])
        UNION
        SELECT s.user_id, p.id FROM clinic_staff s JOIN pharmacies p ON p.clinic_id = s.clinic_id AND p.kind = 'dispensary'
        WHERE s.user_id = ANY (${users}::uuid[]) AND s.role = 'pharmacist' AND s.is_active
      ) w ON w.pharmacy_id = f.pharmacy_id
      WHERE f.prescription_id = ANY (${prescriptions}::uuid[])`;
    return new Set(rows.map((row) => `${row.user_id}:${row.prescription_id}`));
  }

  registerPartner(pharmacy: NewPartnerPharmacy): Promise<PharmacyRow> {
    return this.prisma.pharmacy.create({ data: { ...pharmacy, kind: 'partner' } });
  }

  addMember(pharmacyId: string, userId: string): Promise<unknown> {
    return this.prisma.pharmacyMember.upsert({
      where: { pharmacyId_userId: { pharmacyId, userId } },
      create: { pharmacyId, userId },
      update: {},
    });
  }

  async present(fulfillment: {
    prescriptionId: string;
    pharmacyId: string;
    patientId: string;
    urgent: boolean;
    presentedBy: string;
  }): Promise<FulfillmentRow> {
    try {
      return await this.prisma.prescriptionFulfillment.create({ data: fulfillment, include: { acknowledgments: true } });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new AlreadyPresented();
      throw error;
    }
  }

  fulfillmentsByIds(ids: readonly string[]): Promise<FulfillmentRow[]> {
    return this.prisma.prescriptionFulfillment.findMany({ where: { id: { in: [...ids] } }, include: { acknowledgments: true } });
  }

  /** A pharmacy's queue: urgent first, then oldest first. */
  queue(
    pharmacyId: string,
    statuses: readonly FulfillmentStatus[] | null,
    take: number,
    after?: { urgent: boolean; presentedAt: Date; id: string },
  ): Promise<FulfillmentRow[]> {
    // (NOT urgent, presented_at, id) ascending: urgent (false) before routine (true).
    const afterWhere: Prisma.PrescriptionFulfillmentWhereInput | undefined = after
      ? after.urgent
        ? {
            OR: [
              { urgent: false },
              { urgent: true, presentedAt: { gt: after.presentedAt } },
              { urgent: true, presentedAt: after.presentedAt, id: { gt: after.id } },
            ],
          }
        : {
            urgent: false,
            OR: [{ presentedAt: { gt: after.presentedAt } }, { presentedAt: after.presentedAt, id: { gt: after.id } }],
          }
      : undefined;
    return this.prisma.prescriptionFulfillment.findMany({
      where: { AND: [{ pharmacyId, ...(statuses ? { status: { in: [...statuses] } } : {}) }, ...(afterWhere ? [afterWhere] : [])] },
      orderBy: [{ urgent: 'desc' }, { presentedAt: 'asc' }, { id: 'asc' }],
      take,
      include: { acknowledgments: true },
    });
  }

  countQueue(pharmacyId: string, statuses: readonly FulfillmentStatus[] | null): Promise<number> {
    return this.prisma.prescriptionFulfillment.count({ where: { pharmacyId, ...(statuses ? { status: { in: [...statuses] } } : {}) } });
  }

  /** Moves the status from one of `from`; null when it was in none of them. */
  async changeStatus(
    id: string,
    from: readonly FulfillmentStatus[],
    to: FulfillmentStatus,
    by: string,
    reason: string | null,
  ): Promise<FulfillmentRow | null> {
    const changed = await this.prisma.prescriptionFulfillment.updateMany({
      where: { id, status: { in: [...from] } },
      data: { status: to, statusReason: reason, statusChangedAt: new Date(), statusChangedBy: by },
    });
    return changed.count === 0
      ? null
      : this.prisma.prescriptionFulfillment.findUniqueOrThrow({ where: { id }, include: { acknowledgments: true } });
  }

  // Awaited here: a Prisma query runs when awaited, and it must run inside the caller's audited write.
  async acknowledge(fulfillmentId: string, findingId: string, by: string): Promise<unknown> {
    return await this.prisma.overrideAcknowledgment.upsert({
      where: { fulfillmentId_findingId: { fulfillmentId, findingId } },
      create: { fulfillmentId, findingId, acknowledgedBy: by },
      update: {},
    });
  }

  /** Who to tell about a pharmacy's stock: its pharmacists and its clinic's admins (emails and phones). */
  recipients(pharmacyId: string): Promise<Array<{ email: string; phone: string | null }>> {
    return this.prisma.$queryRaw`
      SELECT DISTINCT u.email, u.phone FROM users u
      WHERE u.status = 'active' AND (
        u.id IN (SELECT user_id FROM pharmacy_members WHERE pharmacy_id = ${pharmacyId}::uuid)
        OR u.id IN (SELECT s.user_id FROM clinic_staff s JOIN pharmacies p ON p.clinic_id = s.clinic_id
                    WHERE p.id = ${pharmacyId}::uuid AND s.is_active AND (s.role = 'admin' OR (s.role = 'pharmacist' AND p.kind = 'dispensary'))))`;
  }

  activePharmacyIds(): Promise<string[]> {
    return this.prisma.pharmacy.findMany({ where: { active: true }, select: { id: true } }).then((rows) => rows.map((row) => row.id));
  }
}
