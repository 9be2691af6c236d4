// Phone numbers as people write them ("670 12 34 56", "00237 670...") to the E.164 form the API
// stores (+237670123456). libphonenumber-js knows each country's numbering plan.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** The E.164 form of `text`, national numbers read as numbers of `country`; null when it cannot be one. */
export function toE164(text: string, country: CountryCode = 'CM'): string | null {
  const parsed = parsePhoneNumberFromString(text, country);
  return parsed?.isPossible() ? parsed.number : null;
}
