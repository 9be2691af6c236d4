export { notificationsSpec, NOTIFICATIONS } from './notifications.collections.js';
export { Reminders, reminderChannelOf, type ContactLookup } from './reminders.js';
export { appointmentBooked, appointmentCancelled, appointmentRescheduled, type AppointmentEventPayload } from './notifications.topics.js';
export { PreferencesRepository } from './preferences.repository.js';
export { PreferencesService } from './preferences.service.js';
export { PreferencesResolver } from './preferences.resolver.js';
