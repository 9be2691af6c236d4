// MongoDB `notifications`: appointment reminders. The only code that reads or writes them. A
// reminder's id is its appointment and kind, so writing one twice leaves one.
import type { Collection, Db } from 'mongodb';
import { NOTIFICATIONS } from './notifications.collections.js';

export type ReminderKind = 'reminder_24h' | 'reminder_2h';
export type ReminderChannel = 'sms' | 'email';
export type ReminderLanguage = 'en' | 'fr';

export interface Reminder {
  _id: string;
  appointmentId: string;
  patientId: string;
  kind: ReminderKind;
  channel: ReminderChannel;
  language: ReminderLanguage;
  scheduledFor: Date;
  status: 'scheduled' | 'sending' | 'sent' | 'cancelled' | 'failed';
  /** When a sender took it (status `sending`). */
  claimedAt?: Date | null;
  sentAt: Date | null;
  expireAt: Date;
}

/** How long a reminder stays after it was due (then MongoDB's TTL index removes it). */
const KEEP_AFTER_DUE_MS = 30 * 24 * 3_600_000;

export class RemindersRepository {
  private readonly reminders: Collection<Reminder>;

  constructor(db: Db) {
    this.reminders = db.collection<Reminder>(NOTIFICATIONS);
  }

  /**
   * Sets an appointment's reminder of one kind to `scheduledFor` (created, or moved and due again),
   * or cancelled when that time has passed. Channel and language are the defaults written at
   * booking; the sender uses the patient's preferences of the moment.
   */
  async put(
    reminder: {
      appointmentId: string;
      patientId: string;
      kind: ReminderKind;
      scheduledFor: Date;
      channel: ReminderChannel;
      language: ReminderLanguage;
    },
    now: Date,
  ): Promise<void> {
    const { appointmentId, patientId, kind, scheduledFor, channel, language } = reminder;
    await this.reminders.updateOne(
      { _id: `${appointmentId}:${kind}` },
      {
        $set: {
          scheduledFor,
          status: scheduledFor.getTime() > now.getTime() ? 'scheduled' : 'cancelled',
          expireAt: new Date(scheduledFor.getTime() + KEEP_AFTER_DUE_MS),
        },
        $setOnInsert: { appointmentId, patientId, kind, channel, language, sentAt: null },
      },
      { upsert: true },
    );
  }

  /** Cancels an appointment's reminders that have not gone out. */
  async cancelScheduled(appointmentId: string): Promise<void> {
    await this.reminders.updateMany({ appointmentId, status: 'scheduled' }, { $set: { status: 'cancelled' } });
  }

  /**
   * Claims the reminder due first by `now`, or one a sender claimed before `staleBefore` and never
   * finished (its process died): one sender at a time has it.
   */
  claimDue(now: Date, staleBefore: Date): Promise<Reminder | null> {
    return this.reminders.findOneAndUpdate(
      {
        $or: [
          { status: 'scheduled', scheduledFor: { $lte: now } },
          { status: 'sending', claimedAt: { $not: { $gt: staleBefore } } },
        ],
      },
      { $set: { status: 'sending', claimedAt: new Date() } },
      { sort: { scheduledFor: 1 }, returnDocument: 'after' },
    );
  }

  async markSent(id: string, sent: { channel: ReminderChannel; language: ReminderLanguage; at: Date }): Promise<void> {
    await this.reminders.updateOne(
      { _id: id },
      { $set: { status: 'sent', sentAt: sent.at, channel: sent.channel, language: sent.language } },
    );
  }

  async markFailed(id: string): Promise<void> {
    await this.reminders.updateOne({ _id: id }, { $set: { status: 'failed' } });
  }
}
