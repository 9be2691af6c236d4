// Notification preferences, kept on the user's profile in PostgreSQL.
import type { PrismaClient } from '../../generated/prisma/client.js';

export interface PreferencesRow {
  language: 'en' | 'fr';
  reminderChannel: 'sms' | 'email' | null;
  phone: string | null;
}

export class PreferencesRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async get(userId: string): Promise<PreferencesRow | null> {
    const user = await this.prisma.user.findUnique({ where: { id: userId }, select: { phone: true, profile: { select: { preferredLanguage: true, reminderChannel: true } } } });
    return user?.profile ? { language: user.profile.preferredLanguage, reminderChannel: user.profile.reminderChannel, phone: user.phone } : null;
  }

  async set(userId: string, changes: { language?: 'en' | 'fr'; reminderChannel?: 'sms' | 'email' | null }): Promise<void> {
    await this.prisma.userProfile.update({
      where: { userId },
      data: { ...(changes.language ? { preferredLanguage: changes.language } : {}), ...(changes.reminderChannel !== undefined ? { reminderChannel: changes.reminderChannel } : {}) },
    });
  }
}
