// Recording whether a patient is pregnant or breastfeeding (the prescribing checks read it): each
// write replaces the current status, which is kept in its history, in one atomic update.
import type { RequestContext } from '../../context/context.js';
import { BadUserInputError, type FieldProblem } from '../../errors/errors.js';
import { Gender } from '../../graphql/common-types.js';
import { fromLocalDate } from '../../graphql/scalars.js';
import type { MedicalHistory } from './medical-history.types.js';
import { auditedWrite, writeTarget, type WriteTarget } from './record-writes.js';
import { toMedicalHistory } from './records.mapper.js';
import type { CurrentStatus, PatientRecord, RecordsRepository } from './records.repository.js';
import { daysBetween, PREGNANCY_MAX_DAYS } from './reproductive-status.js';
import { PregnancyState, type LactationStatusInput, type PregnancyStatusInput } from './reproductive-status.types.js';

/** The furthest ahead an expected delivery may be. */
const EXPECTED_DELIVERY_MAX_MONTHS = 10;

const localDate = (value: string | null | undefined) => (value ? fromLocalDate(value) : null);

/** What is wrong with the dates of a pregnancy status (`since` not in the future is the input type's rule). */
function pregnancyDateProblems(input: PregnancyStatusInput, now: Date): FieldProblem[] {
  const expected = localDate(input.expectedDelivery);
  if (!expected) return [];
  const path = ['input', 'expectedDelivery'];
  if (input.status !== PregnancyState.PREGNANT) return [{ path, message: 'expectedDelivery is given only with status PREGNANT' }];
  const problems: FieldProblem[] = [];
  const since = localDate(input.since);
  if (since) {
    const days = daysBetween(since, expected);
    if (days < 0 || days > PREGNANCY_MAX_DAYS) problems.push({ path, message: 'expectedDelivery must be 0 to 44 weeks after since' });
  }
  const latest = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + EXPECTED_DELIVERY_MAX_MONTHS, now.getUTCDate());
  if (expected.getTime() > latest) problems.push({ path, message: 'expectedDelivery must be at most 10 months from today' });
  return problems;
}

export class ReproductiveStatusService {
  constructor(private readonly repository: RecordsRepository) {}

  async recordPregnancy(context: RequestContext, patientId: string, input: PregnancyStatusInput): Promise<MedicalHistory> {
    const recordedAt = new Date();
    const problems = pregnancyDateProblems(input, recordedAt);
    if (problems.length > 0) throw new BadUserInputError(problems);
    const target = writeTarget(context, patientId);
    const patient = await context.loaders.patientById.load(target.patient);
    const status = {
      status: input.status,
      since: localDate(input.since),
      expectedDelivery: input.status === PregnancyState.PREGNANT ? localDate(input.expectedDelivery) : null,
      recordedBy: target.actor,
      recordedAt,
    };
    return this.record(context, target, 'pregnancy', 'PregnancyStatus', status, () => {
      // Refused inside the audited write, as a refusal that depends on the patient's record.
      if (input.status === PregnancyState.PREGNANT && patient?.gender === Gender.MALE)
        throw new BadUserInputError([{ path: ['input', 'status'], message: 'PREGNANT cannot be recorded for a patient recorded as male' }]);
    });
  }

  recordLactation(context: RequestContext, patientId: string, input: LactationStatusInput): Promise<MedicalHistory> {
    const target = writeTarget(context, patientId);
    const status = { status: input.status, since: localDate(input.since), recordedBy: target.actor, recordedAt: new Date() };
    return this.record(context, target, 'lactation', 'LactationStatus', status);
  }

  /** Replaces the current status, audited with the names of its fields; the history as it then is. */
  private async record<Which extends CurrentStatus>(
    context: RequestContext,
    target: WriteTarget,
    which: Which,
    resource: string,
    status: Omit<NonNullable<PatientRecord[Which]>, 'history'>,
    refuse: () => void = () => undefined,
  ): Promise<MedicalHistory> {
    const fields = Object.keys(status).filter((field) => field !== 'recordedBy' && field !== 'recordedAt');
    await auditedWrite(context, target, resource, fields, 'update', async () => {
      refuse();
      await this.repository.setStatus(target.patient, which, status);
    });
    return toMedicalHistory(target.patient, await context.loaders.recordByPatientId.load(target.patient));
  }
}
