// The generated world, in memory: clinics with their staff, doctors with weekly hours, patients,
// and a year of appointments (about eleven months past, five weeks ahead) that never overlap for
// a doctor or a patient. Distributions: clinic sizes and doctor popularity are skewed (Zipf-like),
// patients' visit frequency is log-normal (more for the chronically ill), appointments fall on
// working hours with busier Mondays and mornings, and the near future is fuller than the far one.
import { starterCatalogue } from '../../src/modules/prescriptions/knowledge/starter-catalogue.js';
import { APPOINTMENT_TYPES, CHRONIC_CONDITIONS, CITIES, SPECIALTIES } from './names.js';
import { Prescribing } from './prescribing.js';
import { makePrescriptions, type Prescriptions } from './prescriptions.js';
import { Random, WeightedIndex, zipfWeights } from '../lib/random.js';

/** Every year-one volume from the seed documents; `scale` multiplies them. */
export const YEAR_ONE = {
  patients: 100_000,
  doctors: 500,
  appointments: 200_000,
  consultations: 500_000,
  prescriptions: 450_000,
  auditEntries: 5_000_000,
};

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Africa/Douala is UTC+1 all year (no daylight saving). */
const UTC_OFFSET_MINUTES = 60;
const PAST_DAYS = 330;
const FUTURE_DAYS = 35;
const SLOT_MINUTES = 30;

export interface ClinicModel {
  id: string;
  name: string;
  city: string;
  region: string;
  latitude: number;
  longitude: number;
  adminId: string;
  receptionistIds: string[];
  nurseIds: string[];
}
export interface DoctorModel {
  id: string;
  userId: string;
  clinicIndexes: number[];
  daysByClinic: number[][];
  saturday: boolean;
  specialtyIndexes: number[];
}
export interface PatientModel {
  id: string;
  clinicIndex: number;
  birth: Date;
  gender: 'female' | 'male';
  conditions: number[];
  assignedDoctor: number | null;
}
export interface AppointmentModel {
  id: string;
  patient: number;
  doctor: number;
  clinic: number;
  type: number;
  startsAt: number;
  endsAt: number;
  status: string;
  bookedBy: string;
}

export interface World {
  now: number;
  clinics: ClinicModel[];
  doctors: DoctorModel[];
  patients: PatientModel[];
  appointments: AppointmentModel[];
  specialtyIds: string[];
  typeIds: string[];
  /** Prescriptions (over the appointments above) and the clinics' number counters. */
  prescriptions: Prescriptions;
}

export interface Volumes {
  clinics: number;
  doctors: number;
  patients: number;
  appointments: number;
  prescriptions: number;
  auditEntries: number;
}

export function volumesAt(scale: number): Volumes {
  const doctors = Math.max(4, Math.round(YEAR_ONE.doctors * scale));
  return {
    clinics: Math.max(2, Math.round(doctors / 10)),
    doctors,
    patients: Math.max(50, Math.round(YEAR_ONE.patients * scale)),
    appointments: Math.round(YEAR_ONE.appointments * scale),
    prescriptions: Math.round(YEAR_ONE.prescriptions * scale),
    auditEntries: Math.round(YEAR_ONE.auditEntries * scale),
  };
}

function ageYears(random: Random): number {
  // Cameroon's population is young: about 42% under 15, 3.5% over 65.
  const band = random.weighted<[number, number]>([
    [[0, 14], 42],
    [[15, 24], 20],
    [[25, 54], 30],
    [[55, 64], 4.5],
    [[65, 90], 3.5],
  ]);
  return random.int(band[0], band[1]);
}

function makeClinics(random: Random, count: number): ClinicModel[] {
  const cityIndex = new WeightedIndex(CITIES.map(([, , weight]) => weight));
  return Array.from({ length: count }, (_, i) => {
    const [city, region, , latitude, longitude] = CITIES[i < CITIES.length ? i : cityIndex.draw(random)];
    return {
      id: random.uuid(),
      name: `Clinique ${city} ${i + 1}`,
      city,
      region,
      latitude: latitude + random.normal(0, 0.03),
      longitude: longitude + random.normal(0, 0.03),
      adminId: random.uuid(),
      receptionistIds: [random.uuid(), random.uuid()],
      nurseIds: [random.uuid(), random.uuid(), random.uuid()],
    };
  });
}

