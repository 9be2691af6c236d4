export { notificationsSpec, NOTIFICATIONS } from './notifications.collections.js';
export { RemindersRepository } from './reminders.repository.js';
export { RemindersService, REMINDERS_SWEEP, reminderChannelOf, type ContactLookup } from './reminders.service.js';
export { appointmentBooked, appointmentCancelled, appointmentRescheduled, type AppointmentEventPayload } from './notifications.topics.js';
export { PreferencesRepository } from './preferences.repository.js';
export { PreferencesService } from './preferences.service.js';
export { PreferencesResolver } from './preferences.resolver.js';
