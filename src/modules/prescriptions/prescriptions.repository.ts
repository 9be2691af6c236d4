// Prescriptions in PostgreSQL. Numbers come from a per-clinic, per-year counter taken in the
// transaction that creates the prescription (gapless: rows are never deleted once numbered, drafts
// are cancelled instead). Once signed, a trigger refuses any change but the status's (migration
// `prescribing`); this repository turns its refusals into typed errors.
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import type { FindingSeverity, PrescriptionStatus } from '../../generated/prisma/client.js';
import type { Finding } from './safety-checks.js';

const WITH_PARTS = {
  items: { orderBy: { position: 'asc' } },
  findings: true,
  prescriber: { select: { doctorProfile: { select: { id: true } } } },
  replacedBy: { select: { id: true } },
} satisfies Prisma.PrescriptionInclude;

export type PrescriptionRow = Prisma.PrescriptionGetPayload<{ include: typeof WITH_PARTS }>;
export type FindingRow = Prisma.PrescriptionFindingGetPayload<object>;

export interface NewItem {
  position: number;
  medicineId: string;
  medicineName: string;
  strength: string;
  form: string;
  route: string;
  doseAmount: number;
  doseUnit: string;
  frequency: string;
  durationDays: number;
  quantity: number;
  refillsAllowed: number;
  substitutionAllowed: boolean;
  instructions: string | null;
}

export interface DraftContent {
  diagnoses: string[];
  notes: string | null;
  validityDays: number;
  items: NewItem[];
}

export interface NewDraft extends DraftContent {
  patientId: string;
  prescriberId: string;
  clinicId: string;
  appointmentId: string | null;
  /** The clinic's current year, for the number. */
  year: number;
  replacesId?: string | null;
}

export interface PrescriptionFilter {
  patientId?: string;
  prescriberId?: string;
  appointmentIds?: readonly string[];
  /** Stored statuses (an EXPIRED filter is translated by the service). */
  statuses?: readonly PrescriptionStatus[];
  /** Drafts are the prescriber's own work: left out unless asked. */
  includeDrafts?: boolean;
  /** Only those signed (the patient's view: not a draft, nor a draft cancelled unsigned). */
  signedOnly?: boolean;
  /** As the world sees it on `today` (EXPIRED includes signed ones past their last day, ACTIVE leaves them out). */
  effectiveStatus?: { status: PrescriptionStatus; today: Date };
}

/** The database refused a change to a prescription that is no longer a draft (trigger, SQLSTATE RX001/RX002). */
export class PrescriptionLocked extends Error {}

function lockedError(error: unknown): unknown {
  const text = `${(error as Error)?.message ?? ''} ${JSON.stringify((error as { meta?: unknown })?.meta ?? {})}`;
  return /RX00[12]|no longer a draft|only its status may change|cannot go from/.test(text) ? new PrescriptionLocked() : error;
}

const itemRows = (items: NewItem[]) => items.map((item) => ({ ...item, doseAmount: new Prisma.Decimal(item.doseAmount) }));