function makeDoctors(random: Random, count: number, clinics: number, clinicSize: WeightedIndex): DoctorModel[] {
  const specialty = new WeightedIndex(SPECIALTIES.map(([, , , weight]) => weight));
  return Array.from({ length: count }, (_, i) => {
    const home = i < clinics ? i : clinicSize.draw(random);
    const second = clinics > 1 && random.chance(0.15) ? (home + 1 + random.int(0, clinics - 2)) % clinics : null;
    const primary = specialty.draw(random);
    const secondary = random.chance(0.2) ? specialty.draw(random) : primary;
    return {
      id: random.uuid(),
      userId: random.uuid(),
      clinicIndexes: second === null ? [home] : [home, second],
      daysByClinic:
        second === null
          ? [[1, 2, 3, 4, 5, 6]]
          : [
              [1, 3, 5, 6],
              [2, 4],
            ],
      saturday: random.chance(0.5),
      specialtyIndexes: secondary === primary ? [primary] : [primary, secondary],
    };
  });
}

function makePatients(
  random: Random,
  count: number,
  clinicSize: WeightedIndex,
  doctorsByClinic: number[][],
  now: number,
): { patients: PatientModel[]; activity: number[] } {
  const patients: PatientModel[] = [];
  const activity: number[] = [];
  for (let i = 0; i < count; i++) {
    const age = ageYears(random);
    const birth = new Date(now - (age * 365.25 + random.int(0, 364)) * DAY);
    birth.setUTCHours(0, 0, 0, 0);
    const conditions =
      age < 15
        ? []
        : CHRONIC_CONDITIONS.flatMap(([, , prevalence], index) => (random.chance(prevalence * (age > 50 ? 2 : 1)) ? [index] : []));
    const clinicIndex = clinicSize.draw(random);
    const doctors = doctorsByClinic[clinicIndex];
    patients.push({
      id: random.uuid(),
      clinicIndex,
      birth,
      gender: random.chance(0.52) ? 'female' : 'male',
      conditions,
      assignedDoctor: doctors.length > 0 && random.chance(0.25) ? random.pick(doctors) : null,
    });
    activity.push(Math.exp(random.normal(0, 0.9)) * (conditions.length > 0 ? 2.5 : 1) * (age < 5 || age > 60 ? 1.5 : 1));
  }
  return { patients, activity };
}

/** A doctor's bookable 30-minute slots over the year, in UTC milliseconds, with how busy each tends to be. */
function doctorSlots(
  doctor: DoctorModel,
  firstDay: number,
  days: number,
  now: number,
): Array<{ at: number; clinic: number; weight: number }> {
  const slots: Array<{ at: number; clinic: number; weight: number }> = [];
  const busyByDay = [0, 1.3, 1.1, 1, 1, 0.9, 0.8];
  for (let d = 0; d < days; d++) {
    const midnight = firstDay + d * DAY;
    const dow = new Date(midnight).getUTCDay();
    const at = doctor.daysByClinic.findIndex((list) => list.includes(dow));
    if (at < 0 || (dow === 6 && !doctor.saturday)) continue;
    const daysAhead = (midnight - now) / DAY;
    const booking = daysAhead <= 0 ? 1 : Math.max(0.1, 1 - daysAhead / FUTURE_DAYS);
    const ends = dow === 6 ? 12 * 60 : 17 * 60;
    for (let minute = 8 * 60; minute + SLOT_MINUTES <= ends; minute += SLOT_MINUTES) {
      if (minute >= 12 * 60 + 30 && minute < 13 * 60 + 30) continue; // lunch break
      const morning = minute < 12 * 60 ? 1.3 : 0.8;
      slots.push({
        at: midnight + (minute - UTC_OFFSET_MINUTES) * MINUTE,
        clinic: doctor.clinicIndexes[at],
        weight: busyByDay[dow] * morning * booking,
      });
    }
  }
  return slots;
}

function statusOf(random: Random, startsAt: number, now: number): string {
  if (startsAt + 30 * MINUTE <= now)
    return random.weighted([
      ['completed', 76],
      ['cancelled', 13],
      ['no_show', 11],
    ]);
  return random.weighted([
    ['booked', 55],
    ['confirmed', 35],
    ['cancelled', 10],
  ]);
}

