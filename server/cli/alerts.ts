/**
 * `sipas alerts run [--dry-run]`: one run of the alerts now, the same run the scheduler makes each
 * night (alerts/run.ts): evaluate the rules up to the day just closed (as the night's run), queue the webhooks' events, send the
 * immediate emails. --dry-run evaluates and prints what would open and close and who would get an
 * email, writing nothing. Ends with the one-line summary; exit 1 when an email could not be sent.
 */
import { loadReportContext } from '../figures/context.ts';
import { translator } from '../i18n/index.ts';
import { createLogger } from '../log.ts';
import { createMailer } from '../alerts/mail.ts';
import { runAlerts } from '../alerts/run.ts';
import { presentAlert } from '../presenters/alert.ts';
import type { Ready } from '../start/bootstrap.ts';
import type { Config } from '../start/config.ts';
import { progress } from './output.ts';

export const ALERTS_USAGE = 'usage: alerts run [--dry-run]';

export class AlertRunError extends Error {}

export async function runAlertsCommand(config: Config, ready: Ready, dryRun: boolean): Promise<void> {
  const db = ready.db.kysely;
  const mailer = createMailer(config);
  const logger = createLogger(config.logLevel, process.stderr);
  const done = progress(dryRun ? 'Chạy thử / dry run' : 'Cảnh báo / alerts', 0);
  try {
    const run = await runAlerts({ db, config, secret: ready.secret, logger, mailer }, { now: new Date(), dryRun });
    const { evaluation, emails } = run;
    const email = mailer === null && !dryRun ? 'thư tắt, chưa đặt SMTP_URL / email off, SMTP_URL not set' : `thư / emails: ${emails.sent} gửi / sent, ${emails.held} chờ / held, ${emails.failed} lỗi / failed`;
    // Each alert opened or closed, on a line of its own (in Vietnamese, as the page says it).
    const ctx = await loadReportContext(db);
    const t = translator('vi');
    for (const a of evaluation.opened) {
      const p = presentAlert(a, ctx, t, 'vi');
      console.log(`${dryRun ? 'sẽ mở / would open' : 'đã mở / opened'}: ${p.title}: ${p.sentence}`);
    }
    for (const a of evaluation.closed) console.log(`${dryRun ? 'sẽ đóng / would close' : 'đã đóng / closed'}: ${presentAlert(a, ctx, t, 'vi').title}`);
    if (dryRun) {
      for (const plan of emails.plans) {
        console.log(`thư / email → ${plan.username} <${plan.address}>: ${plan.alerts} cảnh báo / alerts${plan.held ? ' (chờ thư sau / held for the next email)' : ''}`);
      }
      if (mailer === null) console.log('(thư tắt, chưa đặt SMTP_URL / email off, SMTP_URL not set: nothing would be sent)');
      done.finish(
        `Chạy thử, không ghi gì / dry run, nothing written: ${evaluation.opened.length} sẽ mở / would open, ${evaluation.closed.length} sẽ đóng / would close, ${evaluation.stillOpen} vẫn mở / still open; ${emails.plans.filter((p) => !p.held).length} thư / emails`,
      );
      return;
    }
    done.finish(
      `Cảnh báo / alerts: ${evaluation.opened.length} mở / opened, ${evaluation.closed.length} đóng / closed, ${evaluation.stillOpen} vẫn mở / still open; webhook: ${run.webhooks} chờ gửi / queued; ${email}`,
    );
    if (emails.failed > 0) throw new AlertRunError(`${emails.failed} thư không gửi được / emails could not be sent (see the log above); they go with the next run`);
  } finally {
    mailer?.close();
  }
}
