// The canonical form and the chain walk, without a database: the hash of a fixed entry is pinned
// (changing the canonical form must be a deliberate, versioned act), and the walk's expiry rules
// accept only what retention explains.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { ChainWalk, GENESIS_HASH, canonicalForm, hashEntry, linkEntries } from '../../../src/modules/audit/audit-chain.js';
import { InvalidAuditEvent, prepareEvent } from '../../../src/modules/audit/audit-event.js';
import type { AuditContent, AuditEntry } from '../../../src/modules/audit/audit.types.js';

const PATIENT = '5f0c7a52-3c3e-4b8e-9a55-0d9f2f4c1a10';
const DAY = 24 * 3600_000;

const content = (overrides: Partial<AuditContent> = {}): AuditContent => ({
  id: 'e1',
  at: new Date('2026-01-02T03:04:05.678Z'),
  actor: { userId: 'doc-1', role: 'doctor' },
  onBehalfOf: null,
  patientId: PATIENT,
  resource: 'MedicalHistory',
  fields: ['allergies', 'bloodType'],
  action: 'read',
  purpose: 'normal',
  requestId: 'req-1',
  ip: '10.0.0.1',
  userAgent: 'Mozilla/5.0',
  result: 'success',
  ...overrides,
});

describe('canonical form', () => {
  it('is a fixed-order JSON array with ISO dates, and the hash is its SHA-256', () => {
    const entry = { ...content(), stream: PATIENT, seq: 1, prevHash: GENESIS_HASH, prevAt: null };
    const expected = JSON.stringify([
      'clinic-graph/audit/v1',
      PATIENT,
      1,
      GENESIS_HASH,
      null,
      'e1',
      '2026-01-02T03:04:05.678Z',
      'doc-1',
      'doctor',
      null,
      PATIENT,
      'MedicalHistory',
      ['allergies', 'bloodType'],
      'read',
      'normal',
      'req-1',
      '10.0.0.1',
      'Mozilla/5.0',
      'success',
    ]);
    expect(canonicalForm(entry)).toBe(expected);
    expect(hashEntry(entry)).toBe(createHash('sha256').update(expected).digest('hex'));
    expect(hashEntry(entry)).toBe('6af0098e7fa40f0cadcb3821f7eaee739c9878f32be9971cac2d2cd05e9876f2');
  });

  it('changes with any content field, the seq, the stream or the previous hash', () => {
    const base = { ...content(), stream: PATIENT, seq: 2, prevHash: 'a'.repeat(64), prevAt: new Date(0) };
    const variants = [
      { ...base, fields: ['allergies'] },
      { ...base, actor: { userId: 'doc-2', role: 'doctor' as const } },
      { ...base, purpose: 'emergency' as const },
      { ...base, at: new Date(base.at.getTime() + 1) },
      { ...base, seq: 3 },
      { ...base, stream: 'other' },
      { ...base, prevHash: 'b'.repeat(64) },
      { ...base, prevAt: new Date(1) },
      { ...base, result: 'denied' as const },
      { ...base, userAgent: null },
    ];
    const hashes = new Set([base, ...variants].map(hashEntry));
    expect(hashes.size).toBe(variants.length + 1);
  });
});

describe('linkEntries', () => {
  it('numbers entries from the tail and links each to the one before', () => {
    const [a, b] = linkEntries(PATIENT, null, [content({ id: 'a' }), content({ id: 'b' })]);
    expect(a).toMatchObject({ _id: 'a', seq: 1, prevHash: GENESIS_HASH, prevAt: null, v: 1 });
    expect(b).toMatchObject({ _id: 'b', seq: 2, prevHash: a.hash, prevAt: a.at });
    const [c] = linkEntries(PATIENT, { seq: 2, hash: b.hash, at: b.at }, [content({ id: 'c' })]);
    expect(c).toMatchObject({ seq: 3, prevHash: b.hash });
  });
});

