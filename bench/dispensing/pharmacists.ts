// The pharmacists at the counter, the same for the API and the floor: each works through their own
// queue of presented prescriptions, giving 1 to 3 units a request (never more than the item has left,
// nor more than the last refusal said was available) until the item is given, then takes the next.
// A pharmacist stops when told that nothing is left, when their queue is done, or when the run's
// bounds are reached (requests sent, seconds). Latencies count from each request's start; the first
// requests sent are a warm-up, left out of the figures (their stock is not).
import { percentile } from '../lib/load.js';
import { Random } from '../lib/random.js';
import type { Presented } from './fixtures.js';

export type Answer = { kind: 'ok' } | { kind: 'NOT_ENOUGH_STOCK'; available: number } | { kind: string };

/** Gives `quantity` of the prescription's item as pharmacist number `pharmacist`. */
export type Dispenser = (pharmacist: number, prescription: Presented, quantity: number) => Promise<Answer>;

export interface Bounds {
  maxRequests: number;
  seconds: number;
  /** Requests sent first and left out of the figures (their stock is not). */
  warmupRequests: number;
}

export interface Outcome {
  requests: number;
  /** Answers by kind over the whole run: ok, NOT_ENOUGH_STOCK, or an error code. */
  kinds: Record<string, number>;
  unitsGiven: number;
  /** Refusals for want of stock that said some was left (less than asked). */
  refusedWithSomeLeft: number;
  /** After the warm-up: requests answered, over how long, and their latencies. */
  measured: number;
  measuredSeconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Some pharmacist was told that nothing was left. */
  stockOut: boolean;
  wallSeconds: number;
}

const now = () => performance.now();

export async function atTheCounter(queues: Presented[][], dispense: Dispenser, bounds: Bounds): Promise<Outcome> {
  const started = now();
  let warmedUp = Infinity;
  const ends = started + bounds.seconds * 1000;
  const kinds: Record<string, number> = {};
  const latencies: number[] = [];
  let requests = 0;
  let unitsGiven = 0;
  let refusedWithSomeLeft = 0;
  let stockOut = false;
  let lastAnswer = started;
  await Promise.all(
    queues.map(async (queue, pharmacist) => {
      const random = new Random(pharmacist + 1);
      let available = Infinity;
      for (const prescription of queue) {
        let left = prescription.quantity;
        while (left > 0) {
          if (stockOut || requests >= bounds.maxRequests || now() >= ends) return;
          const counted = requests++ >= bounds.warmupRequests;
          const quantity = Math.min(random.int(1, 3), left, available);
          const sent = now();
          if (counted) warmedUp = Math.min(warmedUp, sent);
          const answer = await dispense(pharmacist, prescription, quantity);
          lastAnswer = now();
          if (counted) latencies.push(lastAnswer - sent);
          kinds[answer.kind] = (kinds[answer.kind] ?? 0) + 1;
          if (answer.kind === 'ok') {
            left -= quantity;
            unitsGiven += quantity;
          } else if ('available' in answer) {
            available = answer.available;
            if (available === 0) stockOut = true;
            else refusedWithSomeLeft++;
          } else break; // anything else: this prescription is set aside (counted by kind)
        }
      }
    }),
  );
  const sorted = latencies.sort((a, b) => a - b);
  const measuredSeconds = Number.isFinite(warmedUp) ? Math.max(0, (lastAnswer - warmedUp) / 1000) : 0;
  return {
    requests,
    kinds,
    unitsGiven,
    refusedWithSomeLeft,
    measured: sorted.length,
    measuredSeconds,
    rps: measuredSeconds > 0 ? sorted.length / measuredSeconds : NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    stockOut,
    wallSeconds: (lastAnswer - started) / 1000,
  };
}
