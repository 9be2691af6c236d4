// A partner integration, as a request presenting its API key is known to the API.
export interface Partner {
  keyId: string;
  name: string;
  /** The one clinic whose data the key may reach. */
  clinicId: string;
  /** Highest cost of one operation run with this key (instead of the caller's role budget). */
  costBudget: number;
}
