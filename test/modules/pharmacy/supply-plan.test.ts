// Which supply a dispense is, and when it is refused: first fills, partial fills, refills counted
// against the number allowed and held back until the previous supply would run out, emergencies.
import { describe, expect, it } from 'vitest';
import { daysOfSupply, planSupply, type PrescribedItem } from '../../../src/modules/pharmacy/supply-plan.js';

const DAY = 86_400_000;
const NOW = new Date('2026-12-02T10:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
/** 60 tablets, 1 twice a day: a 30-day supply; one refill. */
const METFORMIN: PrescribedItem = { quantity: 60, refillsAllowed: 1, durationDays: 30, doseAmount: 1, frequency: 'BID' };

describe('planSupply', () => {
  it('calls a whole first supply a first fill, and a smaller one partial', () => {
    expect(planSupply(METFORMIN, [], 60, NOW)).toEqual({ ok: true, supplyNumber: 1, supplyType: 'first_fill' });
    expect(planSupply(METFORMIN, [], 20, NOW)).toEqual({ ok: true, supplyNumber: 1, supplyType: 'partial' });
    expect(planSupply(METFORMIN, [], 61, NOW)).toEqual({ ok: false, reason: 'OVER_QUANTITY', remaining: 60 });
  });

  it('completes a partial supply, never beyond what is left of it', () => {
    const earlier = [{ supplyNumber: 1, quantity: 20, dispensedAt: ago(1) }];
    expect(planSupply(METFORMIN, earlier, 40, NOW)).toEqual({ ok: true, supplyNumber: 1, supplyType: 'partial' });
    expect(planSupply(METFORMIN, earlier, 41, NOW)).toEqual({ ok: false, reason: 'OVER_QUANTITY', remaining: 40 });
  });

  it('holds a refill back until the previous supply would run out (less two days), counting from its first dispense', () => {
    const earlier = [{ supplyNumber: 1, quantity: 60, dispensedAt: ago(20) }];
    const early = planSupply(METFORMIN, earlier, 60, NOW);
    expect(early).toMatchObject({ ok: false, reason: 'TOO_EARLY' });
    expect((early as { notBefore: Date }).notBefore).toEqual(new Date(ago(20).getTime() + 28 * DAY));
    expect(planSupply(METFORMIN, [{ ...earlier[0], dispensedAt: ago(28) }], 60, NOW)).toEqual({
      ok: true,
      supplyNumber: 2,
      supplyType: 'refill',
    });
  });

  it('refuses a refill beyond the number allowed', () => {
    const earlier = [
      { supplyNumber: 1, quantity: 60, dispensedAt: ago(70) },
      { supplyNumber: 2, quantity: 60, dispensedAt: ago(35) },
    ];
    expect(planSupply(METFORMIN, earlier, 60, NOW)).toEqual({ ok: false, reason: 'NO_REFILLS_LEFT', refillsAllowed: 1 });
  });

  it('gives an emergency supply early, three days of it at most', () => {
    const earlier = [{ supplyNumber: 1, quantity: 60, dispensedAt: ago(5) }];
    expect(planSupply(METFORMIN, earlier, 6, NOW, { emergency: true })).toEqual({ ok: true, supplyNumber: 2, supplyType: 'emergency' });
    expect(planSupply(METFORMIN, earlier, 7, NOW, { emergency: true })).toEqual({ ok: false, reason: 'EMERGENCY_TOO_LARGE', maximum: 6 });
  });

  it('counts days of supply from the dose and frequency, else the prescribed duration', () => {
    expect(daysOfSupply(METFORMIN)).toBe(30);
    expect(daysOfSupply({ ...METFORMIN, frequency: 'TID', quantity: 21 })).toBe(7);
    expect(daysOfSupply({ ...METFORMIN, frequency: 'PRN', durationDays: 10 })).toBe(10);
  });
});
