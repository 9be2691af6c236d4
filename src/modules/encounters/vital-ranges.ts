// Plausible human values of each vital sign, inclusive. The input type refuses anything outside
// them and the MongoDB validator holds stored documents to the same ranges, both from this table.
export const VITAL_RANGES = {
  temperatureC: [30, 45],
  systolicMmHg: [50, 260],
  diastolicMmHg: [30, 160],
  heartRateBpm: [20, 250],
  respiratoryRatePerMin: [4, 60],
  oxygenSaturationPct: [50, 100],
  weightKg: [0.3, 400],
  heightCm: [20, 250],
} as const satisfies Record<string, readonly [number, number]>;

export type VitalSign = keyof typeof VITAL_RANGES;
