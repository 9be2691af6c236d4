// How a person wants to be reached: the language and channel of their notifications.
import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { Language } from '../../graphql/common-types.js';

export enum ReminderChannel {
  SMS = 'sms',
  EMAIL = 'email',
}
registerEnumType(ReminderChannel, { name: 'ReminderChannel', description: 'Where appointment reminders go.' });

@ObjectType({ description: 'How you are reached: language and channel of reminders.' })
export class NotificationPreferences {
  @Field(() => Language) language!: Language;
  @Field(() => ReminderChannel, { nullable: true, description: 'Null: by SMS when there is a phone number on file, else by email.' })
  reminderChannel!: ReminderChannel | null;
}

@InputType({ description: 'Omitted fields stay as they are; reminderChannel null goes back to the default.' })
export class NotificationPreferencesInput {
  @Field(() => Language, { nullable: true }) @IsOptional() language?: Language | null;
  @Field(() => ReminderChannel, { nullable: true }) @IsOptional() reminderChannel?: ReminderChannel | null;
}
