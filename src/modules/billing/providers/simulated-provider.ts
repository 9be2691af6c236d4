// A mobile money provider as its sandbox behaves, in process, for tests and development: the last
// digits of the payer's number choose what happens (as MTN MoMo's sandbox numbers do), and callbacks
// arrive late, twice, out of order or never, as integrators report of the real ones. Time is the
// simulator's own clock (advance() moves it), so tests never sleep.
import {
  ProviderRefused,
  ProviderTimeout,
  servedBy,
  type PaymentProvider,
  type PaymentRequest,
  type ProviderName,
  type ProviderStatus,
  type StatementLine,
} from './payment-provider.js';

/** What the payer's number makes happen, by its last two digits. */
export const SIMULATED_OUTCOMES = {
  /** Fails at once: the payer is not found. */
  '50': 'failed',
  /** The payer rejects the request. */
  '51': 'rejected',
  /** The request times out (it did reach the provider: it settles, successfully, later). */
  '52': 'timeout',
  /** Pending for 30 s, then successful. */
  '53': 'slow',
  /** Pending for ever (until expired by us). */
  '54': 'pending',
} as const;

export interface SimulatedCallback {
  referenceId: string;
  /** When the simulator delivers it (its clock). */
  at: number;
}

interface Attempt {
  request: PaymentRequest;
  requestedAt: number;
  outcome: 'success' | 'failed' | 'rejected' | 'timeout' | 'slow' | 'pending';
}

export class SimulatedMobileMoney implements PaymentProvider {
  private readonly attempts = new Map<string, Attempt>();
  private readonly callbacks: SimulatedCallback[] = [];
  private now: number;
  private readonly deliver?: (callback: { referenceId: string; body: string }) => Promise<void>;
  private readonly callbackMode: 'normal' | 'duplicate' | 'late' | 'never';

  constructor(
    readonly name: ProviderName,
    options: {
      /** Delivers a callback (the API's route, in an integration); none: callbacks are only queued. */
      deliver?: (callback: { referenceId: string; body: string }) => Promise<void>;
      /** What becomes of callbacks: 'normal' (one, on settling), 'duplicate' (twice), 'late' (a minute after), 'never'. */
      callbacks?: 'normal' | 'duplicate' | 'late' | 'never';
      start?: Date;
    } = {},
  ) {
    this.deliver = options.deliver;
    this.callbackMode = options.callbacks ?? 'normal';
    this.now = (options.start ?? new Date()).getTime();
  }

  async requestPayment(request: PaymentRequest): Promise<void> {
    if (!servedBy(this.name, request.msisdn)) throw new ProviderRefused('INVALID_NUMBER');
    if (!Number.isSafeInteger(request.amountXaf) || request.amountXaf <= 0) throw new ProviderRefused('INVALID_AMOUNT');
    if (this.attempts.has(request.referenceId)) throw new ProviderRefused('DUPLICATE_REFERENCE');
    const ending = request.msisdn.slice(-2) as keyof typeof SIMULATED_OUTCOMES;
    const outcome = ending in SIMULATED_OUTCOMES ? SIMULATED_OUTCOMES[ending] : 'success';
    this.attempts.set(request.referenceId, { request, requestedAt: this.now, outcome });
    const settlesAt = this.settlesAt(this.attempts.get(request.referenceId)!);
    if (settlesAt !== null && this.callbackMode !== 'never') {
      const delay = this.callbackMode === 'late' ? 60_000 : 0;
      this.callbacks.push({ referenceId: request.referenceId, at: settlesAt + delay });
      if (this.callbackMode === 'duplicate') this.callbacks.push({ referenceId: request.referenceId, at: settlesAt + 1_000 });
    }
    if (outcome === 'timeout') throw new ProviderTimeout('the provider did not answer in time');
  }

  async status(referenceId: string): Promise<ProviderStatus> {
    const attempt = this.attempts.get(referenceId);
    if (!attempt) return { state: 'failed', reason: 'NOT_FOUND' };
    const settlesAt = this.settlesAt(attempt);
    if (settlesAt === null || this.now < settlesAt) return { state: 'pending' };
    if (attempt.outcome === 'failed') return { state: 'failed', reason: 'PAYER_NOT_FOUND' };
    if (attempt.outcome === 'rejected') return { state: 'failed', reason: 'APPROVAL_REJECTED' };
    return { state: 'successful', financialTransactionId: `SIM-${referenceId.slice(0, 8)}` };
  }

  async statement(from: Date, to: Date): Promise<StatementLine[]> {
    const lines: StatementLine[] = [];
    for (const [referenceId, attempt] of this.attempts) {
      const at = new Date(attempt.requestedAt);
      if (at < from || at >= to) continue;
      lines.push({ referenceId, amountXaf: attempt.request.amountXaf, state: (await this.status(referenceId)).state, at });
    }
    return lines;
  }

  /**
   * Moves the simulator's clock and delivers the callbacks now due, in the order they fall due
   * (a late callback after a newer one's: out of order). Returns the callbacks delivered.
   */
  async advance(milliseconds: number): Promise<SimulatedCallback[]> {
    this.now += milliseconds;
    const due = this.callbacks.filter((callback) => callback.at <= this.now).sort((a, b) => a.at - b.at);
    for (const callback of due) this.callbacks.splice(this.callbacks.indexOf(callback), 1);
    for (const callback of due)
      await this.deliver?.({ referenceId: callback.referenceId, body: JSON.stringify({ referenceId: callback.referenceId }) });
    return due;
  }

  /** When the attempt settles (its clock), or null when it never does. */
  private settlesAt(attempt: Attempt): number | null {
    switch (attempt.outcome) {
      case 'pending':
        return null;
      case 'slow':
        return attempt.requestedAt + 30_000;
      case 'timeout':
        return attempt.requestedAt + 10_000;
      default:
        return attempt.requestedAt + 2_000;
    }
  }
}
