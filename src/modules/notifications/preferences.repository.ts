// Notification preferences, kept on the user's profile in PostgreSQL.
import type { PrismaClient } from '../../generated/prisma/client.js';

export interface PreferencesRow {
  language: 'en' | 'fr';
  reminderChannel: 'sms' | 'email' | null;
  phone: string | null;
}

/** The preferences to change; a field left out stays as it is. */
export type PreferenceChanges = Partial<Pick<PreferencesRow, 'language' | 'reminderChannel'>>;

export class PreferencesRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async get(userId: string): Promise<PreferencesRow | null> {
    const user = await this.prisma.user.findUnique({
      where: { id: userId },
      select: { phone: true, profile: { select: { preferredLanguage: true, reminderChannel: true } } },
    });
    return user?.profile
      ? { language: user.profile.preferredLanguage, reminderChannel: user.profile.reminderChannel, phone: user.phone }
      : null;
  }

  async set(userId: string, changes: PreferenceChanges): Promise<void> {
    // Prisma leaves a column whose value is undefined as it is.
    await this.prisma.userProfile.update({
      where: { userId },
      data: { preferredLanguage: changes.language, reminderChannel: changes.reminderChannel },
    });
  }
}
