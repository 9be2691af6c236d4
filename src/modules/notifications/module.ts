// The notifications module: how each user is reached, and appointment reminders.
import { defineModule } from '../../platform/module.js';
import { PatientsRepository } from '../patients/index.js';
import { notificationsSpec } from './notifications.collections.js';
import { notificationsPermissions } from './notifications.permissions.js';
import { appointmentBooked, appointmentCancelled, appointmentRescheduled } from './notifications.topics.js';
import { PreferencesRepository } from './preferences.repository.js';
import { PreferencesResolver } from './preferences.resolver.js';
import { PreferencesService } from './preferences.service.js';
import { RemindersRepository } from './reminders.repository.js';
import { RemindersService } from './reminders.service.js';

export const notificationsModule = defineModule({
  name: 'notifications',
  resolvers: [PreferencesResolver],
  permissions: notificationsPermissions,
  repositories: ({ prisma, mongo }) => ({
    preferences: new PreferencesRepository(prisma),
    reminders: new RemindersRepository(mongo),
    // Where a reminder goes is looked up when it is sent, through the patients module.
    reminderContacts: new PatientsRepository(prisma),
  }),
  services: (repositories, { notifier }) => ({
    preferences: new PreferencesService(repositories.preferences),
    reminders: new RemindersService(repositories.reminders, notifier, (patientId) => repositories.reminderContacts.contact(patientId)),
  }),
  collections: () => [notificationsSpec],
  topics: [appointmentBooked, appointmentRescheduled, appointmentCancelled],
  handlers: (services) => services.reminders.handlers(),
  jobs: (services) => [services.reminders.sweepJob()],
});
