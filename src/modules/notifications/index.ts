export { notificationsSpec, NOTIFICATIONS } from './notifications.collections.js';
export { Reminders, type AppointmentEventPayload, type ContactLookup } from './reminders.js';
