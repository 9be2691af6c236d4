// Email and SMS go out through a provider (a third party) behind this interface. The simulator
// keeps what would have been sent, for tests and for development (where it also logs it).
export interface OutgoingMessage {
  channel: 'email' | 'sms';
  to: string;
  template: string;
  /** Template values: links, codes, names. Never clinical content. */
  data: Record<string, string>;
}

export interface Notifier {
  send(message: OutgoingMessage): Promise<void>;
}

/**
 * How the simulator reports a message in the log: channel and template; in development the
 * template values too (their links and codes are redacted by the logger, see log-redaction.ts).
 */
export function logNotifications(
  log: { info(object: object, message: string): void },
  withData: boolean,
): (message: OutgoingMessage) => void {
  return (message) =>
    log.info(
      { channel: message.channel, template: message.template, ...(withData ? { data: message.data } : {}) },
      'notification (simulated provider)',
    );
}

export class SimulatedNotifier implements Notifier {
  readonly sent: OutgoingMessage[] = [];

  constructor(private readonly onSend?: (message: OutgoingMessage) => void) {}

  async send(message: OutgoingMessage): Promise<void> {
    this.sent.push(message);
    this.onSend?.(message);
  }

  /** The last message sent to `to` (optionally of one template). */
  last(to: string, template?: string): OutgoingMessage | undefined {
    return [...this.sent].reverse().find((message) => message.to === to && (!template || message.template === template));
  }
}
