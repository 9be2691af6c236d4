// Mobile money providers behind one interface, shaped after their collection APIs: a payment is
// requested with a reference id of ours (MTN MoMo's X-Reference-Id, Orange Money's order id), then
// its status is asked until it settles. A callback is only a hint to ask again: the status query is
// the truth. Production selects the real adapters; tests and development, the simulator.

export type ProviderName = 'mtn_momo' | 'orange_money';

export interface PaymentRequest {
  /** Ours, a UUID per attempt: asking twice with one is refused by the provider (no double charge). */
  referenceId: string;
  /** The payer's number, E.164 (+237...). */
  msisdn: string;
  /** Whole XAF. */
  amountXaf: number;
  /** Shown to the payer on their phone (short, no health data). */
  payerMessage: string;
  /** Where the provider posts its callback. */
  callbackUrl: string;
}

export type ProviderState = 'pending' | 'successful' | 'failed';

export interface ProviderStatus {
  state: ProviderState;
  /** Why it failed, in the provider's words (PAYER_NOT_FOUND, APPROVAL_REJECTED, EXPIRED...). */
  reason?: string;
  /** The provider's own transaction id once successful. */
  financialTransactionId?: string;
}

/** A line of the provider's statement, for the daily reconciliation. */
export interface StatementLine {
  referenceId: string;
  amountXaf: number;
  state: ProviderState;
  at: Date;
}

/** The provider refused the request itself (a duplicate reference, a number it does not serve). */
export class ProviderRefused extends Error {
  constructor(readonly reason: 'DUPLICATE_REFERENCE' | 'INVALID_NUMBER' | 'INVALID_AMOUNT') {
    super(reason);
  }
}

/** The provider did not answer in time: the request may or may not have reached it (ask its status). */
export class ProviderTimeout extends Error {}

export interface PaymentProvider {
  readonly name: ProviderName;
  /** Asks the payer to approve the payment (a push to their phone); resolves once the provider accepted the request. */
  requestPayment(request: PaymentRequest): Promise<void>;
  /** The payment's state as the provider knows it now. */
  status(referenceId: string): Promise<ProviderStatus>;
  /** What the provider recorded between two instants. */
  statement(from: Date, to: Date): Promise<StatementLine[]>;
}

/** Whether a Cameroonian number (E.164) belongs to the provider's network (MTN: 67x, 68x, 650–654; Orange: 69x, 655–659). */
export function servedBy(provider: ProviderName, msisdn: string): boolean {
  const local = /^\+237(6\d{8})$/.exec(msisdn)?.[1];
  if (!local) return false;
  return provider === 'mtn_momo' ? /^(67\d|68\d|65[0-4])/.test(local) : /^(69\d|65[5-9])/.test(local);
}
