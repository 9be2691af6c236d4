// Links sent by email to the frontend (verify the address, reset the password, set up a staff
// account): `${appUrl}<page>?token=…`, with a one-time token stored as its SHA-256. A new link
// retires the user's earlier unspent ones for the same purpose.
import { newSecret, sha256 } from '../../auth/secrets.js';
import type { OneTimeTokenPurpose } from '../../generated/prisma/client.js';
import type { Notifier } from '../../platform/notifier.js';
import type { AccountsRepository } from './accounts.repository.js';

const HOUR = 60 * 60 * 1000;

export interface EmailedLink {
  purpose: OneTimeTokenPurpose;
  validForMs: number;
  template: string;
  /** The frontend's page the link opens. */
  page: string;
}

export const VERIFY_EMAIL: EmailedLink = {
  purpose: 'email_verification',
  validForMs: 48 * HOUR,
  template: 'verify_email',
  page: 'verify-email',
};
export const RESET_PASSWORD: EmailedLink = {
  purpose: 'password_reset',
  validForMs: HOUR,
  template: 'password_reset',
  page: 'reset-password',
};
/** A new staff member sets their first password as a reset would. */
export const SET_UP_STAFF_ACCOUNT: EmailedLink = {
  purpose: 'password_reset',
  validForMs: 72 * HOUR,
  template: 'staff_account_setup',
  page: 'reset-password',
};

export class EmailedLinks {
  constructor(
    private readonly repository: AccountsRepository,
    private readonly notifier: Notifier,
    /** Base of the links, with a trailing slash. */
    private readonly appUrl: string,
  ) {}

  async send(link: EmailedLink, userId: string, email: string): Promise<void> {
    const token = newSecret();
    await this.repository.issueOneTimeToken(userId, link.purpose, sha256(token), new Date(Date.now() + link.validForMs));
    await this.notifier.send({
      channel: 'email',
      to: email,
      template: link.template,
      data: { token, url: `${this.appUrl}${link.page}?token=${token}` },
    });
  }
}
