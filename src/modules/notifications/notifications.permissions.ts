// Who may use the notifications module's fields: each caller their own preferences.
import { isAuthenticated } from '../../authz/rules.js';
import { allow } from '../../authz/shield.js';
import type { ModulePermissions } from '../../platform/module.js';

export const notificationsPermissions: ModulePermissions = {
  Query: {
    notificationPreferences: isAuthenticated,
  },
  Mutation: {
    setNotificationPreferences: isAuthenticated,
  },
  NotificationPreferences: allow,
};
