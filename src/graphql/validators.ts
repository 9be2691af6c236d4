// Validation rules the schema shares. Messages name the field and the expected form, never the
// value given.
import { Matches, MaxLength, ValidateBy, type ValidationOptions } from 'class-validator';
import { fromLocalDate } from './scalars.js';

/** Several decorators as one, applied in the order given (as if written bottom-up). */
function combined(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, property) => decorators.forEach((decorate) => decorate(target, property));
}

/**
 * A date not in the future and not before 1900. Only for LocalDate fields: the scalar has already
 * refused anything that is not a real YYYY-MM-DD date.
 */
export function IsPastLocalDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPastLocalDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value >= '1900-01-01' && fromLocalDate(value).getTime() <= Date.now(),
        defaultMessage: (args) => `${args?.property ?? 'date'} must be a date between 1900-01-01 and today`,
      },
    },
    options,
  );
}

/** A phone number in E.164 form, e.g. +237670123456. */
export function IsE164(): PropertyDecorator {
  return Matches(/^\+[1-9][0-9]{6,14}$/, { message: ({ property }) => `${property} must be in E.164 format, e.g. +237670123456` });
}

/** A time of day as HH:MM (00:00 to 23:59). */
export function IsClockTime(): PropertyDecorator {
  return Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: ({ property }) => `${property} must be HH:MM` });
}

/** An ICD-10 code: a letter (not U), two characters, and an optional subdivision after a dot. */
export function IsIcd10(options: ValidationOptions = {}): PropertyDecorator {
  return Matches(/^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$/, {
    ...options,
    message: ({ property }) => `${property} must be an ICD-10 code such as E11.9`,
  });
}

/** A specialty's machine name, e.g. "pediatrics". */
export function IsSpecialtyCode(options: { each?: boolean } = {}): PropertyDecorator {
  return combined(
    Matches(/^[a-z][a-z_]*$/, { ...options, message: ({ property }) => `${property} must be a specialty code such as "pediatrics"` }),
    MaxLength(64, options),
  );
}

/** Text with at least one visible character (spaces alone are refused, not stored as ""). */
export function NotBlank(): PropertyDecorator {
  return Matches(/\S/, { message: ({ property }) => `${property} must not be blank` });
}
