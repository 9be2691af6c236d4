// Passwords: argon2id (OWASP's minimum: 19 MiB, 2 passes) and a strength policy.
import { hash, verify, type Algorithm } from '@node-rs/argon2';

/** Algorithm.Argon2id (a const enum, which isolated modules cannot read). */
const ARGON2ID = 2 as Algorithm;
const PARAMETERS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/** Passwords too common to allow whatever their length (a short, explicit list). */
const COMMON = new Set([
  'password123',
  'password1234',
  '1234567890',
  '12345678910',
  'qwertyuiop',
  'azertyuiop',
  'motdepasse',
  'motdepasse1',
  'iloveyou123',
  'welcome123',
  'admin12345',
  'letmein123',
  'cameroun237',
  'cameroon237',
  'douala12345',
  'yaounde123',
  'qwerty12345',
  'azerty12345',
  '0123456789',
  'abcdefghij',
  'abc1234567',
  'passw0rd123',
]);

export async function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMETERS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/** Spends the time of a real verification, so an unknown account answers as fast as a known one. */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummy ??= hashPassword('no-such-account-password');
  await verifyPassword(await dummy, password);
  return false;
}

/** What is wrong with a new password (empty when it is acceptable). Never includes the password. */
export function passwordProblems(password: string, personal: string[] = []): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters long`);
  if (password.length > PASSWORD_MAX_LENGTH) problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters long`);
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) problems.push('is too common');
  if (new Set(password).size < 5) problems.push('must use at least 5 different characters');
  for (const part of personal) {
    const piece = part.toLowerCase().trim();
    if (piece.length >= 4 && lower.includes(piece)) {
      problems.push('must not contain your name or email');
      break;
    }
  }
  return problems;
}
