// Writing prescriptions: drafts, the safety checks and their resolutions, signing, and the status's
// life after it. Every write is a write of the patient's data (context.patients.write: allowed only
// to a doctor who treats the patient, audited first); a draft is the work of its prescriber alone.
import type { RequestContext } from '../../context/context.js';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  SafetyChecksUnavailableError,
  UnauthenticatedError,
  type FieldProblem,
} from '../../errors/errors.js';
import { idOf } from '../../graphql/global-id.js';
import { inputProblems, reasonText } from '../../graphql/validation.js';
import { fromLocalDate } from '../../graphql/scalars.js';
import type { MedicineFacts, MedicineKnowledge } from './medicine-knowledge.js';
import { patientFacts } from './patient-facts.js';
import { addDays, localDate } from './prescription-dates.js';
import type { PrescriptionSigner } from './prescription-signature.js';
import type { NewPrescriptionInput, Prescription, PrescriptionContentInput, SafetyFinding } from './prescription.types.js';
import { PrescriptionStatus } from './prescription.types.js';
import { itemContents, signedContent, toFinding, toPrescription } from './prescriptions.mapper.js';
import {
  PrescriptionLocked,
  type DraftContent,
  type NewItem,
  type PrescriptionRow,
  type PrescriptionsRepository,
} from './prescriptions.repository.js';
import { ChecksUnavailable, runSafetyChecks } from './safety-checks.js';

const CONTENT_FIELDS = ['diagnoses', 'notes', 'validityDays', 'items'];
/** An ICD-10 code: a letter (not U), two characters, and an optional subdivision after a dot (as IsIcd10). */
const ICD10 = /^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$/;

export class PrescriptionsService {
  constructor(
    private readonly repository: PrescriptionsRepository,
    private readonly knowledge: MedicineKnowledge,
    private readonly signer: PrescriptionSigner,
  ) {}

  async create(context: RequestContext, input: NewPrescriptionInput): Promise<Prescription> {
    const prescriber = this.doctor(context);
    const patientId = idOf('Patient', input.patientId, ['input', 'patientId']);
    const { clinicId, appointmentId } = await this.placeOf(context, patientId, input);
    const content = await this.content(input);
    const now = new Date();
    const row = await context.patients.write(
      { patientId, resource: 'Prescription', fields: CONTENT_FIELDS, action: 'create', requires: 'prescribe' },
      () =>
        this.repository.createDraft({
          ...content,
          patientId,
          prescriberId: prescriber,
          clinicId,
          appointmentId,
          year: Number(localDate(now).slice(0, 4)),
        }),
    );
    return toPrescription(row, localDate(now));
  }

  async updateDraft(context: RequestContext, id: string, input: PrescriptionContentInput): Promise<Prescription> {
    const draft = await this.ownDraft(context, id);
    const content = await this.content(input);
    const row = await context.patients.write(
      { patientId: draft.patientId, resource: 'Prescription', fields: CONTENT_FIELDS, action: 'update', requires: 'prescribe' },
      async () => (await this.repository.replaceDraft(draft.id, content)) ?? changedOrSigned(),
    );
    return toPrescription(row, localDate(new Date()));
  }

  /** Runs the safety checks on a draft and stores their findings (resolutions of findings found again hold). */
  async check(context: RequestContext, id: string): Promise<Prescription> {
    const draft = await this.ownDraft(context, id);
    const row = await this.runChecks(context, draft);
    return toPrescription(row, localDate(new Date()));
  }

  /** Goes ahead despite a high finding, saying why (10 to 500 characters); audited, signed with the prescription, shown to the pharmacist. */
  override(context: RequestContext, findingId: string, reason: string): Promise<SafetyFinding> {
    const trimmed = reason.trim();
    if (trimmed.length < 10 || trimmed.length > 500)
      throw new BadUserInputError([{ path: ['reason'], message: 'must be 10 to 500 characters' }]);
    return this.resolve(context, findingId, trimmed);
  }

  /** Acknowledges a moderate (or low) finding. */
  acknowledge(context: RequestContext, findingId: string): Promise<SafetyFinding> {
    return this.resolve(context, findingId, null);
  }

