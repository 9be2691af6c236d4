// What the prescribing checks are told of pregnancy and breastfeeding, from a record alone: a
// status recorded long enough ago that it cannot still hold is "not known", never a stale yes.
import { describe, expect, it } from 'vitest';
import { reproductiveStatusOn, type PatientRecord } from '../../../src/modules/records/index.js';

const ON = new Date('2026-06-15T10:30:00Z');
const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
const by = { recordedBy: 'a-clinician', recordedAt: day('2026-01-01') };

function record(fields: Pick<PatientRecord, 'pregnancy' | 'lactation'>): PatientRecord {
  return { _id: 'patient', createdAt: day('2026-01-01'), updatedAt: day('2026-01-01'), version: 1, ...fields };
}
const pregnancy = (status: 'pregnant' | 'not_pregnant' | 'unknown', since: string | null, expectedDelivery: string | null = null) =>
  record({
    pregnancy: { status, since: since ? day(since) : null, expectedDelivery: expectedDelivery ? day(expectedDelivery) : null, ...by },
  });
const lactation = (status: 'breastfeeding' | 'not_breastfeeding' | 'unknown', since: string | null) =>
  record({ lactation: { status, since: since ? day(since) : null, ...by } });

describe('reproductiveStatusOn', () => {
  it('knows nothing without a record, or without an entry', () => {
    expect(reproductiveStatusOn(null, ON)).toEqual({ pregnant: null, breastfeeding: null });
    expect(reproductiveStatusOn(record({}), ON)).toEqual({ pregnant: null, breastfeeding: null });
    expect(reproductiveStatusOn(record({ pregnancy: null, lactation: null }), ON)).toEqual({ pregnant: null, breastfeeding: null });
  });

  it.each([
    ['unknown', pregnancy('unknown', null), null],
    ['not pregnant', pregnancy('not_pregnant', '2026-01-10'), false],
    ['pregnant, no dates, recorded 24 weeks ago', pregnancy('pregnant', null), true],
    [
      'pregnant, no dates, recorded 45 weeks ago (stale)',
      record({
        pregnancy: { status: 'pregnant', since: null, expectedDelivery: null, recordedBy: 'a-clinician', recordedAt: day('2025-08-01') },
      }),
      null,
    ],
    ['pregnant since 12 weeks', pregnancy('pregnant', '2026-03-23'), true],
    ['pregnant since exactly 44 weeks', pregnancy('pregnant', '2025-08-11'), true],
    ['pregnant since 44 weeks and a day (stale)', pregnancy('pregnant', '2025-08-10'), null],
    ['pregnant, delivery expected later', pregnancy('pregnant', '2026-03-23', '2026-12-28'), true],
    ['pregnant, delivery expected exactly 6 weeks ago', pregnancy('pregnant', null, '2026-05-04'), true],
    ['pregnant, delivery expected 6 weeks and a day ago (stale)', pregnancy('pregnant', null, '2026-05-03'), null],
    // The expected delivery decides when there is one, however long ago the pregnancy began.
    ['pregnant since 45 weeks, delivery expected 5 weeks ago', pregnancy('pregnant', '2025-08-01', '2026-05-11'), true],
  ])('pregnant: %s', (_case, stored, pregnant) => {
    expect(reproductiveStatusOn(stored, ON).pregnant).toBe(pregnant);
  });

  it.each([
    ['unknown', lactation('unknown', null), null],
    ['not breastfeeding', lactation('not_breastfeeding', '2024-01-01'), false],
    ['not breastfeeding for years', lactation('not_breastfeeding', '2010-01-01'), false],
    ['breastfeeding, no date', lactation('breastfeeding', null), true],
    ['breastfeeding since 6 months', lactation('breastfeeding', '2025-12-15'), true],
    ['breastfeeding since exactly 3 years', lactation('breastfeeding', '2023-06-15'), true],
    ['breastfeeding since 3 years and a day (stale)', lactation('breastfeeding', '2023-06-14'), null],
  ])('breastfeeding: %s', (_case, stored, breastfeeding) => {
    expect(reproductiveStatusOn(stored, ON).breastfeeding).toBe(breastfeeding);
  });

  it('answers each question from its own entry', () => {
    const both = record({
      pregnancy: { status: 'not_pregnant', since: day('2025-12-01'), expectedDelivery: null, ...by },
      lactation: { status: 'breastfeeding', since: day('2025-12-01'), ...by },
    });
    expect(reproductiveStatusOn(both, ON)).toEqual({ pregnant: false, breastfeeding: true });
  });

  it('reads only the current status, not the ones it replaced', () => {
    const stored = record({
      pregnancy: {
        status: 'not_pregnant',
        since: day('2026-05-01'),
        expectedDelivery: null,
        ...by,
        history: [{ status: 'pregnant', since: day('2025-08-01'), expectedDelivery: day('2026-05-08'), ...by }],
      },
    });
    expect(reproductiveStatusOn(stored, ON).pregnant).toBe(false);
  });

  it('counts whole calendar days, whatever the time of day of `on`', () => {
    const stale = pregnancy('pregnant', null, '2026-05-03');
    expect(reproductiveStatusOn(stale, new Date('2026-06-14T23:59:59Z')).pregnant).toBe(true);
    expect(reproductiveStatusOn(stale, new Date('2026-06-15T00:00:00Z')).pregnant).toBeNull();
  });
});
