// Appointment reminders, 24 hours and 2 hours before: scheduled when an appointment is booked,
// moved when it is rescheduled, cancelled with it (all from outbox events, idempotently: a
// reminder's id is its appointment and kind), and sent when due through the notification provider
// in the language and by the channel the patient prefers at that moment.
import type { Collection, Db } from 'mongodb';
import type { Notifier } from '../../platform/notifier.js';
import { onTopic, type TopicHandler } from '../../platform/outbox-topics.js';
import { NOTIFICATIONS } from './notifications.collections.js';
import { appointmentBooked, appointmentCancelled, appointmentRescheduled, type AppointmentEventPayload } from './notifications.topics.js';

interface Reminder {
  _id: string;
  appointmentId: string;
  patientId: string;
  kind: 'reminder_24h' | 'reminder_2h';
  channel: 'sms' | 'email';
  language: 'en' | 'fr';
  scheduledFor: Date;
  status: 'scheduled' | 'sending' | 'sent' | 'cancelled' | 'failed';
  sentAt: Date | null;
  expireAt: Date;
}

const BEFORE = { reminder_24h: 24 * 3_600_000, reminder_2h: 2 * 3_600_000 } as const;
const KEEP_AFTER_DUE = 30 * 24 * 3_600_000;

/** Where and how to reach a patient when a reminder goes out (looked up then, not stored). */
export type ContactLookup = (patientId: string) => Promise<{ phone: string | null; email: string; language: 'en' | 'fr'; reminderChannel: 'sms' | 'email' | null } | null>;

/** The chosen channel when it can be used, else SMS when there is a phone, else email. */
export function reminderChannelOf(contact: { phone: string | null; reminderChannel: 'sms' | 'email' | null }): 'sms' | 'email' {
  return contact.reminderChannel === 'email' || !contact.phone ? 'email' : 'sms';
}

export class Reminders {
  private readonly reminders: Collection<Reminder>;

  constructor(db: Db) {
    this.reminders = db.collection<Reminder>(NOTIFICATIONS);
  }

  private async schedule(payload: AppointmentEventPayload): Promise<void> {
    const startsAt = Date.parse(payload.startsAt);
    for (const kind of Object.keys(BEFORE) as Array<keyof typeof BEFORE>) {
      const scheduledFor = new Date(startsAt - BEFORE[kind]);
      await this.reminders.updateOne(
        { _id: `${payload.appointmentId}:${kind}` },
        {
          $set: { scheduledFor, status: scheduledFor.getTime() > Date.now() ? 'scheduled' : 'cancelled', expireAt: new Date(scheduledFor.getTime() + KEEP_AFTER_DUE) },
          $setOnInsert: { appointmentId: payload.appointmentId, patientId: payload.patientId, kind, channel: payload.channel ?? 'sms', language: payload.language ?? 'fr', sentAt: null },
        },
        { upsert: true },
      );
    }
  }

  /** The outbox handlers of the appointment events. */
  handlers(): TopicHandler[] {
    return [
      onTopic(appointmentBooked, (payload) => this.schedule(payload)),
      onTopic(appointmentRescheduled, (payload) => this.schedule(payload)),
      onTopic(appointmentCancelled, async (payload) => {
        await this.reminders.updateMany({ appointmentId: payload.appointmentId, status: 'scheduled' }, { $set: { status: 'cancelled' } });
      }),
    ];
  }

  /** Sends every reminder due by `now`, each claimed first so that two senders never send one twice. */
  async sendDue(notifier: Notifier, contactOf: ContactLookup, now = new Date()): Promise<number> {
    let sent = 0;
    for (;;) {
      const claimed = await this.reminders.findOneAndUpdate({ status: 'scheduled', scheduledFor: { $lte: now } }, { $set: { status: 'sending' } }, { sort: { scheduledFor: 1 }, returnDocument: 'after' });
      if (!claimed) return sent;
      const contact = await contactOf(claimed.patientId);
      if (!contact) {
        await this.reminders.updateOne({ _id: claimed._id }, { $set: { status: 'failed' } });
        continue;
      }
      const channel = reminderChannelOf(contact);
      const to = channel === 'sms' ? contact.phone! : contact.email;
      try {
        await notifier.send({ channel, to, template: `appointment_${claimed.kind}_${contact.language}`, data: { appointment: claimed.appointmentId } });
        await this.reminders.updateOne({ _id: claimed._id }, { $set: { status: 'sent', sentAt: new Date(), channel, language: contact.language } });
        sent += 1;
      } catch {
        await this.reminders.updateOne({ _id: claimed._id }, { $set: { status: 'failed' } });
      }
    }
  }
}
