// Reading and changing one's own notification preferences.
import type { RequestContext } from '../../context/context.js';
import { BadUserInputError, NotFoundError, UnauthenticatedError } from '../../errors/errors.js';
import type { Language } from '../../graphql/common-types.js';
import type { PreferenceChanges, PreferencesRepository, PreferencesRow } from './preferences.repository.js';
import { ReminderChannel, type NotificationPreferences, type NotificationPreferencesInput } from './preferences.types.js';

const toPreferences = (row: PreferencesRow): NotificationPreferences => ({
  language: row.language as Language,
  reminderChannel: row.reminderChannel as ReminderChannel | null,
});

export class PreferencesService {
  constructor(private readonly repository: PreferencesRepository) {}

  private async current(context: RequestContext): Promise<{ userId: string; row: PreferencesRow }> {
    if (!context.principal) throw new UnauthenticatedError();
    const row = await this.repository.get(context.principal.userId);
    if (!row) throw new NotFoundError('Profile');
    return { userId: context.principal.userId, row };
  }

  async mine(context: RequestContext): Promise<NotificationPreferences> {
    return toPreferences((await this.current(context)).row);
  }

  async set(context: RequestContext, input: NotificationPreferencesInput): Promise<NotificationPreferences> {
    const { userId, row } = await this.current(context);
    if (input.reminderChannel === ReminderChannel.SMS && !row.phone) {
      throw new BadUserInputError([{ path: ['input', 'reminderChannel'], message: 'add a phone number before choosing SMS' }]);
    }
    // Only what the input gives changes: an omitted field (or a null language) stays, a null channel is a change.
    const changes: PreferenceChanges = {
      ...(input.language ? { language: input.language } : {}),
      ...(input.reminderChannel !== undefined ? { reminderChannel: input.reminderChannel } : {}),
    };
    const fields = Object.keys(changes).map((field) => (field === 'language' ? 'preferredLanguage' : field));
    // A change to someone's profile is audited in their own stream, like every other write.
    await context.audit.around(userId, 'UserProfile', fields, 'update', 'normal', () => this.repository.set(userId, changes));
    return toPreferences({ ...row, ...changes });
  }
}
