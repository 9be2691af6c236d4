// How accounts behave: session lengths, sign-in throttling, and the frontend the emailed links lead to.
export interface AccountSettings {
  sessionDays: number;
  refreshDays: number;
  /** Unsuccessful sign-ins per account in a window, then RATE_LIMITED until it ends. */
  maxFailuresPerAccount: number;
  /** Unsuccessful sign-ins per client address (IPv6: per /64) in a window; successes do not count. */
  maxFailuresPerIp: number;
  windowSeconds: number;
  /** Base of the links in emails, e.g. https://app.example/. */
  appUrl: string;
}

export const DEFAULT_ACCOUNT_SETTINGS: AccountSettings = {
  sessionDays: 30,
  refreshDays: 30,
  maxFailuresPerAccount: 5,
  maxFailuresPerIp: 50,
  windowSeconds: 15 * 60,
  appUrl: 'http://localhost:3000/',
};