  /**
   * Signs a draft: the checks run again (a finding not resolved, or one that appeared since, stops
   * it), then one transaction signs the row exactly as checked. The checks cannot run: refused.
   */
  async sign(context: RequestContext, id: string): Promise<Prescription> {
    const draft = await this.ownDraft(context, id);
    const checked = await this.runChecks(context, draft);
    const open = checked.findings.filter((finding) => finding.severity !== 'low' && !finding.resolvedAt);
    if (open.length > 0) {
      throw new ConflictError(
        'Resolve the safety findings before signing: override each high one with a reason, acknowledge each moderate one.',
        [],
        {
          // The API's enum names, as everywhere in messages and extensions.
          findings: open.map((finding) => ({
            id: toFinding(finding).id,
            kind: finding.kind.toUpperCase(),
            severity: finding.severity.toUpperCase(),
          })),
        },
      );
    }
    const now = new Date();
    const issuedOn = localDate(now);
    const signing = {
      signedAt: now,
      signedBy: draft.prescriberId,
      issuedOn: fromLocalDate(issuedOn),
      validUntil: addDays(issuedOn, draft.validityDays),
    };
    const row = await context.patients.write(
      { patientId: draft.patientId, resource: 'Prescription', fields: ['status', 'signature'], action: 'update', requires: 'prescribe' },
      async () =>
        (await this.repository.sign(draft.id, checked.checkedAt!, signing, (locked) => this.signer.sign(signedContent(locked, signing)))) ??
        changedMeanwhile(),
    );
    return toPrescription(row, issuedOn);
  }

  /** Cancels a draft, or a signed prescription not yet dispensed (a treating doctor). */
  cancel(context: RequestContext, id: string, reason: string): Promise<Prescription> {
    return this.move(context, id, ['draft', 'active', 'on_hold'], PrescriptionStatus.CANCELLED, reason);
  }

  hold(context: RequestContext, id: string, reason: string): Promise<Prescription> {
    return this.move(context, id, ['active'], PrescriptionStatus.ON_HOLD, reason);
  }

  resume(context: RequestContext, id: string): Promise<Prescription> {
    return this.move(context, id, ['on_hold'], PrescriptionStatus.ACTIVE, null);
  }

  markEnteredInError(context: RequestContext, id: string, reason: string): Promise<Prescription> {
    return this.move(context, id, ['draft', 'active', 'on_hold'], PrescriptionStatus.ENTERED_IN_ERROR, reason);
  }

  /** Corrects a signed prescription: cancels it and opens a new draft with its content, linked to it (one transaction). */
  async reissue(context: RequestContext, id: string, reason: string): Promise<Prescription> {
    const prescriber = this.doctor(context);
    const current = await this.existing(id);
    const why = reasonText(reason);
    const now = new Date();
    const today = localDate(now);
    if (!['active', 'on_hold'].includes(current.status) || toPrescription(current, today).status === PrescriptionStatus.EXPIRED)
      throw wrongStatus(toPrescription(current, today).status);
    const row = await context.patients.write(
      {
        patientId: current.patientId,
        resource: 'Prescription',
        fields: ['status', ...CONTENT_FIELDS],
        action: 'create',
        requires: 'prescribe',
      },
      async () =>
        (await this.repository.reissue(current.id, prescriber, why, {
          patientId: current.patientId,
          prescriberId: prescriber,
          clinicId: current.clinicId,
          appointmentId: current.appointmentId,
          year: Number(today.slice(0, 4)),
          diagnoses: current.diagnoses,
          notes: current.notes,
          validityDays: current.validityDays,
          items: itemContents(current),
        })) ?? changedMeanwhile(),
    );
    return toPrescription(row, today);
  }

  /** Marks expired what is past its last day (the job; reads already show EXPIRED without it). */
  expireDue(now = new Date()): Promise<number> {
    return this.repository.expireDue(fromLocalDate(localDate(now)));
  }

  private async move(
    context: RequestContext,
    id: string,
    from: Array<PrescriptionRow['status']>,
    to: PrescriptionStatus,
    reason: string | null,
  ): Promise<Prescription> {
    const by = this.doctor(context);
    const current = await this.existing(id);
    const why = reason === null ? null : reasonText(reason);
    const today = localDate(new Date());
    const seen = toPrescription(current, today).status;
    // What is past its date is expired, whatever the job has written yet.
    if (!from.includes(current.status) || seen === PrescriptionStatus.EXPIRED) throw wrongStatus(seen);
    if (current.status === 'draft' && current.prescriberId !== by) throw new ForbiddenError('A draft is changed only by its prescriber.');
    const row = await context.patients.write(
      { patientId: current.patientId, resource: 'Prescription', fields: ['status'], action: 'update', requires: 'prescribe' },
      async () => (await this.repository.changeStatus(current.id, from, to as PrescriptionRow['status'], by, why)) ?? changedMeanwhile(),
    );
    return toPrescription(row, today);
  }

  private reason(reason: string): string {
    const trimmed = reason.trim();
    if (trimmed.length < 3 || trimmed.length > 500)
      throw new BadUserInputError([{ path: ['reason'], message: 'must be 3 to 500 characters' }]);
    return trimmed;
  }