function makeAppointments(
  random: Random,
  world: Omit<World, 'appointments' | 'prescriptions'>,
  total: number,
  activity: number[],
): AppointmentModel[] {
  const { doctors, patients, clinics, now } = world;
  const firstDay = Math.floor(now / DAY) * DAY - PAST_DAYS * DAY;
  const days = PAST_DAYS + FUTURE_DAYS;
  const byClinic = clinics.map(() => [] as number[]);
  patients.forEach((patient, index) => byClinic[patient.clinicIndex].push(index));
  const clinicPatients = byClinic.map((members) => ({ members, index: new WeightedIndex(members.map((member) => activity[member])) }));
  const anyPatient = new WeightedIndex(activity);
  const type = new WeightedIndex(APPOINTMENT_TYPES.map(([, , , , , share]) => share));
  // Popularity by rank, in a random order of doctors; no doctor is booked past 85% of their slots.
  const popularity = zipfWeights(doctors.length, 0.8, 3);
  const popularitySum = popularity.reduce((sum, weight) => sum + weight, 0);
  const taken = new Set<string>();
  const appointments: AppointmentModel[] = [];
  let carried = 0;
  for (const [doctorIndex, doctor] of doctors.entries()) {
    const slots = doctorSlots(doctor, firstDay, days, now);
    const wanted = Math.round((popularity[doctorIndex] / popularitySum) * total) + carried;
    const count = Math.min(wanted, Math.floor(slots.length * 0.85), total - appointments.length);
    carried = wanted - count;
    // Weighted sampling without replacement: the `count` smallest -ln(u) / weight.
    const chosen = slots
      .map((slot) => ({ slot, key: -Math.log(1 - random.next()) / slot.weight }))
      .sort((a, b) => a.key - b.key)
      .slice(0, count);
    for (const { slot } of chosen) {
      const local = clinicPatients[slot.clinic];
      let patient = -1;
      for (let attempt = 0; attempt < 20 && patient < 0; attempt++) {
        const candidate =
          local.members.length > 0 && random.chance(0.88) ? local.members[local.index.draw(random)] : anyPatient.draw(random);
        if (!taken.has(`${candidate}:${slot.at}`)) patient = candidate;
      }
      if (patient < 0) continue;
      taken.add(`${patient}:${slot.at}`);
      const typeIndex = type.draw(random);
      const clinic = clinics[slot.clinic];
      appointments.push({
        id: random.uuid(),
        patient,
        doctor: doctorIndex,
        clinic: slot.clinic,
        type: typeIndex,
        startsAt: slot.at,
        endsAt: slot.at + APPOINTMENT_TYPES[typeIndex][2] * MINUTE,
        status: statusOf(random, slot.at, now),
        bookedBy: random.chance(0.6) ? patients[patient].id : random.pick(clinic.receptionistIds),
      });
    }
  }
  return appointments;
}

export function buildWorld(seed: number, volumes: Volumes, now = Date.now()): World {
  const random = new Random(seed);
  const clinics = makeClinics(random, volumes.clinics);
  const clinicSize = new WeightedIndex(zipfWeights(clinics.length, 0.6, 2));
  const doctors = makeDoctors(random, volumes.doctors, clinics.length, clinicSize);
  const doctorsByClinic = clinics.map((_, c) => doctors.flatMap((doctor, d) => (doctor.clinicIndexes[0] === c ? [d] : [])));
  const { patients, activity } = makePatients(random, volumes.patients, clinicSize, doctorsByClinic, now);
  const base = {
    now,
    clinics,
    doctors,
    patients,
    specialtyIds: SPECIALTIES.map(() => random.uuid()),
    typeIds: APPOINTMENT_TYPES.map(() => random.uuid()),
  };
  const withAppointments = { ...base, appointments: makeAppointments(random, base, volumes.appointments, activity) };
  // From a generator of their own: the rest of the world is what it was before prescriptions.
  const prescriptions = makePrescriptions(
    new Random(seed + 3),
    withAppointments,
    volumes.prescriptions,
    new Prescribing(starterCatalogue()),
  );
  return { ...withAppointments, prescriptions };
}
