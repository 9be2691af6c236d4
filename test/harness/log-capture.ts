// The API's real logger (its serializers and redaction) writing into memory, for tests that read
// what was logged.
import { createLogger, type Logger } from '../../src/platform/logger.js';

export interface CapturedLog {
  log: Logger;
  /** Every line logged so far, parsed. */
  entries(): Array<Record<string, unknown>>;
  /** Every line logged so far, as written. */
  text(): string;
}

export function captureLog(level = 'info'): CapturedLog {
  const lines: string[] = [];
  const log = createLogger(level, { write: (line: string) => void lines.push(line) });
  return {
    log,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => lines.join(''),
  };
}
