// No secret reaches a log line: the real logger, fed what the code logs (notification data with
// links and codes, headers, credentials, errors naming connection URLs).
import { describe, expect, it } from 'vitest';
import { logNotifications } from '../../src/platform/notifier.js';
import { captureLog } from '../harness/log-capture.js';

const SECRET = 'Zs3cr3tValue0123456789';

describe('log redaction', () => {
  it("redacts tokens, links and codes in the simulated notifier's messages, keeping the rest", () => {
    const captured = captureLog();
    const log = logNotifications(captured.log, true);
    log({
      channel: 'email',
      to: 'a@example.test',
      template: 'verify_email',
      data: { token: SECRET, url: `https://app.example.test/verify-email?token=${SECRET}` },
    });
    log({
      channel: 'email',
      to: 'a@example.test',
      template: 'password_reset',
      data: { token: SECRET, url: `https://app.example.test/reset-password?lang=fr&token=${SECRET}#top` },
    });
    log({ channel: 'sms', to: '+237600000000', template: 'verify_phone', data: { code: '482913' } });
    expect(captured.text()).not.toContain(SECRET);
    expect(captured.text()).not.toContain('482913');
    const [verify, reset, sms] = captured.entries();
    expect(verify.data).toEqual({ token: '[redacted]', url: 'https://app.example.test/verify-email?token=[redacted]' });
    expect((reset.data as { url: string }).url).toBe('https://app.example.test/reset-password?lang=fr&token=[redacted]#top');
    expect(sms).toMatchObject({ channel: 'sms', template: 'verify_phone', data: { code: '[redacted]' } });
  });

  it('redacts credentials by key at any of the usual depths, and inside strings', () => {
    const captured = captureLog();
    captured.log.info({ req: { headers: { authorization: `Bearer ${SECRET}`, cookie: SECRET, 'x-api-key': SECRET } } }, 'request');
    captured.log.info(
      { authorization: `Bearer ${SECRET}`, password: SECRET, refreshToken: SECRET, input: { newPassword: SECRET, accessToken: SECRET } },
      'input',
    );
    captured.log.info({ note: `retrying with Authorization: Bearer ${SECRET}`, where: `redis://:${SECRET}@127.0.0.1:6379` }, 'strings');
    captured.log.error(
      { err: Object.assign(new Error(`connect postgres://app:${SECRET}@db/clinic failed`), { code: 'ECONNREFUSED' }) },
      'error',
    );
    expect(captured.text()).not.toContain(SECRET);
    const [request, input, strings, error] = captured.entries();
    expect(request.req).toEqual({ headers: { authorization: '[redacted]', cookie: '[redacted]', 'x-api-key': '[redacted]' } });
    expect(input).toMatchObject({ password: '[redacted]', input: { newPassword: '[redacted]', accessToken: '[redacted]' } });
    expect(strings.where).toBe('redis://:[redacted]@127.0.0.1:6379');
    // Error codes are not secrets: they stay.
    expect(error.err).toMatchObject({ code: 'ECONNREFUSED', message: 'connect postgres://app:[redacted]@db/clinic failed' });
  });
});