export class PrescriptionsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** A new draft with its number, in one transaction. */
  async createDraft(draft: NewDraft): Promise<PrescriptionRow> {
    return this.prisma.$transaction((tx) => insertDraft(tx, draft));
  }

  /** Replaces a draft's content (its findings stay, to be re-checked); null when it is no longer a draft. */
  async replaceDraft(id: string, content: DraftContent): Promise<PrescriptionRow | null> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const changed = await tx.prescription.updateMany({
          where: { id, status: 'draft' },
          data: { diagnoses: content.diagnoses, notes: content.notes, validityDays: content.validityDays, checkedAt: null },
        });
        if (changed.count === 0) return null;
        await tx.prescriptionItem.deleteMany({ where: { prescriptionId: id } });
        await tx.prescriptionItem.createMany({ data: itemRows(content.items).map((item) => ({ ...item, prescriptionId: id })) });
        return tx.prescription.findUniqueOrThrow({ where: { id }, include: WITH_PARTS });
      });
    } catch (error) {
      throw lockedError(error);
    }
  }

  byIds(ids: readonly string[]): Promise<PrescriptionRow[]> {
    return this.prisma.prescription.findMany({ where: { id: { in: [...ids] } }, include: WITH_PARTS });
  }

  /** Prescriptions with that number (one per clinic at most), optionally in given clinics. */
  byNumber(number: string, clinicIds?: readonly string[]): Promise<PrescriptionRow[]> {
    return this.prisma.prescription.findMany({
      where: { number, ...(clinicIds ? { clinicId: { in: [...clinicIds] } } : {}) },
      include: WITH_PARTS,
      take: 10,
    });
  }

  /**
   * One page, newest first, with items, findings and the prescriber's profile in one statement
   * (relation joins) whatever the page size.
   */
  page(filter: PrescriptionFilter, take: number, after?: { createdAt: Date; id: string }): Promise<PrescriptionRow[]> {
    return this.prisma.prescription.findMany({
      where: {
        AND: [
          prescriptionWhere(filter),
          ...(after ? [{ OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }] : []),
        ],
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
      include: WITH_PARTS,
    });
  }

  /** Every prescription of these appointments (their encounters' prescriptions), drafts included, one statement. */
  byAppointments(appointmentIds: readonly string[]): Promise<PrescriptionRow[]> {
    return this.prisma.prescription.findMany({
      where: { appointmentId: { in: [...appointmentIds] } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      include: WITH_PARTS,
    });
  }

  count(filter: PrescriptionFilter): Promise<number> {
    return this.prisma.prescription.count({ where: prescriptionWhere(filter) });
  }

  /** The items of the patient's other prescriptions in force on `today` (signed, not past their date). */
  activeItemsOf(patientId: string, exceptId: string, today: Date): Promise<Array<{ number: string; medicineId: string }>> {
    return this.prisma.$queryRaw`
      SELECT p.number, i.medicine_id AS "medicineId"
      FROM prescriptions p JOIN prescription_items i ON i.prescription_id = p.id
      WHERE p.patient_id = ${patientId}::uuid AND p.id <> ${exceptId}::uuid
        AND p.status IN ('active', 'on_hold') AND p.valid_until >= ${today}::date`;
  }

  /**
   * Stores a check's findings on a draft: those found again keep their id and resolution, new ones
   * are added, those no longer found go; `checkedAt` is set. Null when it is no longer a draft, or
   * no longer the version the checks read (`checkedVersion`, its updatedAt then).
   */
  async saveFindings(id: string, checkedVersion: Date, findings: Finding[], checkedAt: Date): Promise<PrescriptionRow | null> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        // Still the draft the checks read (its content changes its updatedAt): else nothing is stored.
        const changed = await tx.prescription.updateMany({
          where: { id, status: 'draft', updatedAt: checkedVersion },
          data: { checkedAt },
        });
        if (changed.count === 0) return null;
        await tx.prescriptionFinding.deleteMany({
          where: { prescriptionId: id, fingerprint: { notIn: findings.map((f) => f.fingerprint) } },
        });
        for (const finding of findings) {
          const content = {
            kind: finding.kind,
            severity: finding.severity as FindingSeverity,
            itemPositions: finding.itemPositions,
            messageEn: finding.messageEn.slice(0, 500),
            messageFr: finding.messageFr.slice(0, 500),
          };
          await tx.prescriptionFinding.upsert({
            where: { prescriptionId_fingerprint: { prescriptionId: id, fingerprint: finding.fingerprint } },
            create: { prescriptionId: id, fingerprint: finding.fingerprint, ...content },
            // A finding whose severity rose is no longer the one resolved: resolve it again.
            update: content,
          });
        }
        await tx.prescriptionFinding.updateMany({
          where: { prescriptionId: id, severity: 'high', resolvedAt: { not: null }, overrideReason: null },
          data: { resolvedAt: null, resolvedBy: null },
        });
        return tx.prescription.findUniqueOrThrow({ where: { id }, include: WITH_PARTS });
      });
    } catch (error) {
      throw lockedError(error);
    }
  }

  findingById(id: string): Promise<FindingRow | null> {
    return this.prisma.prescriptionFinding.findUnique({ where: { id } });
  }

  /** Records an override (with its reason) or an acknowledgement (reason null); false when the prescription is no longer a draft. */
  async resolveFinding(id: string, by: string, at: Date, reason: string | null): Promise<FindingRow | null> {
    try {
      return await this.prisma.prescriptionFinding.update({
        where: { id },
        data: { resolvedBy: by, resolvedAt: at, overrideReason: reason },
      });
    } catch (error) {
      throw lockedError(error);
    }
  }

  /**
   * Signs a draft in one transaction: the row locked, still the draft the checks saw (`checkedAt`),
   * the signature computed over it as locked by `signatureOf`, and the status set. Null when the
   * draft changed or is gone since the check.
   */
  async sign(
    id: string,
    checkedAt: Date,
    signing: { signedAt: Date; signedBy: string; issuedOn: Date; validUntil: Date },
    signatureOf: (row: PrescriptionRow) => { keyId: string; signature: string },
  ): Promise<PrescriptionRow | null> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const [locked] = await tx.$queryRaw<Array<{ id: string }>>`
          SELECT id FROM prescriptions WHERE id = ${id}::uuid AND status = 'draft' AND checked_at = ${checkedAt} FOR UPDATE`;
        if (!locked) return null;
        const row = await tx.prescription.findUniqueOrThrow({ where: { id }, include: WITH_PARTS });
        const signed = signatureOf({ ...row, ...signing });
        return tx.prescription.update({
          where: { id },
          data: { status: 'active', ...signing, signatureKeyId: signed.keyId, signature: signed.signature },
          include: WITH_PARTS,
        });
      });
    } catch (error) {
      throw lockedError(error);
    }
  }

  /** Moves the status from one of `from` to `to`; null when it was in none of them. */
  async changeStatus(
    id: string,
    from: readonly PrescriptionStatus[],
    to: PrescriptionStatus,
    by: string,
    reason: string | null,
  ): Promise<PrescriptionRow | null> {
    try {
      const changed = await this.prisma.prescription.updateMany({
        where: { id, status: { in: [...from] } },
        data: { status: to, statusReason: reason, statusChangedAt: new Date(), statusChangedBy: by },
      });
      return changed.count === 0 ? null : this.prisma.prescription.findUniqueOrThrow({ where: { id }, include: WITH_PARTS });
    } catch (error) {
      throw lockedError(error);
    }
  }

  /** Cancels a signed prescription and opens the draft that corrects it, linked, in one transaction; null when it was not active or on hold. */
  async reissue(id: string, by: string, reason: string, draft: Omit<NewDraft, 'replacesId'>): Promise<PrescriptionRow | null> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const cancelled = await tx.prescription.updateMany({
          where: { id, status: { in: ['active', 'on_hold'] } },
          data: { status: 'cancelled', statusReason: reason, statusChangedAt: new Date(), statusChangedBy: by },
        });
        if (cancelled.count === 0) return null;
        return insertDraft(tx, { ...draft, replacesId: id });
      });
    } catch (error) {
      throw lockedError(error);
    }
  }

  /** Marks expired every signed prescription past its last day (`today` in the clinics' time zone); how many. */
  async expireDue(today: Date): Promise<number> {
    const changed = await this.prisma.prescription.updateMany({
      where: { status: { in: ['active', 'on_hold'] }, validUntil: { lt: today } },
      data: { status: 'expired', statusChangedAt: new Date() },
    });
    return changed.count;
  }
}

type Transaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/**
 * Inserts a draft with its items, numbered from the clinic's counter for the year: the counter's
 * row is locked until the transaction ends, so numbers are given in commit order, without gaps.
 */
async function insertDraft(tx: Transaction, draft: NewDraft): Promise<PrescriptionRow> {
  const [{ last_number: sequence }] = await tx.$queryRaw<Array<{ last_number: number }>>`
    INSERT INTO prescription_counters (clinic_id, year, last_number) VALUES (${draft.clinicId}::uuid, ${draft.year}, 1)
    ON CONFLICT (clinic_id, year) DO UPDATE SET last_number = prescription_counters.last_number + 1
    RETURNING last_number`;
  return tx.prescription.create({
    data: {
      number: `RX-${draft.year}-${String(sequence).padStart(6, '0')}`,
      patientId: draft.patientId,
      prescriberId: draft.prescriberId,
      clinicId: draft.clinicId,
      appointmentId: draft.appointmentId,
      diagnoses: draft.diagnoses,
      notes: draft.notes,
      validityDays: draft.validityDays,
      replacesId: draft.replacesId ?? null,
      items: { createMany: { data: itemRows(draft.items) } },
    },
    include: WITH_PARTS,
  });
}

function effectiveWhere({ status, today }: { status: PrescriptionStatus; today: Date }): Prisma.PrescriptionWhereInput {
  if (status === 'expired') return { OR: [{ status: 'expired' }, { status: { in: ['active', 'on_hold'] }, validUntil: { lt: today } }] };
  if (status === 'active' || status === 'on_hold') return { status, validUntil: { gte: today } };
  return { status };
}

function prescriptionWhere(filter: PrescriptionFilter): Prisma.PrescriptionWhereInput {
  const statuses = filter.statuses ? [...filter.statuses] : undefined;
  if (filter.effectiveStatus)
    return {
      AND: [prescriptionWhere({ ...filter, effectiveStatus: undefined, includeDrafts: true }), effectiveWhere(filter.effectiveStatus)],
    };
  return {
    ...(filter.patientId !== undefined ? { patientId: filter.patientId } : {}),
    ...(filter.prescriberId !== undefined ? { prescriberId: filter.prescriberId } : {}),
    ...(filter.appointmentIds ? { appointmentId: { in: [...filter.appointmentIds] } } : {}),
    ...(filter.signedOnly ? { signedAt: { not: null } } : {}),
    ...(statuses ? { status: { in: statuses } } : filter.includeDrafts ? {} : { status: { not: 'draft' } }),
  };
}
