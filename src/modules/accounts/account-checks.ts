// Checks shared by the account services: the shape of what callers send, new passwords, and the
// errors they lead to. Nothing here tells a caller whether an email address has an account.
import { passwordProblems } from '../../auth/passwords.js';
import { AppError, BadUserInputError } from '../../errors/errors.js';

export function rateLimited(retryAfterSeconds?: number): AppError {
  return new AppError('RATE_LIMITED', 'Too many attempts. Try again later.', retryAfterSeconds ? { retryAfterSeconds } : {});
}

/** BAD_USER_INPUT at `field`: the token (or code) sent is not one we issued, or has been spent or has expired. */
export function invalidToken(field: string): BadUserInputError {
  return new BadUserInputError([{ path: [field], message: `${field} is not valid or has expired` }]);
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/**
 * Scalar arguments are not validated by the schema, so their length is checked here (control
 * characters are refused for every request by controlCharactersPlugin).
 */
export function checkLength(value: string, field: string, maxLength: number): void {
  if (value.length > maxLength) throw new BadUserInputError([{ path: [field], message: `${field} is not valid` }]);
}

/** Tokens we issue are base64url of a fixed size. */
export function checkSecret(value: string, field: string): void {
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(value)) throw invalidToken(field);
}

/** BAD_USER_INPUT at `path` for each way a new password is weak (too short, common, or `personal`). */
export function checkNewPassword(password: string, personal: string[], path: string[]): void {
  const field = path[path.length - 1];
  const problems = passwordProblems(password, personal);
  if (problems.length > 0) throw new BadUserInputError(problems.map((message) => ({ path: [...path], message: `${field} ${message}` })));
}

/** The throttling key of an address: IPv4 as is, IPv6 by its /64 (one customer's whole network). */
export function addressKeyOf(ip: string): string {
  const address = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (!address.includes(':')) return address;
  const [head, tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