describe('ChainWalk', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const cutoff = new Date(now.getTime() - 30 * DAY); // 30 days of retention
  const chain = (ats: Date[]): AuditEntry[] =>
    linkEntries(
      PATIENT,
      null,
      ats.map((at, i) => content({ id: `e${i + 1}`, at })),
    );
  const walk = (entries: AuditEntry[]) => {
    const w = new ChainWalk(PATIENT, cutoff);
    for (const entry of entries) {
      const problem = w.next(entry);
      if (problem) return { ...problem, checked: w.checked };
    }
    return { ok: true, checked: w.checked, startSeq: w.startSeq };
  };
  const old = (days: number) => new Date(now.getTime() - days * DAY);

  it('accepts a whole chain', () => {
    expect(walk(chain([old(40), old(35), old(3), old(1)]))).toEqual({ ok: true, checked: 4, startSeq: 1 });
  });

  it('accepts a chain whose oldest entries expired, starting from the oldest remaining one', () => {
    expect(walk(chain([old(40), old(35), old(3), old(1)]).slice(2))).toEqual({ ok: true, checked: 2, startSeq: 3 });
  });

  it('refuses a chain whose missing first entries were still within retention', () => {
    expect(walk(chain([old(10), old(5), old(3)]).slice(1))).toMatchObject({
      brokenAt: 1,
      reason: expect.stringMatching(/not due to expire/),
    });
  });

  it('accepts a hole among expired entries (TTL deletes in no particular order) but not next to a recent one', () => {
    const entries = chain([old(50), old(45), old(40), old(2), old(1)]);
    expect(walk([entries[0], entries[2], entries[3], entries[4]])).toMatchObject({ ok: true });
    expect(walk([entries[0], entries[1], entries[2], entries[4]])).toMatchObject({ brokenAt: 4, reason: 'entries are missing' });
  });

  it('refuses an altered entry at its seq, and a re-hashed altered entry at the next seq', () => {
    const entries = chain([old(3), old(2), old(1)]);
    expect(walk([entries[0], { ...entries[1], purpose: 'emergency' }, entries[2]])).toMatchObject({
      brokenAt: 2,
      reason: expect.stringMatching(/hash/),
    });
    const forged = { ...entries[1], fields: ['nothing'] };
    forged.hash = hashEntry({
      ...content({ id: forged._id, at: forged.at, fields: forged.fields }),
      stream: PATIENT,
      seq: 2,
      prevHash: forged.prevHash,
      prevAt: forged.prevAt,
    });
    expect(walk([entries[0], forged, entries[2]])).toMatchObject({ brokenAt: 3, reason: expect.stringMatching(/previous entry hash/) });
  });
});

describe('prepareEvent', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const event = {
    actor: { userId: 'u1', role: 'nurse' as const },
    patientId: PATIENT,
    resource: 'Allergy',
    action: 'read' as const,
    result: 'success' as const,
  };

  it('applies defaults: an id, the time, purpose normal, the patient stream, sorted unique fields', () => {
    const prepared = prepareEvent({ ...event, fields: ['severity', 'substance', 'severity'] }, now);
    expect(prepared).toMatchObject({
      stream: PATIENT,
      at: now,
      purpose: 'normal',
      fields: ['severity', 'substance'],
      onBehalfOf: null,
      ip: null,
    });
    expect(prepared.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(prepareEvent({ ...event, patientId: null, resource: 'Session', action: 'login' }, now).stream).toBe('system');
  });

  it.each([
    [{ fields: ['allergies.substance', 'Penicillin allergy'] }, 'fields'],
    [{ resource: 'medical history' }, 'resource'],
    [{ action: 'peek' }, 'action'],
    [{ actor: { userId: 'u1', role: 'Doctor!' } }, 'actor.role'],
    [{ patientId: 'system' }, 'patientId'],
    [{ stream: 'system:auth' }, 'stream'],
    [{ at: new Date('nope') }, 'at'],
    [{ requestId: 'has spaces' }, 'requestId'],
  ])('refuses %j naming the field %s', (overrides, field) => {
    expect(() => prepareEvent({ ...event, ...overrides } as never, now)).toThrow(InvalidAuditEvent);
    try {
      prepareEvent({ ...event, ...overrides } as never, now);
    } catch (error) {
      expect((error as InvalidAuditEvent).field).toBe(field);
    }
  });

  it('repairs and trims client header values so they hash the same after a BSON round trip', () => {
    const prepared = prepareEvent({ ...event, userAgent: `bad\uD800agent${'x'.repeat(600)}`, ip: '' }, now);
    expect(prepared.userAgent).toBe(`bad\uFFFDagent${'x'.repeat(503)}`);
    expect(Array.from(prepared.userAgent!)).toHaveLength(512);
    expect(prepared.ip).toBeNull();
  });
});
