// The mobile money simulator misbehaves as the providers' sandboxes and callbacks do: numbers that
// fail, are rejected, time out, stay pending or succeed late; a reference used twice refused;
// callbacks late, twice, or never; a statement for the reconciliation.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ProviderRefused, ProviderTimeout, servedBy } from '../../../src/modules/billing/providers/payment-provider.js';
import { SimulatedMobileMoney } from '../../../src/modules/billing/providers/simulated-provider.js';

const request = (msisdn: string, amountXaf = 15_000) => ({
  referenceId: randomUUID(),
  msisdn,
  amountXaf,
  payerMessage: 'Consultation',
  callbackUrl: 'http://127.0.0.1/callbacks/mtn',
});

describe('the mobile money simulator', () => {
  it('settles by the last digits of the number, as the sandbox does', async () => {
    const mtn = new SimulatedMobileMoney('mtn_momo');
    const ok = request('+237670000012');
    const failed = request('+237670000050');
    const rejected = request('+237670000051');
    const slow = request('+237670000053');
    const pending = request('+237670000054');
    for (const each of [ok, failed, rejected, slow, pending]) await mtn.requestPayment(each);
    expect((await mtn.status(ok.referenceId)).state).toBe('pending');
    await mtn.advance(2_000);
    expect(await mtn.status(ok.referenceId)).toMatchObject({ state: 'successful' });
    expect(await mtn.status(failed.referenceId)).toEqual({ state: 'failed', reason: 'PAYER_NOT_FOUND' });
    expect(await mtn.status(rejected.referenceId)).toEqual({ state: 'failed', reason: 'APPROVAL_REJECTED' });
    expect((await mtn.status(slow.referenceId)).state).toBe('pending');
    await mtn.advance(30_000);
    expect((await mtn.status(slow.referenceId)).state).toBe('successful');
    await mtn.advance(3_600_000);
    expect((await mtn.status(pending.referenceId)).state).toBe('pending');
  });

  it('times out a request that reached it (it settles later), and refuses a reference used twice', async () => {
    const mtn = new SimulatedMobileMoney('mtn_momo');
    const timeout = request('+237670000052');
    await expect(mtn.requestPayment(timeout)).rejects.toBeInstanceOf(ProviderTimeout);
    await expect(mtn.requestPayment(timeout)).rejects.toEqual(new ProviderRefused('DUPLICATE_REFERENCE'));
    await mtn.advance(10_000);
    expect((await mtn.status(timeout.referenceId)).state).toBe('successful');
  });

  it('refuses a number of the other network and an amount that is not whole XAF', async () => {
    const orange = new SimulatedMobileMoney('orange_money');
    await expect(orange.requestPayment(request('+237670000012'))).rejects.toEqual(new ProviderRefused('INVALID_NUMBER'));
    await expect(orange.requestPayment(request('+237690000012', 12.5))).rejects.toEqual(new ProviderRefused('INVALID_AMOUNT'));
    expect([
      servedBy('orange_money', '+237655123456'),
      servedBy('mtn_momo', '+237651123456'),
      servedBy('mtn_momo', '+237690000000'),
    ]).toEqual([true, true, false]);
  });

  it('delivers callbacks twice, late, or never, as configured', async () => {
    const delivered: string[] = [];
    const deliver = async ({ referenceId }: { referenceId: string }) => void delivered.push(referenceId);
    const twice = new SimulatedMobileMoney('mtn_momo', { deliver, callbacks: 'duplicate' });
    const one = request('+237670000012');
    await twice.requestPayment(one);
    await twice.advance(5_000);
    expect(delivered).toEqual([one.referenceId, one.referenceId]);

    delivered.length = 0;
    const late = new SimulatedMobileMoney('mtn_momo', { deliver, callbacks: 'late' });
    const slow = request('+237670000012');
    await late.requestPayment(slow);
    await late.advance(5_000);
    expect(delivered).toEqual([]);
    expect((await late.status(slow.referenceId)).state).toBe('successful'); // the truth comes from asking
    await late.advance(60_000);
    expect(delivered).toEqual([slow.referenceId]);

    delivered.length = 0;
    const never = new SimulatedMobileMoney('mtn_momo', { deliver, callbacks: 'never' });
    await never.requestPayment(request('+237670000012'));
    await never.advance(600_000);
    expect(delivered).toEqual([]);
  });

  it('lists what it recorded in a period, for the reconciliation', async () => {
    const start = new Date('2026-12-02T08:00:00Z');
    const orange = new SimulatedMobileMoney('orange_money', { start });
    const paid = request('+237690000012', 7_500);
    const refused = request('+237690000051', 2_000);
    await orange.requestPayment(paid);
    await orange.requestPayment(refused);
    await orange.advance(5_000);
    const lines = await orange.statement(start, new Date(start.getTime() + 86_400_000));
    expect(lines.map((line) => [line.referenceId, line.amountXaf, line.state])).toEqual([
      [paid.referenceId, 7_500, 'successful'],
      [refused.referenceId, 2_000, 'failed'],
    ]);
  });
});
