export { notificationsSpec, NOTIFICATIONS } from './notifications.collections.js';
export { RemindersRepository } from './reminders.repository.js';
export { RemindersService, REMINDERS_SWEEP, reminderChannelOf, type AppointmentEventPayload, type ContactLookup } from './reminders.service.js';
export { PreferencesRepository } from './preferences.repository.js';
export { PreferencesService } from './preferences.service.js';
export { PreferencesResolver } from './preferences.resolver.js';
