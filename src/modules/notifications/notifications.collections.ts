// MongoDB `notifications`: scheduled reminders (no contact details and no health data: the patient
// is looked up when the reminder goes out). Kept 30 days after they were due.
import type { CollectionSpec } from '../../platform/mongo.js';

export const NOTIFICATIONS = 'notifications';

export const notificationsSpec: CollectionSpec = {
  name: NOTIFICATIONS,
  validator: {
    $jsonSchema: {
      bsonType: 'object',
      required: ['_id', 'appointmentId', 'patientId', 'kind', 'channel', 'language', 'scheduledFor', 'status', 'expireAt'],
      properties: {
        _id: { bsonType: 'string' },
        appointmentId: { bsonType: 'string' },
        patientId: { bsonType: 'string' },
        kind: { enum: ['reminder_24h', 'reminder_2h'] },
        channel: { enum: ['sms', 'email'] },
        language: { enum: ['en', 'fr'] },
        scheduledFor: { bsonType: 'date' },
        status: { enum: ['scheduled', 'sending', 'sent', 'cancelled', 'failed'] },
        claimedAt: { bsonType: ['date', 'null'] },
        sentAt: { bsonType: ['date', 'null'] },
        expireAt: { bsonType: 'date' },
      },
    },
  },
  indexes: [
    { key: { status: 1, scheduledFor: 1 }, name: 'due' },
    { key: { appointmentId: 1 }, name: 'by_appointment' },
    { key: { expireAt: 1 }, name: 'expire', expireAfterSeconds: 0 },
  ],
};