  private async resolve(context: RequestContext, findingId: string, reason: string | null): Promise<SafetyFinding> {
    const id = idOf('SafetyFinding', findingId, ['findingId']);
    const finding = await this.repository.findingById(id);
    if (!finding) throw new NotFoundError('The finding');
    const draft = await this.draftOf(context, await this.row(finding.prescriptionId));
    if (reason === null && finding.severity === 'high')
      throw new BadUserInputError([{ path: ['findingId'], message: 'is a high finding: override it with a reason instead' }]);
    const resolved = await context.patients.write(
      {
        patientId: draft.patientId,
        resource: reason === null ? 'SafetyFindingAcknowledgement' : 'SafetyFindingOverride',
        // Which finding (its kind and id, no text of it): `finding.allergy.id_<id without hyphens>`
        // (an audit field name's parts start with a letter or _).
        fields: [`finding.${finding.kind}.id_${finding.id.replaceAll('-', '')}`, ...(reason === null ? [] : ['reason'])],
        action: 'update',
        requires: 'prescribe',
      },
      async () => {
        try {
          return (await this.repository.resolveFinding(id, draft.prescriberId, new Date(), reason)) ?? changedOrSigned();
        } catch (error) {
          throw error instanceof PrescriptionLocked ? changedOrSigned() : error;
        }
      },
    );
    return toFinding(resolved);
  }

  /** Runs the checks against the patient's record and stores the findings (an audited write of the patient's data). */
  private async runChecks(context: RequestContext, draft: PrescriptionRow): Promise<PrescriptionRow> {
    const now = new Date();
    const today = localDate(now);
    let findings;
    try {
      const knowledge = await this.knowledge.snapshot().catch(() => {
        throw new ChecksUnavailable('knowledge', 'the knowledge base cannot be read');
      });
      const medicineOf = (id: string): MedicineFacts => {
        const medicine = knowledge.medicines.get(id);
        if (!medicine) throw new ChecksUnavailable('knowledge', 'a medicine is missing from the knowledge base');
        return medicine;
      };
      const [patient, active] = await Promise.all([
        patientFacts(context, draft.patientId, draft.diagnoses, knowledge, now, today),
        this.repository.activeItemsOf(draft.patientId, draft.id, fromLocalDate(today)),
      ]);
      findings = runSafetyChecks({
        items: draft.items.map((item) => ({ position: item.position, medicine: medicineOf(item.medicineId) })),
        others: active.map((other) => ({ prescriptionNumber: other.number, medicine: medicineOf(other.medicineId) })),
        patient,
        knowledge: { ingredients: knowledge.ingredients, allergyClasses: knowledge.allergyClasses, interactions: knowledge.interactions },
      });
    } catch (error) {
      if (error instanceof ChecksUnavailable) throw new SafetyChecksUnavailableError(error.reason);
      throw error;
    }
    return context.patients.write(
      { patientId: draft.patientId, resource: 'PrescriptionSafetyCheck', fields: ['findings'], action: 'update', requires: 'prescribe' },
      // Only on the draft as it was read: an edit or a signature in between makes this a CONFLICT.
      async () => (await this.repository.saveFindings(draft.id, draft.updatedAt, findings, now)) ?? changedOrSigned(),
    );
  }

  /** The signed-in doctor's user id; only doctors prescribe. */
  private doctor(context: RequestContext): string {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    if (principal.role !== 'doctor') throw new ForbiddenError('Only doctors prescribe.');
    return principal.userId;
  }

  private existing(id: string): Promise<PrescriptionRow> {
    return this.row(idOf('Prescription', id, ['id']));
  }

  private async row(dbId: string): Promise<PrescriptionRow> {
    const [row] = await this.repository.byIds([dbId]);
    if (!row) throw new NotFoundError('The prescription');
    return row;
  }

  /** A draft of the signed-in doctor's, by its global id. */
  private async ownDraft(context: RequestContext, id: string): Promise<PrescriptionRow> {
    return this.draftOf(context, await this.existing(id));
  }

  /** The draft, if it is the signed-in doctor's (another's draft is FORBIDDEN; a signed one a CONFLICT). */
  private async draftOf(context: RequestContext, row: PrescriptionRow): Promise<PrescriptionRow> {
    const by = this.doctor(context);
    if (!(await context.patients.can(row.patientId, 'prescribe'))) throw new ForbiddenError();
    if (row.prescriberId !== by) throw new ForbiddenError('A draft is changed and signed only by its prescriber.');
    if (row.status !== 'draft') throw notDraftError(toPrescription(row, localDate(new Date())).status);
    return row;
  }

