/**
 * Why: the digest and the immediate alert email say things the same way (issue 22): a greeting, a few
 * sections of lines (each with its link), the links to the app, and a footer with the unsubscribe
 * link. One view model gives both parts of a message: the plain text built here, the HTML drawn by
 * views/mail/message.ejs (escaped output only, no style or script: mail clients strip them anyway).
 */
import { projectPath } from '../../db/paths.ts';
import ejs from 'ejs';
import type { Lang } from '../i18n/index.ts';

export interface MailItem {
  /** The line's heading (an alert's title); may be empty. */
  title: string;
  /** What it says (an alert's sentence). */
  text: string;
  /** An absolute link, or null. */
  href: string | null;
}

export interface MailSection {
  title: string;
  /** Plain lines before the items (figures). */
  lines: string[];
  items: MailItem[];
  /** Said when there are no items (and no lines). */
  empty: string | null;
}

export interface MailView {
  lang: Lang;
  subject: string;
  greeting: string;
  intro: string;
  sections: MailSection[];
  links: { label: string; href: string }[];
  /** The footer: text with the link written out (plain text) and without it (HTML, where the link is a link). */
  footerText: string;
  footerHtml: string;
  unsubscribe: { label: string; href: string };
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const TEMPLATE = projectPath('views', 'mail', 'message.ejs');

export function mailText(view: MailView): string {
  const out: string[] = [view.greeting, '', view.intro];
  for (const section of view.sections) {
    out.push('', section.title, '-'.repeat(Math.min(section.title.length, 60)));
    for (const line of section.lines) out.push(line);
    for (const item of section.items) {
      out.push(`- ${item.title ? `${item.title}: ` : ''}${item.text}`);
      if (item.href) out.push(`  ${item.href}`);
    }
    if (section.items.length === 0 && section.empty) out.push(section.empty);
  }
  out.push('');
  for (const link of view.links) out.push(`${link.label}: ${link.href}`);
  out.push('', '--', view.footerText, '');
  return out.join('\n');
}

export async function renderMail(view: MailView): Promise<RenderedMail> {
  const html = await ejs.renderFile(TEMPLATE, { view }, { async: true });
  return { subject: view.subject, text: mailText(view), html };
}
