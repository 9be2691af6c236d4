// The benchmarked operations: their GraphQL documents, and a source of requests for each (random
// subjects from the fixtures, so that no single row, cache key or audit stream gets all the load).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE, PersistedOperations } from '../src/graphql/persisted/manifest.js';
import { PROJECT_ROOT } from '../src/platform/paths.js';
import { BOOKING_DAYS_AHEAD, type Fixtures } from './fixtures.js';
import type { Request } from './lib/load.js';
import { BENCH_CLIENT } from './settings.js';

export interface Operation {
  key: string;
  title: string;
  /** Which floor operation gives the same answer ('' for none). */
  floor: string;
  next(): Request;
}

const TYPENAME = 'query Typename { __typename }';
const DOCTOR_DAY = `query DoctorDay($doctorId: ID!, $date: LocalDate!) {
  doctorSchedule(doctorId: $doctorId, date: $date, first: 50) {
    edges { node { id startsAt endsAt status patient { id firstName lastName dateOfBirth } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const CLINIC_PAGE = `query ClinicPage($clinicId: ID!, $from: DateTime!, $to: DateTime!, $first: Int!) {
  clinicAppointments(clinicId: $clinicId, from: $from, to: $to, first: $first) {
    edges { node { id startsAt status patient { id firstName lastName } doctor { id displayName } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
/** A doctor's look at one of their patients' prescriptions (the shape of operations/prescriptions.graphql's PatientPrescriptions, with the findings). */
const PATIENT_PRESCRIPTIONS = `query PatientPrescriptionPage($patientId: ID!, $first: Int!) {
  patient(id: $patientId) {
    id
    prescriptions(first: $first) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id number status issuedOn validUntil diagnoses
          prescriber { displayName }
          items {
            position medicationName strength form route dose { amount unit } frequency durationDays quantity refillsAllowed instructions
            medication { id genericName }
          }
          safetyFindings { kind severity message(language: FR) resolution { kind reason at by { name role } } }
        }
      }
    }
  }
}`;
/** The catalogue search behind a prescribing form (operations/prescriptions.graphql's Medications). */
const MEDICATIONS = `query MedicationSearch($search: String, $first: Int!) {
  medications(search: $search, first: $first) {
    edges { node { id code genericName brandNames atcCode forms strengths routes controlled prescriptionOnly } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const BOOK = 'mutation Book($input: BookAppointmentInput!) { bookAppointment(input: $input) { id startsAt endsAt status } }';
/** The clients' own chart operation (operations/patient-chart.graphql), as it is in the manifest when there is one. */
const CHART = readFileSync(path.join(PROJECT_ROOT, 'operations', 'patient-chart.graphql'), 'utf8');

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const body = (operationName: string, query: string, variables: Record<string, unknown>) =>
  JSON.stringify({ operationName, query, variables });

/** The PatientChart entry of the persisted-operations manifest (checked as the server checks it), or why there is none. */
export function persistedChart(): { id: string; body: string } | string {
  if (!existsSync(MANIFEST_FILE)) return 'skipped: no manifest';
  return (
    PersistedOperations.load().operations.find((operation) => operation.name === 'PatientChart') ??
    'skipped: the manifest has no PatientChart'
  );
}

/**
 * The booking rush: on the `day`-th weekday from BOOKING_DAYS_AHEAD on, every request books one of
 * the first `slots` 30-minute consultations of one of the rush's doctors (08:00 local on), for a
 * random patient: many requests, few slots, so most answers are CONFLICT.
 */
export function bookingRush(fixtures: Fixtures, day: number, slots = 6): () => Request {
  const date = new Date();
  date.setUTCHours(7, 0, 0, 0); // 08:00 in Africa/Douala
  date.setUTCDate(date.getUTCDate() + BOOKING_DAYS_AHEAD);
  for (let weekdays = 0; ;) {
    const dow = date.getUTCDay();
    if (dow >= 1 && dow <= 5 && weekdays++ === day) break;
    date.setUTCDate(date.getUTCDate() + 1);
  }
  const { patients, doctors, typeId } = fixtures.booking;
  return () => {
    const doctor = pick(doctors);
    const startsAt = new Date(date.getTime() + Math.floor(Math.random() * slots) * 30 * 60_000).toISOString();
    return {
      client: BENCH_CLIENT,
      token: pick(patients),
      body: body('Book', BOOK, { input: { ...doctor, appointmentTypeId: typeId, startsAt } }),
    };
  };
}

/** A page of `first` appointments of a clinic's fortnight, as its receptionist. */
export function clinicPage(fixtures: Fixtures, first: number): () => Request {
  return () => {
    const s = pick(fixtures.clinicPages);
    return {
      client: BENCH_CLIENT,
      token: s.token,
      body: body('ClinicPage', CLINIC_PAGE, { clinicId: s.clinicId, from: s.from, to: s.to, first }),
    };
  };
}

export function operations(fixtures: Fixtures): Operation[] {
  const chart = persistedChart();
  const chartQuery = typeof chart === 'string' ? CHART : chart.body;
  const list: Operation[] = [
    {
      key: 'typename',
      title: '{__typename}',
      floor: 'typename',
      next: () => ({ client: BENCH_CLIENT, body: body('Typename', TYPENAME, {}) }),
    },
    {
      key: 'doctor-day',
      title: "doctor's day with patients",
      floor: 'doctor-day',
      next: () => {
        const s = pick(fixtures.doctorDays);
        return { client: BENCH_CLIENT, token: s.token, body: body('DoctorDay', DOCTOR_DAY, { doctorId: s.doctorId, date: s.date }) };
      },
    },
    {
      key: 'chart',
      title: 'patient chart (PG + Mongo), cache on',
      floor: 'chart',
      next: () => {
        const s = pick(fixtures.charts);
        return { client: BENCH_CLIENT, token: s.token, body: body('PatientChart', chartQuery, { id: s.patientId }) };
      },
    },
    {
      key: 'page',
      title: '100 appointments + patient + doctor',
      floor: 'page',
      next: clinicPage(fixtures, 100),
    },
    {
      key: 'patient-prescriptions',
      title: "patient's prescriptions, first: 50",
      floor: 'patient-prescriptions',
      next: () => {
        const s = pick(fixtures.prescriptions);
        return {
          client: BENCH_CLIENT,
          token: s.token,
          body: body('PatientPrescriptionPage', PATIENT_PRESCRIPTIONS, { patientId: s.patientId, first: 50 }),
        };
      },
    },
    {
      key: 'medications-search',
      title: 'medications(search: "amox", first: 20)',
      floor: 'medications-search',
      next: () => ({
        client: BENCH_CLIENT,
        token: pick(fixtures.prescribers),
        body: body('MedicationSearch', MEDICATIONS, { search: 'amox', first: 20 }),
      }),
    },
  ];
  if (typeof chart !== 'string') {
    list.push({
      key: 'persisted',
      title: 'persisted query by id (PatientChart)',
      floor: 'chart',
      next: () => {
        const s = pick(fixtures.charts);
        return {
          token: s.token,
          body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: chart.id } }, variables: { id: s.patientId } }),
        };
      },
    });
  }
  return list;
}
