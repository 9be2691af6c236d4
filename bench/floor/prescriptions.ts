// Prescriptions and medicines as the benchmarked operations select them, from the JSON that
// floor/sql.ts has PostgreSQL build: GraphQL enum names, dates as YYYY-MM-DD, instants as ISO 8601,
// the status as the world sees it today (a signed one past its last day is EXPIRED, job or no job),
// what src/modules/prescriptions/prescriptions.mapper.ts and the schema make of the rows.
import { encodeCursor } from '../../src/graphql/cursors.js';
import { toGlobalId as globalId } from '../../src/graphql/global-id.js';
import { localDate } from '../../src/modules/prescriptions/prescription-dates.js';

type Row = Record<string, unknown>;

const upper = (value: unknown) => String(value).toUpperCase();
const instant = (value: unknown) => new Date(String(value)).toISOString();
const named = (...parts: unknown[]) => parts.filter(Boolean).join(' ');

/** The fields of Prescription that PatientPrescriptionPage selects, as the audit names them (sorted; `id` is not audited). */
export const PRESCRIPTION_FIELDS = ['diagnoses', 'issuedOn', 'items', 'number', 'prescriber', 'safetyFindings', 'status', 'validUntil'];

function effectiveStatus(row: Row, today: string): string {
  const signedAndLapsed =
    (row.status === 'active' || row.status === 'on_hold') && row.valid_until !== null && String(row.valid_until) < today;
  return signedAndLapsed ? 'EXPIRED' : upper(row.status);
}

function prescription(row: Row, today: string) {
  const prescriber = row.prescriber as Row | null;
  return {
    id: globalId('Prescription', String(row.id)),
    number: row.number,
    status: effectiveStatus(row, today),
    issuedOn: row.issued_on,
    validUntil: row.valid_until,
    diagnoses: row.diagnoses,
    prescriber: prescriber ? { displayName: `Dr ${String(prescriber.first ?? '')} ${String(prescriber.last ?? '')}`.trim() } : null,
    items: (row.items as Row[]).map((item) => ({
      position: item.position,
      medicationName: item.name,
      strength: item.strength,
      form: item.form,
      route: upper(item.route),
      dose: { amount: Number(item.dose), unit: item.unit },
      frequency: item.frequency,
      durationDays: item.days,
      quantity: item.quantity,
      refillsAllowed: item.refills,
      instructions: item.instructions,
      medication:
        item.medicine_id === null ? null : { id: globalId('Medication', String(item.medicine_id)), genericName: item.generic_name },
    })),
    safetyFindings: (row.findings as Row[]).map((finding) => ({
      kind: upper(finding.kind),
      severity: upper(finding.severity),
      message: finding.message,
      resolution:
        finding.resolved_at === null || finding.resolved_by === null
          ? null
          : {
              kind: finding.reason ? 'OVERRIDDEN' : 'ACKNOWLEDGED',
              reason: finding.reason,
              at: instant(finding.resolved_at),
              by: finding.by_id === null ? null : { name: named(finding.by_first, finding.by_last), role: upper(finding.by_role) },
            },
    })),
  };
}

/** `patient.prescriptions(first:)` from PATIENT_PRESCRIPTIONS' row (rows fetched: first + 1). */
export function prescriptionPage(row: Row, first: number) {
  const today = localDate(new Date());
  const rows = row.prescriptions as Row[];
  const visible = rows.slice(0, first);
  const last = visible.at(-1);
  return {
    totalCount: row.total,
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: last ? encodeCursor(['rx', instant(last.created_at), last.id]) : null,
    },
    edges: visible.map((entry) => ({ node: prescription(entry, today) })),
  };
}

/** `medications(search:, first:)` from MEDICATIONS' rows (fetched: first + 1; one null row when none matched). */
export function medicationPage(rows: Row[], first: number) {
  const found = rows.filter((row) => row.id !== null);
  const visible = found.slice(0, first);
  const last = visible.at(-1);
  return {
    edges: visible.map((row) => ({
      node: {
        id: globalId('Medication', String(row.id)),
        code: row.code,
        genericName: row.generic_name,
        brandNames: row.brand_names,
        atcCode: row.atc_code,
        forms: row.forms,
        strengths: row.strengths,
        routes: (row.routes as string[]).map(upper),
        controlled: row.controlled,
        prescriptionOnly: row.prescription_only,
      },
    })),
    pageInfo: { hasNextPage: found.length > first, endCursor: last ? encodeCursor(['med', last.generic_name, last.id]) : null },
  };
}
