/**
 * The audit log's actions in people's words. The log stores short codes ('desk.rotate') so that
 * filtering and exports stay stable when wording changes; an administrator reads "Đổi mã QR của quầy".
 */
import type { MessageKey, Translate } from '../../i18n/index.ts';

const ACTION_WORDS: Record<string, MessageKey> = {
  'login': 'admin.audit.action.login',
  'login.failed': 'admin.audit.action.login.failed',
  'user.create': 'admin.audit.action.user.create',
  'user.update': 'admin.audit.action.user.update',
  'user.reset': 'admin.audit.action.user.reset',
  'user.enable': 'admin.audit.action.user.enable',
  'user.disable': 'admin.audit.action.user.disable',
  'user.password.set': 'admin.audit.action.user.password.set',
  'user.password.reset': 'admin.audit.action.user.password.reset',
  'user.unlock.link': 'admin.audit.action.user.unlock.link',
  'user.unlock': 'admin.audit.action.user.unlock',
  'token.create': 'admin.audit.action.token.create',
  'token.revoke': 'admin.audit.action.token.revoke',
  'unit.create': 'admin.audit.action.unit.create',
  'unit.update': 'admin.audit.action.unit.update',
  'unit.import': 'admin.audit.action.unit.import',
  'unit.delete': 'admin.audit.action.unit.delete',
  'unit.activate': 'admin.audit.action.unit.activate',
  'unit.deactivate': 'admin.audit.action.unit.deactivate',
  'desk.create': 'admin.audit.action.desk.create',
  'desk.update': 'admin.audit.action.desk.update',
  'desk.rotate': 'admin.audit.action.desk.rotate',
  'desk.activate': 'admin.audit.action.desk.activate',
  'desk.deactivate': 'admin.audit.action.desk.deactivate',
  'kiosk.create': 'admin.audit.action.kiosk.create',
  'kiosk.revoke': 'admin.audit.action.kiosk.revoke',
  'target.save': 'admin.audit.action.target.save',
  'target.year': 'admin.audit.action.target.year',
  'questionnaire.version': 'admin.audit.action.questionnaire.version',
  'questionnaire.update': 'admin.audit.action.questionnaire.update',
  'paper.enter': 'admin.audit.action.paper.enter',
  'comment.hide': 'admin.audit.action.comment.hide',
  'comment.unhide': 'admin.audit.action.comment.unhide',
  'review.keep': 'admin.audit.action.review.keep',
  'review.remove': 'admin.audit.action.review.remove',
  'export.responses': 'admin.audit.action.export.responses',
  'webhook.create': 'admin.audit.action.webhook.create',
  'webhook.disable': 'admin.audit.action.webhook.disable',
  'webhook.enable': 'admin.audit.action.webhook.enable',
  'webhook.delete': 'admin.audit.action.webhook.delete',
};

/** The action in words; an action this list does not know yet is shown as its code rather than hidden. */
export function auditActionText(action: string, t: Translate): string {
  const key = ACTION_WORDS[action];
  return key === undefined ? action : t(key);
}

/**
 * The stored detail in words where it is one of the fixed phrases the code writes in English
 * ("copied from v2"); any other detail (a kiosk's name, a count) is shown as stored.
 */
export function auditDetailText(detail: string, t: Translate): string {
  const copied = /^copied from v(\d+)$/.exec(detail);
  if (copied) return t('admin.audit.detail.copied', { version: copied[1] ?? '' });
  if (detail === 'first administrator via setup link') return t('admin.audit.detail.setup');
  return detail;
}

/** A questionnaire's subject, stored as "tthc-short v3", with its version in words: "tthc-short, phiên bản 3". */
export function auditSubjectText(action: string, subject: string, t: Translate): string {
  const version = action.startsWith('questionnaire.') ? /^(\S+) v(\d+)$/.exec(subject) : null;
  return version ? `${version[1] ?? ''}, ${t('admin.version', { n: version[2] ?? '' })}` : subject;
}
