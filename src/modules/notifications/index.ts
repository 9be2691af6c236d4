export { notificationsSpec, NOTIFICATIONS } from './notifications.collections.js';
export { Reminders, reminderChannelOf, type AppointmentEventPayload, type ContactLookup } from './reminders.js';
export { PreferencesRepository } from './preferences.repository.js';
export { PreferencesService } from './preferences.service.js';
export { PreferencesResolver } from './preferences.resolver.js';
