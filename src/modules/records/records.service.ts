// Medical history: reading it, and adding to it. Every write names who made it and when; an entry
// is validated whole before the one atomic write that stores it.
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../context/context.js';
import { ConflictError, NotFoundError, UnauthenticatedError } from '../../errors/errors.js';
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
const substanceKey = (substance: string) => substance.trim().toLowerCase().replace(/\s+/g, ' ');

export class RecordsService {
  constructor(private readonly repository: RecordsRepository) {}

  async history(context: RequestContext, patient: Patient): Promise<MedicalHistory> {
    return toMedicalHistory(await context.loaders.recordByPatientId.load(patient.dbId));
  }

  /** The patient's database id and who is writing, after checking the patient exists. */
  private async target(context: RequestContext, patientId: string): Promise<{ patient: string; actor: string }> {
    if (!context.principal) throw new UnauthenticatedError();
    const patient = idOf('Patient', patientId, ['patientId']);
    if (!(await context.loaders.patientById.load(patient))) throw new NotFoundError('Patient');
    return { patient, actor: context.principal.userId };
  }

  private async add<T>(context: RequestContext, patientId: string, list: HistoryList, fields: Record<string, unknown>, toEntry: (stored: StoredEntry) => T, unlessMatching?: Record<string, unknown>): Promise<T> {
    const { patient, actor } = await this.target(context, patientId);
    const entry: StoredEntry = { id: randomUUID(), recordedBy: actor, recordedAt: new Date(), ...fields };
    await this.repository.append(patient, list, entry, unlessMatching);
    context.loaders.recordByPatientId.clear(patient);
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
    const { patient } = await this.target(context, patientId);
    await this.repository.setFields(patient, { bloodType }, new Date());
    context.loaders.recordByPatientId.clear(patient);
    return toMedicalHistory(await context.loaders.recordByPatientId.load(patient));
  }

  async updateSocialHistory(context: RequestContext, patientId: string, input: SocialHistoryInput): Promise<SocialHistory> {
    const { patient, actor } = await this.target(context, patientId);
    const updatedAt = new Date();
    const social = { smoking: input.smoking ?? null, alcohol: input.alcohol ?? null, occupation: input.occupation ?? null, notes: input.notes ?? null };
    await this.repository.setFields(patient, { socialHistory: { ...social, updatedBy: actor, updatedAt } }, updatedAt);
    context.loaders.recordByPatientId.clear(patient);
    return { ...social, updatedAt };
  }
}
