// The generated world's prescriptions: one at most per completed visit (most visits end with one:
// seeds' 450,000 prescriptions for 500,000 consultations), written by the visit's doctor at its end;
// the rest written outside a booked visit (walk-ins and chronic renewals) by a doctor who treats the
// patient (the assigned doctor, or one the patient has seen), in working hours. Numbers are given in
// order of creation per clinic and year, without gaps; statuses follow the clock (a signed one is
// active for 30 days, then completed or expired), with a few drafts (recent ones mostly), cancellations,
// holds and entries in error. Findings are the module's checks' own, and signing resolves them as
// the API demands: every high one overridden with a reason, every moderate one acknowledged.
import { CHRONIC_CONDITIONS } from './names.js';
import { ACUTE, CHRONIC, type ItemModel, type Line, type Prescribing } from './prescribing.js';
import type { AppointmentModel, World } from './world.js';
import { WeightedIndex, type Random } from '../lib/random.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Africa/Douala: UTC+1 all year. */
const UTC_OFFSET = 60 * MINUTE;
const VALIDITY_DAYS = 30;
const HISTORY_DAYS = 330;

export interface FindingModel {
  fingerprint: string;
  kind: string;
  severity: 'high' | 'moderate' | 'low';
  itemPositions: number[];
  messageEn: string;
  messageFr: string;
  detectedAt: number;
  resolvedAt: number | null;
  overrideReason: string | null;
}

export interface PrescriptionModel {
  id: string;
  number: string;
  patient: number;
  doctor: number;
  clinic: number;
  appointment: number | null;
  /** The first diagnosis, with its description (the visit's encounter says the same). */
  diagnosis: readonly [string, string];
  diagnoses: string[];
  notes: string | null;
  createdAt: number;
  checkedAt: number | null;
  /** Null unless signed; then issuedOn and validUntil (YYYY-MM-DD) are set too. */
  signedAt: number | null;
  issuedOn: string | null;
  validUntil: string | null;
  status: 'draft' | 'active' | 'on_hold' | 'completed' | 'cancelled' | 'expired' | 'entered_in_error';
  statusReason: string | null;
  statusChangedAt: number | null;
  /** The prescriber for their own changes; null for the system's (expiry) and the pharmacy's (completion). */
  statusChangedByPrescriber: boolean;
  items: ItemModel[];
  findings: FindingModel[];
}

export interface Prescriptions {
  prescriptions: PrescriptionModel[];
  /** Per clinic and year, the last number given. */
  counters: Array<{ clinic: number; year: number; last: number }>;
}

const OVERRIDE_REASONS = [
  'Benefit outweighs the risk; patient informed and will be monitored.',
  'No alternative available at the dispensary today; reviewed with the patient.',
  'Tolerated this medicine before without problem; short course only.',
  'Bénéfice supérieur au risque, patient informé, surveillance prévue.',
];
const CANCEL_REASONS = ['Treatment changed after laboratory results.', 'Duplicate prescription.', 'Patient referred to hospital.'];

/** The local date (YYYY-MM-DD) of an instant. */
export const localDay = (ms: number) => new Date(ms + UTC_OFFSET).toISOString().slice(0, 10);
export const plusDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
/** The instant of local midnight starting `day`. */
export const midnightOf = (day: string) => Date.parse(`${day}T00:00:00Z`) - UTC_OFFSET;

interface Stub {
  patient: number;
  doctor: number;
  clinic: number;
  appointment: number | null;
  at: number;
  kind: 'acute' | 'chronic' | 'both';
}

/** When and by whom: one stub per prescription, not yet in order. */
function stubs(random: Random, world: Omit<World, 'prescriptions'>, total: number): Stub[] {
  const { patients, appointments, now } = world;
  const medicated = patients.map((patient) => patient.conditions.some((condition) => CHRONIC[condition].length > 0));
  const kindOf = (patient: number): Stub['kind'] =>
    medicated[patient]
      ? random.weighted<Stub['kind']>([
          ['chronic', 40],
          ['acute', 40],
          ['both', 20],
        ])
      : 'acute';
  const visits = patients.map(() => [] as AppointmentModel[]);
  const linked: Stub[] = [];
  appointments.forEach((a, index) => {
    if (a.status !== 'completed') return;
    visits[a.patient].push(a);
    if (!random.chance(0.9)) return;
    const at = a.endsAt - random.int(2, 8) * MINUTE - random.int(0, 59_999);
    linked.push({ patient: a.patient, doctor: a.doctor, clinic: a.clinic, appointment: index, at, kind: kindOf(a.patient) });
  });
  while (linked.length > total) linked.splice(random.int(0, linked.length - 1), 1);

  // Outside a visit: a doctor who treats the patient, after the visit that made them one.
  const ties = patients.map((patient, p) => [
    ...(patient.assignedDoctor === null
      ? []
      : [{ doctor: patient.assignedDoctor, clinic: patient.clinicIndex, from: now - HISTORY_DAYS * DAY }]),
    ...visits[p].map((a) => ({ doctor: a.doctor, clinic: a.clinic, from: a.endsAt })),
  ]);
  const weights = ties.map((tie, p) => (tie.length === 0 ? 0 : (1 + visits[p].length) * (medicated[p] ? 1.5 : 1)));
  const unlinked: Stub[] = [];
  if (weights.some((weight) => weight > 0)) {
    const who = new WeightedIndex(weights);
    for (let k = linked.length; k < total; k++) {
      const patient = who.draw(random);
      const tie = random.pick(ties[patient]);
      const day = localDay(tie.from + random.next() * Math.max(0, now - tie.from));
      let at = midnightOf(day) + random.int(8 * 60, 17 * 60 - 1) * MINUTE + random.int(0, 59_999);
      if (at < tie.from) at = tie.from + random.int(10, 120) * MINUTE;
      if (at > now - 10 * MINUTE) at = now - random.int(10, 600) * MINUTE;
      unlinked.push({
        ...tie,
        patient,
        appointment: null,
        at,
        kind: medicated[patient] && random.chance(0.6) ? 'chronic' : kindOf(patient),
      });
    }
  }
  return [...linked, ...unlinked];
}

