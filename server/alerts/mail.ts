/**
 * Why: alerts reach officials who do not sign in every day by email (issue 22): the weekly digest and
 * the immediate alert email. One place builds the transport (SMTP_URL; none when unset, and then
 * nothing is sent and nothing fails) and sends a message the way every mail client handles well: a
 * UTF-8 subject, a plain-text part and an HTML part, and the one-click unsubscribe headers (RFC 8058)
 * carrying the account's signed link (unsubscribe.ts).
 */
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import { claimMail, type MailKind, type MailRecipient, releaseMail } from '../../db/queries/mail.ts';
import type { Database } from '../../db/schema.ts';
import type { Logger } from '../log.ts';
import type { Config } from '../start/config.ts';
import { unsubscribeUrl } from './unsubscribe.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The account's signed unsubscribe link (List-Unsubscribe). */
  unsubscribeUrl: string;
}

export interface Mailer {
  /** Sends one message; rejects when the server refused it or could not be reached. */
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** A mail server that does not answer must not hold a run for long. */
const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 };

/** The transport of SMTP_URL (query parameters such as ?ignoreTLS=true are nodemailer's options); null when email is off. */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom'>): Mailer | null {
  const url = config.smtpUrl;
  if (url === undefined) return null;
  // nodemailer (about 15 MB) is loaded with the first email, not by every server at start (issue 23).
  let transport: Transporter | null = null;
  const open = async () => (transport ??= (await import('nodemailer')).createTransport({ url, ...TIMEOUTS }));
  return {
    async send(message) {
      await (await open()).sendMail({
        from: config.mailFrom,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        textEncoding: 'base64',
        headers: {
          'List-Unsubscribe': `<${message.unsubscribeUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'Auto-Submitted': 'auto-generated',
        },
      });
    },
    close() {
      transport?.close();
    },
  };
}

/**
 * Sends one account its email of a run exactly once: claimed in mail_log first (account, kind, run),
 * so a run taken over by another server, or a second server running the same run, skips it; a
 * failed send gives the claim back (and rejects) so that a later run tries again. 'skipped': already sent.
 */
export async function sendOnce(
  deps: Pick<MailDeps, 'db' | 'config' | 'secret'> & { mailer: Mailer },
  to: Pick<MailRecipient, 'id' | 'email' | 'lang'>,
  claim: { kind: MailKind; runKey: string; sentAt: string },
  mail: { subject: string; text: string; html: string },
): Promise<'sent' | 'skipped'> {
  const { db, mailer } = deps;
  if (!(await claimMail(db, { userId: to.id, kind: claim.kind, runKey: claim.runKey, address: to.email, subject: mail.subject, sentAt: claim.sentAt }))) return 'skipped';
  try {
    await mailer.send({ to: to.email, subject: mail.subject, text: mail.text, html: mail.html, unsubscribeUrl: unsubscribeUrl(deps.config.baseUrl, deps.secret, to.id, to.lang) });
    return 'sent';
  } catch (error) {
    await releaseMail(db, to.id, claim.kind, claim.runKey);
    throw error;
  }
}

/** What the email jobs need: the database, the settings (links, limits), the secret (unsubscribe links), the log, the transport (null: email off). */
export interface MailDeps {
  db: Kysely<Database>;
  config: Config;
  secret: string;
  logger: Logger;
  mailer: Mailer | null;
}
