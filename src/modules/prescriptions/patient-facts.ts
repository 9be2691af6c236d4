// What the safety checks read about the patient: the record in MongoDB (allergies, conditions,
// pregnancy and breastfeeding) and the profile in PostgreSQL (age, sex). Read fresh, within a
// deadline: a record that cannot be read is ChecksUnavailable, never an empty (and passing) record.
import type { RequestContext } from '../../context/context.js';
import { reproductiveStatusOn } from '../records/index.js';
import type { KnowledgeSnapshot } from './medicine-knowledge.js';
import { recognise } from './medicine-knowledge.js';
import { ChecksUnavailable, type PatientFacts } from './safety-checks.js';

/** The longest the checks wait for the record (MongoDB's own timeout usually answers first). */
const RECORD_DEADLINE_MS = 5_000;

function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('the record did not answer in time')), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

interface StoredHistoryEntry {
  entryStatus?: string;
  substance?: string;
  icd10Code?: string | null;
  status?: string;
}

/** Whole months from `birth` (YYYY-MM-DD) to `today` (YYYY-MM-DD). */
export function ageInMonths(birth: string, today: string): number {
  const [by, bm, bd] = birth.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return (ty - by) * 12 + (tm - bm) - (td < bd ? 1 : 0);
}

export async function patientFacts(
  context: RequestContext,
  patientId: string,
  diagnoses: readonly string[],
  knowledge: KnowledgeSnapshot,
  now: Date,
  today: string,
): Promise<PatientFacts> {
  context.loaders.recordByPatientId.clear(patientId);
  const [record, patient] = await Promise.all([
    withinDeadline(context.loaders.recordByPatientId.load(patientId), RECORD_DEADLINE_MS).catch(() => {
      throw new ChecksUnavailable('record', "the patient's record could not be read");
    }),
    context.loaders.patientById.load(patientId),
  ]);
  const inForce = (entries: unknown) =>
    ((entries as StoredHistoryEntry[] | undefined) ?? []).filter((entry) => entry.entryStatus !== 'entered_in_error');
  const allergies = inForce(record?.allergies)
    .filter((entry) => typeof entry.substance === 'string')
    .map((entry) => ({ substance: entry.substance!, ...recognise(entry.substance!, knowledge) }));
  const conditionCodes = [
    ...inForce(record?.chronicConditions)
      .filter((entry) => entry.status !== 'resolved' && entry.icd10Code)
      .map((entry) => entry.icd10Code!),
    ...diagnoses,
  ];
  const { pregnant, breastfeeding } = reproductiveStatusOn(record, now);
  const ageMonths = patient?.dateOfBirth ? ageInMonths(patient.dateOfBirth, today) : null;
  const ofChildbearingAge = patient?.gender === 'female' && ageMonths !== null && ageMonths >= 12 * 12 && ageMonths < 51 * 12;
  return { ageMonths, allergies, conditionCodes, pregnant, breastfeeding, ofChildbearingAge };
}