  /** Where the prescription is written: the appointment's clinic, or a clinic of the doctor's. */
  private async placeOf(
    context: RequestContext,
    patientId: string,
    input: NewPrescriptionInput,
  ): Promise<{ clinicId: string; appointmentId: string | null }> {
    const clinics = context.principal?.clinicIds ?? [];
    if (input.appointmentId) {
      const appointmentId = idOf('Appointment', input.appointmentId, ['input', 'appointmentId']);
      const appointment = await context.loaders.appointmentById.load(appointmentId);
      if (!appointment || appointment.patientDbId !== patientId)
        throw new BadUserInputError([{ path: ['input', 'appointmentId'], message: "must be one of the patient's appointments" }]);
      if (!clinics.includes(appointment.clinicDbId))
        throw new BadUserInputError([{ path: ['input', 'appointmentId'], message: 'must be at a clinic you work in' }]);
      return { clinicId: appointment.clinicDbId, appointmentId };
    }
    if (input.clinicId) {
      const clinicId = idOf('Clinic', input.clinicId, ['input', 'clinicId']);
      if (!clinics.includes(clinicId))
        throw new BadUserInputError([{ path: ['input', 'clinicId'], message: 'must be a clinic you work in' }]);
      return { clinicId, appointmentId: null };
    }
    if (clinics.length === 1) return { clinicId: clinics[0], appointmentId: null };
    throw new BadUserInputError([
      { path: ['input', 'clinicId'], message: 'is required without an appointment (you work in several clinics)' },
    ]);
  }

  /** The content as stored, every problem with it reported at once (BAD_USER_INPUT with paths), nothing written. */
  private async content(input: PrescriptionContentInput): Promise<DraftContent> {
    // The shape first (class-validator's rules on the input types), then what only the catalogue can say.
    const problems: FieldProblem[] = await inputProblems(input, ['input']);
    input.diagnoses.forEach((code, index) => {
      if (!ICD10.test(code)) problems.push({ path: ['input', 'diagnoses', index], message: 'must be an ICD-10 code such as E11.9' });
    });
    const knowledge = await this.knowledge.snapshot();
    const items: NewItem[] = [];
    input.items.forEach((item, index) => {
      const path = (field: string) => ['input', 'items', index, field];
      let medicineId: string;
      try {
        medicineId = idOf('Medication', item.medicationId, path('medicationId'));
      } catch {
        problems.push({ path: path('medicationId'), message: 'must be a Medication id' });
        return;
      }
      const medicine = knowledge.medicines.get(medicineId);
      if (!medicine || !medicine.active) {
        problems.push({ path: path('medicationId'), message: 'is not a medicine of the catalogue' });
        return;
      }
      if (!medicine.strengths.includes(item.strength))
        problems.push({ path: path('strength'), message: `must be one of: ${medicine.strengths.join(', ')}` });
      if (!medicine.forms.includes(item.form))
        problems.push({ path: path('form'), message: `must be one of: ${medicine.forms.join(', ')}` });
      if (!medicine.routes.includes(item.route))
        problems.push({ path: path('route'), message: `must be one of: ${medicine.routes.join(', ')}` });
      if (medicine.controlled && item.refillsAllowed > 0)
        problems.push({ path: path('refillsAllowed'), message: 'must be 0 for a controlled medicine' });
      items.push({
        position: index + 1,
        medicineId,
        medicineName: medicine.genericName,
        strength: item.strength,
        form: item.form,
        route: item.route,
        doseAmount: Math.round(item.dose.amount * 1000) / 1000,
        doseUnit: item.dose.unit.trim(),
        frequency: item.frequency,
        durationDays: item.durationDays,
        quantity: item.quantity,
        refillsAllowed: item.refillsAllowed,
        substitutionAllowed: item.substitutionAllowed,
        instructions: item.instructions?.trim() || null,
      });
    });
    if (problems.length > 0) throw new BadUserInputError(problems);
    return {
      diagnoses: [...new Set(input.diagnoses.map((code) => code.toUpperCase()))],
      notes: input.notes?.trim() || null,
      validityDays: input.validityDays,
      items,
    };
  }
}

/** A change only a draft takes, asked of a prescription in `status` (the API's enum name, as in every CONFLICT). */
function notDraftError(status: string): ConflictError {
  return new ConflictError('The prescription is no longer a draft: cancel and reissue it to change it.', [], {
    status: status.toUpperCase(),
  });
}

function changedOrSigned(): never {
  throw new ConflictError('The draft changed or was signed meanwhile: read it again and retry.');
}

function wrongStatus(status: PrescriptionStatus): ConflictError {
  return new ConflictError('The prescription cannot do that in its current status.', [], { status: status.toUpperCase() });
}

function changedMeanwhile(): never {
  throw new ConflictError('The prescription changed while this was being done: read it again and retry.');
}
