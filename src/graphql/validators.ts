// Validation rules the schema shares.
import { Matches, ValidateBy, type ValidationOptions } from 'class-validator';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A YYYY-MM-DD date that is not in the future and not before 1900. */
export function IsPastLocalDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPastLocalDate',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || !LOCAL_DATE.test(value)) return false;
          const date = new Date(`${value}T00:00:00.000Z`);
          return !Number.isNaN(date.getTime()) && date.getTime() <= Date.now() && value >= '1900-01-01';
        },
        defaultMessage: (args) => `${args?.property ?? "date"} must be a date between 1900-01-01 and today`,
      },
    },
    options,
  );
}

/** E.164 phone numbers, e.g. +237670123456. */
export const E164 = /^\+[1-9][0-9]{6,14}$/;

/** Text with at least one visible character (spaces alone are refused, not stored as ""). */
export function NotBlank(): PropertyDecorator {
  return Matches(/\S/, { message: ({ property }) => `${property} must not be blank` });
}
