// Read-through caching: what comes out of the cache is what went in (Dates included), a batch asks
// the store only for the ids the cache lacks, and a bumped version makes what was loaded before it
// stale, even when it was stored after.
import { describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/platform/cache.js';
import { ReadThrough } from '../../src/platform/cache-aside.js';

interface Row {
  id: string;
  at: Date;
  nested: { when: Date[]; note: string | null; $date?: string };
}
const row = (id: string): Row => ({
  id,
  at: new Date(`2026-0${id}-01T08:30:00.123Z`),
  nested: { when: [new Date(0)], note: null, $date: 'not a date: a sibling key exists' },
});

describe('ReadThrough', () => {
  it('returns a cached value equal to the loaded one, Dates included, and loads once', async () => {
    const cache = new ReadThrough(memoryCache());
    let loads = 0;
    const load = async () => (loads++, [row('1'), row('2')]);
    const first = await cache.one('rows', 60, load);
    const second = await cache.one('rows', 60, load);
    expect(second).toEqual(first);
    expect(second[0].at).toBeInstanceOf(Date);
    expect(second[0].nested.when[0]).toBeInstanceOf(Date);
    expect(loads).toBe(1);
  });

  it('asks the store only for the ids the cache lacks', async () => {
    const cache = new ReadThrough(memoryCache());
    const asked: string[][] = [];
    const load = async (ids: string[]) => (asked.push(ids), ids.filter((id) => id !== '9').map(row));
    await cache.many(
      ['1', '2'],
      (id) => `row:${id}`,
      60,
      (r: Row) => r.id,
      load,
    );
    const rows = await cache.many(
      ['2', '3', '1', '9'],
      (id) => `row:${id}`,
      60,
      (r: Row) => r.id,
      load,
    );
    expect(asked).toEqual([
      ['1', '2'],
      ['3', '9'],
    ]);
    expect(rows.map((r) => r.id).sort()).toEqual(['1', '2', '3']);
    expect(rows.find((r) => r.id === '2')!.at).toEqual(row('2').at);
  });

  it('serves nothing loaded before a bump, even what a slow load stores after it', async () => {
    const cache = new ReadThrough(memoryCache());
    let row = 'before';
    // The write commits and bumps while the first read is still loading what was there before.
    const slowLoad = async () => {
      const seen = row;
      row = 'after';
      await cache.bump(['version:rows']);
      return seen;
    };
    expect(await cache.one('rows', 60, slowLoad, ['version:rows'])).toBe('before');
    expect(await cache.one('rows', 60, async () => row, ['version:rows'])).toBe('after');
    expect(await cache.one('rows', 60, async () => 'not loaded again', ['version:rows'])).toBe('after');
    await cache.bump(['version:rows']);
    const many = (load: (ids: string[]) => Promise<string[]>) =>
      cache.many(
        ['a'],
        (id) => `row:${id}`,
        60,
        (id: string) => id,
        load,
        ['version:rows'],
      );
    expect(await many(async (ids) => ids)).toEqual(['a']);
    await cache.bump(['version:other']);
    expect(await many(async () => ['loaded again'])).toEqual(['a']);
    await cache.bump(['version:rows']);
    expect(await many(async () => ['loaded again'])).toEqual(['loaded again']);
  });
});
