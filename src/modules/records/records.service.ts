// Medical history: reading it, and adding to it. Every write names who made it and when; an entry
// is validated whole before the one atomic write that stores it.
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../context/context.js';
import { ConflictError, UnauthenticatedError } from '../../errors/errors.js';
import { idOf } from '../../graphql/global-id.js';
import { fromLocalDate } from '../../graphql/scalars.js';
import type { Patient } from '../patients/index.js';
import type {
  Allergy, AllergyInput, BloodType, ChronicCondition, ChronicConditionInput, FamilyHistoryEntry, FamilyHistoryInput,
  Immunization, ImmunizationInput, MedicalHistory, SocialHistory, SocialHistoryInput, Surgery, SurgeryInput,
} from './medical-history.types.js';
import { toAllergy, toCondition, toFamilyEntry, toImmunization, toMedicalHistory, toSurgery } from './records.mapper.js';
import { DuplicateEntry, type HistoryList, type RecordsRepository, type StoredEntry } from './records.repository.js';

const optionalDate = (value: string | null | undefined) => (value ? fromLocalDate(value) : null);
const RESOURCE_OF: Record<HistoryList, string> = { allergies: 'Allergy', chronicConditions: 'ChronicCondition', immunizations: 'Immunization', surgeries: 'Surgery', familyHistory: 'FamilyHistoryEntry' };
const substanceKey = (substance: string) => substance.trim().toLowerCase().replace(/\s+/g, ' ');

export class RecordsService {
  constructor(private readonly repository: RecordsRepository) {}

  async history(context: RequestContext, patient: Patient): Promise<MedicalHistory> {
    return toMedicalHistory(patient.dbId, await context.loaders.recordByPatientId.load(patient.dbId));
  }

  /**
   * The patient's database id, who is writing and why. The schema's rule (clinicalWrite on the
   * patient) has already refused a patient the caller does not treat, an unknown one among them.
   */
  private async target(context: RequestContext, patientId: string): Promise<{ patient: string; actor: string; purpose: 'normal' | 'emergency' }> {
    if (!context.principal) throw new UnauthenticatedError();
    const patient = idOf('Patient', patientId, ['patientId']);
    const { purpose } = await context.services.care.capabilities(context, patient);
    return { patient, actor: context.principal.userId, purpose };
  }

  /** Audits the write first (no audit, no write), then does it; a failed write is audited too. */
  private async audited<T>(context: RequestContext, target: { patient: string; purpose: 'normal' | 'emergency' }, resource: string, fields: string[], action: 'create' | 'update', write: () => Promise<T>): Promise<T> {
    try {
      return await context.audit.around(target.patient, resource, fields, action, target.purpose, write);
    } finally {
      context.loaders.recordByPatientId.clear(target.patient);
    }
  }

  private async add<T>(context: RequestContext, patientId: string, list: HistoryList, fields: Record<string, unknown>, toEntry: (stored: StoredEntry) => T, unlessMatching?: Record<string, unknown>): Promise<T> {
    const target = await this.target(context, patientId);
    const entry: StoredEntry = { id: randomUUID(), recordedBy: target.actor, recordedAt: new Date(), ...fields };
    const audited = Object.keys(fields).filter((field) => field !== 'substanceKey');
    await this.audited(context, target, RESOURCE_OF[list], audited, 'create', () => this.repository.append(target.patient, list, entry, unlessMatching));
    return toEntry(entry);
  }

  async recordAllergy(context: RequestContext, patientId: string, input: AllergyInput): Promise<Allergy> {
    const key = substanceKey(input.substance);
    try {
      return await this.add(context, patientId, 'allergies', {
        substance: input.substance.trim(), substanceKey: key, severity: input.severity, reaction: input.reaction ?? null, notedOn: optionalDate(input.notedOn),
      }, toAllergy, { substanceKey: key });
    } catch (error) {
      if (error instanceof DuplicateEntry) {
        throw new ConflictError('This allergy is already recorded for the patient.', [{ path: ['input', 'substance'], message: 'is already recorded' }]);
      }
      throw error;
    }
  }

  recordChronicCondition(context: RequestContext, patientId: string, input: ChronicConditionInput): Promise<ChronicCondition> {
    return this.add(context, patientId, 'chronicConditions', {
      name: input.name.trim(), icd10Code: input.icd10Code ?? null, status: input.status, diagnosedOn: optionalDate(input.diagnosedOn), notes: input.notes ?? null,
    }, toCondition);
  }

  recordImmunization(context: RequestContext, patientId: string, input: ImmunizationInput): Promise<Immunization> {
    return this.add(context, patientId, 'immunizations', {
      vaccine: input.vaccine.trim(), administeredOn: fromLocalDate(input.administeredOn), doseNumber: input.doseNumber ?? null,
      manufacturer: input.manufacturer ?? null, lotNumber: input.lotNumber ?? null,
    }, toImmunization);
  }

  recordSurgery(context: RequestContext, patientId: string, input: SurgeryInput): Promise<Surgery> {
    return this.add(context, patientId, 'surgeries', {
      procedure: input.procedure.trim(), performedOn: optionalDate(input.performedOn), facility: input.facility ?? null, notes: input.notes ?? null,
    }, toSurgery);
  }

  recordFamilyHistory(context: RequestContext, patientId: string, input: FamilyHistoryInput): Promise<FamilyHistoryEntry> {
    return this.add(context, patientId, 'familyHistory', {
      relation: input.relation.trim(), condition: input.condition.trim(), ageAtDiagnosis: input.ageAtDiagnosis ?? null,
    }, toFamilyEntry);
  }

  async setBloodType(context: RequestContext, patientId: string, bloodType: BloodType): Promise<MedicalHistory> {
    const target = await this.target(context, patientId);
    await this.audited(context, target, 'MedicalHistory', ['bloodType'], 'update', () => this.repository.setFields(target.patient, { bloodType }, new Date()));
    return toMedicalHistory(target.patient, await context.loaders.recordByPatientId.load(target.patient));
  }

  async updateSocialHistory(context: RequestContext, patientId: string, input: SocialHistoryInput): Promise<SocialHistory> {
    const target = await this.target(context, patientId);
    const updatedAt = new Date();
    const social = { smoking: input.smoking ?? null, alcohol: input.alcohol ?? null, occupation: input.occupation ?? null, notes: input.notes ?? null };
    await this.audited(context, target, 'SocialHistory', Object.keys(social), 'update', () =>
      this.repository.setFields(target.patient, { socialHistory: { ...social, updatedBy: target.actor, updatedAt } }, updatedAt),
    );
    return { ...social, updatedAt };
  }
}
