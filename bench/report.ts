// The benchmark's table: ours next to the floor, their ratios, round trips and CPU per request.
import type { RoundTrips, Timing } from './measure.js';
import { median } from './measure.js';

export interface Row {
  mode: string;
  title: string;
  ours: Timing;
  floor?: Timing;
  trips?: { ours: RoundTrips; floor?: RoundTrips };
  answers: string;
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '-');
const whole = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '-');
const ratio = (a: number, b?: number) => (b && Number.isFinite(a) ? (a / b).toFixed(2) : '-');
const span = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[0] === sorted[sorted.length - 1] ? `${sorted[0]}` : `${median(values)} (${sorted[0]}-${sorted[sorted.length - 1]})`;
};
const trips = (r: RoundTrips | undefined, kind: 'sql' | 'mongo') => (r ? span(r[kind]) : '-');

const COLUMNS: Array<[string, number, (row: Row) => string]> = [
  ['operation', 38, (r) => r.title],
  ['peak/s ours', 11, (r) => whole(r.ours.peakRps)],
  ['floor', 7, (r) => (r.floor ? whole(r.floor.peakRps) : '-')],
  ['x', 5, (r) => ratio(r.ours.peakRps, r.floor?.peakRps)],
  ['p50 ours', 9, (r) => ms(r.ours.p50)],
  ['floor', 6, (r) => (r.floor ? ms(r.floor.p50) : '-')],
  ['Δp50', 6, (r) => (r.floor ? ms(r.ours.p50 - r.floor.p50) : '-')],
  ['p95', 6, (r) => ms(r.ours.p95)],
  ['p99', 6, (r) => ms(r.ours.p99)],
  ['p99/p50', 8, (r) => ratio(r.ours.p99, r.ours.p50)],
  ['floor p95/p99', 13, (r) => (r.floor ? `${ms(r.floor.p95)}/${ms(r.floor.p99)}` : '-')],
  ['SQL ours/floor', 16, (r) => `${trips(r.trips?.ours, 'sql')}/${trips(r.trips?.floor, 'sql')}`],
  ['Mongo ours/floor', 18, (r) => `${trips(r.trips?.ours, 'mongo')}/${trips(r.trips?.floor, 'mongo')}`],
  ['CPU µs/req ours/floor', 21, (r) => `${whole(r.ours.cpuMicros)}/${r.floor ? whole(r.floor.cpuMicros) : '-'}`],
  ['Mongo CPU', 10, (r) => `${r.ours.mongoCpuMicros?.toFixed(0) ?? '-'}/${r.floor?.mongoCpuMicros?.toFixed(0) ?? '-'}`],
  ['answers', 8, (r) => r.answers],
];

export function printTable(rows: Row[]): void {
  for (const mode of [...new Set(rows.map((row) => row.mode))]) {
    console.log(`\n${mode}: latency in ms at half of each server's own peak (open loop); round trips per request (median, range)`);
    console.log(COLUMNS.map(([name, width]) => name.padEnd(width)).join(' '));
    for (const row of rows.filter((r) => r.mode === mode)) console.log(COLUMNS.map(([, width, cell]) => cell(row).padEnd(width)).join(' '));
  }
}

export function printOutcomes(rows: Row[]): void {
  console.log('\nanswers by kind (peak and half-peak phases together):');
  for (const row of rows) {
    const kinds = (timing?: Timing) =>
      timing
        ? Object.entries(timing.kinds)
            .map(([kind, count]) => `${kind} ${count}`)
            .join(', ')
        : '-';
    console.log(`  ${row.mode} | ${row.title}: ours ${kinds(row.ours)}; floor ${kinds(row.floor)}`);
  }
}