export function makePrescriptions(
  random: Random,
  world: Omit<World, 'prescriptions'>,
  total: number,
  prescribing: Prescribing,
): Prescriptions {
  const { patients, now } = world;
  const today = localDay(now);
  const ordered = stubs(random, world, total).sort((a, b) => a.at - b.at);
  const last = new Map<string, number>();
  const regimens = new Map<string, Line[]>();
  // What each patient has in force (the checks' active prescriptions): signed, until completed, cancelled or past its last day.
  const inForce = patients.map(() => [] as Array<{ number: string; code: string; until: number }>);
  const prescriptions: PrescriptionModel[] = [];

  const eligible = (lines: readonly Line[], ageMonths: number) =>
    lines.every(([code]) => prescribing.medicines.get(code)!.minAgeMonths <= ageMonths);
  const choose = (options: ReadonlyArray<readonly [Line[], number]>, ageMonths: number): Line[] => {
    const fitting = options.filter(([lines]) => eligible(lines, ageMonths));
    return random.weighted(fitting.length > 0 ? fitting : options);
  };

  for (const stub of ordered) {
    const patient = patients[stub.patient];
    const year = Number(localDay(stub.at).slice(0, 4));
    const sequence = (last.get(`${stub.clinic}:${year}`) ?? 0) + 1;
    last.set(`${stub.clinic}:${year}`, sequence);
    const number = `RX-${year}-${String(sequence).padStart(6, '0')}`;
    const ageMonths = Math.max(0, Math.floor((stub.at - patient.birth.getTime()) / (30.4375 * DAY)));
    const female = patient.gender === 'female';
    const language = random.chance(0.8) ? 'fr' : 'en';
    const chronicCodes = patient.conditions.map((condition) => CHRONIC_CONDITIONS[condition][1]);

    const draw = () => {
      const lines: Line[] = [];
      const diagnoses: Array<readonly [string, string]> = [];
      const others = inForce[stub.patient].filter((entry) => entry.until > stub.at);
      if (stub.kind !== 'acute') {
        for (const condition of patient.conditions) {
          if (CHRONIC[condition].length === 0) continue;
          const key = `${stub.patient}:${condition}`;
          if (!regimens.has(key)) regimens.set(key, choose(CHRONIC[condition], ageMonths));
          // What is still in force is not renewed yet.
          const due = regimens.get(key)!.filter(([code]) => !others.some((other) => other.code === code));
          if (due.length === 0) continue;
          lines.push(...due);
          diagnoses.push([CHRONIC_CONDITIONS[condition][1], CHRONIC_CONDITIONS[condition][0]]);
        }
      }
      if (stub.kind !== 'chronic' || lines.length === 0) {
        const years = ageMonths / 12;
        const fits = ACUTE.filter(
          (r) =>
            (r.who !== 'pregnant-age-women' || (female && years >= 15 && years < 45)) &&
            (r.who !== 'adult-women' || (female && years >= 15)) &&
            (r.who !== 'adults' || years >= 15),
        );
        const regimen = random.weighted(fits.map((r) => [r, r.weight] as const));
        const child = years < 12;
        lines.unshift(
          ...choose(child ? (regimen.child ?? regimen.adult) : regimen.adult, ageMonths),
          ...(regimen.extras ?? [])
            .filter(
              ([line, chance, audience]) =>
                (audience === 'any' || (audience === 'child') === child) && eligible([line], ageMonths) && random.chance(chance),
            )
            .map(([line]) => line),
        );
        diagnoses.unshift([regimen.icd10, regimen.description]);
      }
      const unique = lines.filter((line, index) => lines.findIndex(([code]) => code === line[0]) === index).slice(0, 4);
      const items = unique.map((line) => prescribing.item(random, line, stub.kind !== 'acute', language));
      const codes = [...new Set(diagnoses.map(([code]) => code))].slice(0, 10);
      const findings = prescribing.check(items, others, { ageMonths, conditionCodes: [...chronicCodes, ...codes], female });
      return { items, diagnoses: codes, diagnosis: diagnoses[0], findings };
    };
    let content = draw();
    // A high finding makes most doctors change the plan; the others go ahead and say why.
    for (let attempt = 0; attempt < 2 && content.findings.some((f) => f.severity === 'high') && random.chance(0.6); attempt++)
      content = draw();

    const recent = now - stub.at < 7 * DAY;
    const draft = (recent && random.chance(0.15)) || random.chance(0.002);
    const cancelledDraft = !draft && random.chance(0.007);
    const signed = !draft && !cancelledDraft;
    const checkedAt = signed || random.chance(0.7) ? stub.at + random.int(20, 120) * 1000 : null;
    let clock = checkedAt ?? stub.at;
    const findings: FindingModel[] = content.findings.map((finding, index) => {
      const resolve = signed
        ? finding.severity !== 'low' || random.chance(0.3)
        : checkedAt !== null && finding.severity !== 'low' && random.chance(0.5);
      const resolvedAt = resolve ? (clock += random.int(5, 60) * 1000) : null;
      return {
        ...finding,
        detectedAt: (checkedAt ?? stub.at) + index,
        resolvedAt,
        overrideReason: resolve && finding.severity === 'high' ? random.pick(OVERRIDE_REASONS) : null,
      };
    });
    const model: PrescriptionModel = {
      id: random.uuid(),
      number,
      patient: stub.patient,
      doctor: stub.doctor,
      clinic: stub.clinic,
      appointment: stub.appointment,
      diagnosis: content.diagnosis,
      diagnoses: content.diagnoses,
      notes: random.chance(0.1) ? random.pick(['Review in 7 days.', 'Contrôle dans une semaine.', 'Return if fever persists.']) : null,
      createdAt: stub.at,
      checkedAt,
      signedAt: null,
      issuedOn: null,
      validUntil: null,
      status: 'draft',
      statusReason: null,
      statusChangedAt: null,
      statusChangedByPrescriber: false,
      items: content.items,
      findings,
    };
    if (cancelledDraft) {
      Object.assign(model, {
        status: 'cancelled',
        statusReason: random.pick(CANCEL_REASONS),
        statusChangedAt: Math.min(now, clock + random.int(1, 120) * MINUTE),
        statusChangedByPrescriber: true,
      });
    }
    if (signed) sign(random, model, clock, today, now);
    if (signed) {
      const ended = ['active', 'on_hold', 'expired'].includes(model.status)
        ? midnightOf(plusDays(model.validUntil!, 1))
        : model.statusChangedAt!;
      for (const item of model.items) inForce[stub.patient].push({ number, code: item.code, until: ended });
    }
    prescriptions.push(model);
  }
  const counters = [...last].map(([key, value]) => {
    const [clinic, year] = key.split(':').map(Number);
    return { clinic, year, last: value };
  });
  return { prescriptions, counters };
}

