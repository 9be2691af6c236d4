// Types several modules share: languages, genders, money and postal addresses.
import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsOptional, Length, Matches, MaxLength } from 'class-validator';
import { NotBlank } from './validators.js';

export enum Language {
  EN = 'en',
  FR = 'fr',
}
registerEnumType(Language, { name: 'Language', description: 'English or French.' });

export enum Gender {
  FEMALE = 'female',
  MALE = 'male',
  OTHER = 'other',
  UNDISCLOSED = 'undisclosed',
}
registerEnumType(Gender, { name: 'Gender' });

@ObjectType({ description: 'An amount in integer minor units of an ISO 4217 currency (XAF has none).' })
export class Money {
  @Field(() => Int) amountMinor!: number;
  @Field() currency!: string;
}

@ObjectType()
export class Address {
  @Field(() => String, { nullable: true }) street!: string | null;
  @Field() city!: string;
  @Field(() => String, { nullable: true }) region!: string | null;
  @Field() country!: string;
  @Field(() => String, { nullable: true }) postalCode!: string | null;
}

@InputType()
export class AddressInput {
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) street?: string | null;
  @Field() @NotBlank() @Length(1, 100) city!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) region?: string | null;
  @Field({ description: 'ISO 3166-1 alpha-2, e.g. CM.' })
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' })
  country!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(20) postalCode?: string | null;
}

/** Parses an address stored as JSON, tolerating missing optional parts. */
export function toAddress(value: unknown): Address | null {
  if (!value || typeof value !== 'object') return null;
  const stored = value as Record<string, unknown>;
  const text = (key: string) => (typeof stored[key] === 'string' ? (stored[key] as string) : null);
  return {
    street: text('street'),
    city: text('city') ?? '',
    region: text('region'),
    country: text('country') ?? '',
    postalCode: text('postalCode'),
  };
}
