// The notifications module: how each user is reached, and appointment reminders.
import { defineModule } from '../../platform/module.js';
import { appointmentBooked, appointmentCancelled, appointmentRescheduled } from './notifications.topics.js';
import { notificationsSpec } from './notifications.collections.js';
import { notificationsPermissions } from './notifications.permissions.js';
import { PreferencesRepository } from './preferences.repository.js';
import { PreferencesResolver } from './preferences.resolver.js';
import { PreferencesService } from './preferences.service.js';
import { Reminders } from './reminders.js';

export const notificationsModule = defineModule({
  name: 'notifications',
  resolvers: [PreferencesResolver],
  permissions: notificationsPermissions,
  repositories: ({ prisma, mongo }) => ({ preferences: new PreferencesRepository(prisma), reminders: new Reminders(mongo) }),
  services: (repositories) => ({ preferences: new PreferencesService(repositories.preferences), reminders: repositories.reminders }),
  collections: () => [notificationsSpec],
  topics: [appointmentBooked, appointmentRescheduled, appointmentCancelled],
  handlers: (services) => services.reminders.handlers(),
});
