// Appointment reminders, 24 hours and 2 hours before: scheduled when an appointment is booked,
// moved when it is rescheduled, cancelled with it (all from outbox events, applied in order per
// appointment), and sent when due by a sweep that runs every minute as a job (once across all
// processes) through the notification provider, in the language and by the channel the patient
// prefers at that moment.
import type { JobDefinition } from '../../platform/jobs.js';
import type { Notifier } from '../../platform/notifier.js';
import { onTopic, type TopicHandler } from '../../platform/outbox-topics.js';
import { appointmentBooked, appointmentCancelled, appointmentRescheduled, type AppointmentEventPayload } from './notifications.topics.js';
import type { RemindersRepository, ReminderKind } from './reminders.repository.js';

const BEFORE: Readonly<Record<ReminderKind, number>> = { reminder_24h: 24 * 3_600_000, reminder_2h: 2 * 3_600_000 };

/**
 * A reminder claimed this long ago and still not sent was left by a sender that died: it is sent
 * again (the provider may then have it twice; a patient had better have a reminder twice than never).
 */
const CLAIM_LEASE_MS = 10 * 60_000;

/** The queue of the sweep. */
export const REMINDERS_SWEEP = 'reminders.sweep';

/** Where and how to reach a patient when a reminder goes out (looked up then, not stored). */
export type ContactLookup = (
  patientId: string,
) => Promise<{ phone: string | null; email: string; language: 'en' | 'fr'; reminderChannel: 'sms' | 'email' | null } | null>;

/** The chosen channel when it can be used, else SMS when there is a phone, else email. */
export function reminderChannelOf(contact: { phone: string | null; reminderChannel: 'sms' | 'email' | null }): 'sms' | 'email' {
  return contact.reminderChannel === 'email' || !contact.phone ? 'email' : 'sms';
}

export class RemindersService {
  constructor(
    private readonly repository: RemindersRepository,
    private readonly notifier: Notifier,
    private readonly contactOf: ContactLookup,
  ) {}

  private async schedule(payload: AppointmentEventPayload): Promise<void> {
    const startsAt = Date.parse(payload.startsAt);
    const now = new Date();
    for (const kind of Object.keys(BEFORE) as ReminderKind[]) {
      await this.repository.put(
        {
          appointmentId: payload.appointmentId,
          patientId: payload.patientId,
          kind,
          scheduledFor: new Date(startsAt - BEFORE[kind]),
          channel: payload.channel ?? 'sms',
          language: payload.language ?? 'fr',
        },
        now,
      );
    }
  }

  /**
   * The outbox handlers of the appointment events. Ordered per appointment: a cancellation applied
   * before its booking would leave the booking's reminders scheduled.
   */
  handlers(): TopicHandler[] {
    return [
      onTopic(appointmentBooked, (payload) => this.schedule(payload)),
      onTopic(appointmentRescheduled, (payload) => this.schedule(payload)),
      onTopic(appointmentCancelled, (payload) => this.repository.cancelScheduled(payload.appointmentId)),
    ];
  }

  /** The sweep: every minute, once across all processes; `now` may be given (tests). */
  sweepJob(): JobDefinition<{ now?: string } | null> {
    return {
      name: REMINDERS_SWEEP,
      // One sweep at a time; a failed sweep is retried, then dead-lettered.
      queue: { policy: 'singleton', retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 300 },
      schedule: '* * * * *',
      pollingIntervalSeconds: 5,
      // A scheduled job has no data.
      run: async (data) => ({ sent: await this.sendDue(data?.now ? new Date(data.now) : new Date()) }),
    };
  }

  /** Sends every reminder due by `now`, each claimed first so that two senders never send one twice. */
  async sendDue(now = new Date()): Promise<number> {
    let sent = 0;
    for (;;) {
      const claimed = await this.repository.claimDue(now, new Date(Date.now() - CLAIM_LEASE_MS));
      if (!claimed) return sent;
      const contact = await this.contactOf(claimed.patientId);
      if (!contact) {
        await this.repository.markFailed(claimed._id);
        continue;
      }
      const channel = reminderChannelOf(contact);
      const to = channel === 'sms' ? contact.phone! : contact.email;
      try {
        await this.notifier.send({
          channel,
          to,
          template: `appointment_${claimed.kind}_${contact.language}`,
          data: { appointment: claimed.appointmentId },
        });
      } catch {
        await this.repository.markFailed(claimed._id);
        continue;
      }
      await this.repository.markSent(claimed._id, { channel, language: contact.language, at: new Date() });
      sent += 1;
    }
  }
}
