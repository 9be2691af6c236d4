import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { NotificationPreferences, NotificationPreferencesInput } from './preferences.types.js';

@Resolver()
export class PreferencesResolver {
  @Query(() => NotificationPreferences, { description: 'How you are reached.' })
  notificationPreferences(@Ctx() context: RequestContext): Promise<NotificationPreferences> {
    return context.services.preferences.mine(context);
  }

  @Mutation(() => NotificationPreferences, {
    description: 'Changes the language and channel of your notifications (reminders already scheduled follow).',
  })
  setNotificationPreferences(
    @Arg('input', () => NotificationPreferencesInput) input: NotificationPreferencesInput,
    @Ctx() context: RequestContext,
  ): Promise<NotificationPreferences> {
    return context.services.preferences.set(context, input);
  }
}