/** Signs `model` after its last resolution (`clock`), then moves its status on as time went by. */
function sign(random: Random, model: PrescriptionModel, clock: number, today: string, now: number): void {
  const signedAt = Math.min(now - MINUTE, clock + random.int(10, 90) * 1000);
  const issuedOn = localDay(signedAt);
  const validUntil = plusDays(issuedOn, VALIDITY_DAYS);
  Object.assign(model, { signedAt, issuedOn, validUntil, status: 'active' });
  const change = (status: PrescriptionModel['status'], at: number, reason: string | null, byPrescriber: boolean) =>
    Object.assign(model, {
      status,
      statusChangedAt: Math.min(now, Math.max(signedAt + MINUTE, at)),
      statusReason: reason,
      statusChangedByPrescriber: byPrescriber,
    });
  const lastDayEnds = midnightOf(plusDays(validUntil, 1));
  const later = (maxDays: number) => signedAt + random.next() * Math.min(maxDays * DAY, Math.max(MINUTE, now - signedAt));
  if (random.chance(0.015)) change('cancelled', later(VALIDITY_DAYS), random.pick(CANCEL_REASONS), true);
  else if (random.chance(0.002)) change('entered_in_error', later(2), 'Written for the wrong patient.', true);
  else if (validUntil >= today) {
    if (random.chance(0.01)) change('on_hold', later(10), 'Awaiting laboratory results.', true);
    else if (now - signedAt > 7 * DAY && model.items.every((item) => item.days <= 10) && random.chance(0.5))
      change('completed', later(5), null, false);
  } else if (random.chance(0.65)) change('completed', later(10), null, false);
  else change('expired', lastDayEnds + random.int(0, 59) * MINUTE, null, false);
}
