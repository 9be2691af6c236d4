// The floor of a dispense: the same work in hand-written SQL over `pg`, one transaction of four
// statements between BEGIN and COMMIT: the prescription item locked with what was given of it
// (and its prescription shared), the usable lots locked first expiry first (the module's order),
// then one statement that inserts the dispense, its movements (the ledger's trigger moves the
// balances; the CHECK refuses a negative one) and its charge item, and moves the fulfilment and,
// with its last unit, the prescription on. No GraphQL, no token, no access check, no audit: what
// is left is what the database must do. It knows only what the benchmark sends (one item, no
// refills; the item stocked there): the supply is a first fill or its parts, and no lot left with
// stock is a refusal for want of stock, as the API answers it.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { localDateIn } from '../../src/graphql/scalars.js';
import type { Presented } from './fixtures.js';
import type { Answer, Dispenser } from './pharmacists.js';

const ITEM = `SELECT i.quantity, i.medicine_id, i.medicine_name, p.status::text AS status, p.valid_until, p.clinic_id, p.patient_id,
  (SELECT coalesce(sum(d.quantity), 0)::int FROM dispenses d WHERE d.prescription_item_id = i.id) AS given
FROM prescription_items i JOIN prescriptions p ON p.id = i.prescription_id
WHERE i.id = $1 AND p.id = $2 FOR UPDATE OF i FOR SHARE OF p`;

const LOTS = `SELECT l.id, l.quantity_on_hand, t.selling_price_xaf FROM stock_lots l JOIN inventory_items t ON t.id = l.item_id
WHERE t.pharmacy_id = $1 AND t.medicine_id = $2 AND t.active AND NOT l.on_hold AND l.expires_on >= $3::date AND l.quantity_on_hand > 0
ORDER BY l.expires_on, l.received_on, l.batch_number, l.id FOR UPDATE OF l`;

const WRITE = `WITH d AS (
  INSERT INTO dispenses (id, fulfillment_id, prescription_item_id, pharmacy_id, patient_id, medicine_id, quantity, supply_type, supply_number, unit_price_xaf, dispensed_by)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8::supply_type, 1, $9, $10) RETURNING id),
m AS (
  INSERT INTO stock_movements (id, lot_id, kind, quantity, dispense_id, by_user_id)
  SELECT gen_random_uuid(), t.lot, 'dispense', -t.q, d.id, $10 FROM d, unnest($11::uuid[], $12::int[]) WITH ORDINALITY AS t(lot, q, n) ORDER BY t.n),
c AS (
  INSERT INTO charge_items (id, patient_id, clinic_id, source, dispense_id, description, quantity, unit_price_xaf, total_xaf)
  SELECT gen_random_uuid(), $5, $13, 'dispense', d.id, $14, $7, $9, $7::int * $9::int FROM d),
f AS (
  UPDATE prescription_fulfillments SET status = $15::fulfillment_status, status_changed_at = now(), status_changed_by = $10 WHERE id = $2)
UPDATE prescriptions SET status = 'completed', status_changed_at = now(), status_changed_by = $10, updated_at = now()
WHERE id = $16 AND $17::boolean AND status = 'active'`;

export class SqlFloor {
  /** Dispenses each pharmacist's connection from the pool, as the API's pool does (same size). */
  private readonly pool: pg.Pool;
  statements = 0;

  constructor(url: string, poolSize: number) {
    this.pool = new pg.Pool({ connectionString: url, max: poolSize });
  }

  dispenser(pharmacyId: string, pharmacists: readonly string[]): Dispenser {
    return (pharmacist, prescription, quantity) => this.dispense(pharmacyId, pharmacists[pharmacist], prescription, quantity);
  }

  private async dispense(pharmacyId: string, byUserId: string, rx: Presented, quantity: number): Promise<Answer> {
    const client = await this.pool.connect();
    const query = (name: string | undefined, text: string, values: unknown[] = []) => {
      this.statements++;
      return client.query({ name, text, values });
    };
    const refuse = async (answer: Answer): Promise<Answer> => {
      await query(undefined, 'ROLLBACK');
      return answer;
    };
    try {
      await query(undefined, 'BEGIN');
      const today = localDateIn(new Date());
      const [item] = (await query('dispense-item', ITEM, [rx.itemId, rx.prescriptionId])).rows;
      if (!item || item.status !== 'active' || (item.valid_until as Date).toISOString().slice(0, 10) < today)
        return await refuse({ kind: 'PRESCRIPTION_NOT_DISPENSABLE' });
      if (item.given + quantity > item.quantity) return await refuse({ kind: 'OVER_QUANTITY' });
      const lots = (await query('dispense-lots', LOTS, [pharmacyId, item.medicine_id, today])).rows;
      const available = lots.reduce((sum, lot) => sum + lot.quantity_on_hand, 0);
      if (available < quantity) return await refuse({ kind: 'NOT_ENOUGH_STOCK', available });
      const taken: Array<[string, number]> = [];
      for (let left = quantity, k = 0; left > 0; k++) {
        const take = Math.min(left, lots[k].quantity_on_hand);
        taken.push([lots[k].id, take]);
        left -= take;
      }
      const complete = item.given + quantity === item.quantity;
      await query('dispense-write', WRITE, [
        randomUUID(),
        rx.fulfillmentId,
        rx.itemId,
        pharmacyId,
        item.patient_id,
        item.medicine_id,
        quantity,
        item.given === 0 && complete ? 'first_fill' : 'partial',
        lots[0].selling_price_xaf,
        byUserId,
        taken.map(([lot]) => lot),
        taken.map(([, take]) => take),
        item.clinic_id,
        item.medicine_name,
        complete ? 'dispensed' : 'partially_dispensed',
        rx.prescriptionId,
        complete,
      ]);
      await query(undefined, 'COMMIT');
      return { kind: 'ok' };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      return { kind: `error ${(error as { code?: string }).code ?? (error as Error).message}` };
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
