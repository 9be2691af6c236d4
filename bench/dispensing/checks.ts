// What must hold after a side's run, read back from PostgreSQL: no lot below zero; each lot's
// balance the sum of its movements; the expired lot as it was received (its receipt its only
// movement); every dispense movement first expiry first out (replayed in ledger order: no usable
// lot earlier in the module's order held stock when a later one was taken from); the units the
// dispenses record equal to those the pharmacists were told were given and to what left the lots;
// and, when the stock ran out, nothing usable left.
import type pg from 'pg';
import type { Dispensary, Side } from './fixtures.js';
import type { Outcome } from './pharmacists.js';

interface Lot {
  id: string;
  batch_number: string;
  expires_on: string;
  received_on: string;
  on_hold: boolean;
  quantity_on_hand: number;
}

/** Prints what holds for one side; true when something does not. */
export async function checkSide(
  client: pg.ClientBase,
  dispensary: Dispensary,
  side: Side,
  outcome: Outcome,
  label: string,
): Promise<boolean> {
  const lots = (
    await client.query<Lot>(
      `SELECT id, batch_number, expires_on::text, received_on::text, on_hold, quantity_on_hand FROM stock_lots WHERE item_id = $1
       ORDER BY expires_on, received_on, batch_number, id`,
      [side.itemId],
    )
  ).rows;
  const movements = (
    await client.query<{ lot_id: string; kind: string; quantity: number }>(
      `SELECT lot_id, kind::text, quantity FROM stock_movements WHERE lot_id = ANY($1::uuid[]) ORDER BY seq`,
      [lots.map((lot) => lot.id)],
    )
  ).rows;
  const [{ units, dispenses }] = (
    await client.query<{ units: number; dispenses: number }>(
      `SELECT coalesce(sum(quantity), 0)::int AS units, count(*)::int AS dispenses FROM dispenses WHERE pharmacy_id = $1 AND medicine_id = $2`,
      [dispensary.id, side.medicine.id],
    )
  ).rows;

  const expired = side.lots.find((lot) => lot.expired)!;
  const usable = lots.filter((lot) => lot.id !== expired.id);
  const ledger = new Map<string, number>();
  const replay = new Map<string, number>();
  let fefoBreaches = 0;
  let checked = 0;
  for (const movement of movements) {
    ledger.set(movement.lot_id, (ledger.get(movement.lot_id) ?? 0) + movement.quantity);
    if (movement.kind === 'dispense') {
      checked++;
      const at = usable.findIndex((lot) => lot.id === movement.lot_id);
      if (at < 0 || usable.slice(0, at).some((earlier) => !earlier.on_hold && (replay.get(earlier.id) ?? 0) > 0)) fefoBreaches++;
    }
    replay.set(movement.lot_id, (replay.get(movement.lot_id) ?? 0) + movement.quantity);
  }
  const negative = lots.filter((lot) => lot.quantity_on_hand < 0).length;
  const drifting = lots.filter((lot) => lot.quantity_on_hand !== (ledger.get(lot.id) ?? 0)).length;
  const expiredNow = lots.find((lot) => lot.id === expired.id)!;
  const expiredMoves = movements.filter((movement) => movement.lot_id === expired.id);
  const untouched = expiredNow.quantity_on_hand === expired.received && expiredMoves.length === 1 && expiredMoves[0].kind === 'receipt';
  const left = usable.reduce((sum, lot) => sum + lot.quantity_on_hand, 0);
  const unitsAgree = units === outcome.unitsGiven && units === side.usableUnits - left;

  const problems = [
    negative > 0 && `${negative} lots below zero`,
    drifting > 0 && `${drifting} lots drift from their ledger`,
    !untouched && 'the expired lot was touched',
    fefoBreaches > 0 && `${fefoBreaches} movements not first expiry first out`,
    !unitsAgree && `units disagree (dispenses ${units}, told ${outcome.unitsGiven}, left the lots ${side.usableUnits - left})`,
    outcome.stockOut && left > 0 && `stock said out with ${left} usable units left`,
  ].filter((problem): problem is string => typeof problem === 'string');
  console.log(
    `${label}: ${side.medicine.code}, lots ${lots.map((lot) => `${lot.batch_number} (${lot.expires_on}) ${lot.quantity_on_hand}`).join(', ')}; ` +
      `${dispenses} dispenses, ${units} units = ${side.usableUnits} received usable - ${left} left; none below zero: ${negative === 0}; ` +
      `each lot = its ledger: ${drifting === 0}; expired lot untouched (${expiredNow.quantity_on_hand} of ${expired.received}, receipt only): ${untouched}; ` +
      `FEFO in all ${checked} dispense movements: ${fefoBreaches === 0}${outcome.stockOut ? `; stock out, ${left} usable left` : ''}` +
      (problems.length > 0 ? `\n  FAILED: ${problems.join('; ')}` : ''),
  );
  return problems.length > 0;
}
