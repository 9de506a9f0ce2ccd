/**
 * Why: on the first day the dashboard had only four empty cards and no next step (issue 21, item 9).
 * While a scope has never had a response, an administrator gets a "Bắt đầu" checklist (units, desks,
 * QR posters, targets), each step ticked from the data; a manager a line pointing to their desks'
 * posters; a viewer a line saying no response has come in yet. Null once a response exists.
 */
import type { FirstDayFacts } from '../../db/queries/first-day.ts';
import type { Staff } from '../auth/scope.ts';
import type { Lang, Translate } from '../i18n/index.ts';
import { formatCount } from './format.ts';

export interface FirstDayStep {
  text: string;
  done: boolean;
  state: string;
  fact: string;
  links: { href: string; text: string }[];
}

export type FirstDayView =
  | { kind: 'checklist'; title: string; intro: string; steps: FirstDayStep[] }
  | { kind: 'line'; text: string; link: { href: string; text: string } | null };

export function presentFirstDay(facts: FirstDayFacts | null, staff: Staff, lang: Lang, t: Translate, langQuery: string): FirstDayView | null {
  if (facts === null || facts.hasResponses) return null;
  if (staff.role === 'manager') {
    const link = staff.unitId === null ? null : { href: `/admin/units/${staff.unitId}${langQuery}`, text: t('start.manager.link') };
    return { kind: 'line', text: t('start.manager'), link };
  }
  if (staff.role !== 'admin') return { kind: 'line', text: t('start.viewer'), link: null };
  const state = (done: boolean) => t(done ? 'start.done' : 'start.todo');
  const units = { href: `/admin/units${langQuery}`, text: t('start.go.units') };
  const steps = [
    {
      text: t('start.units'),
      done: facts.unitsReviewed,
      fact: t('start.units.fact', { n: formatCount(facts.units, lang) }),
      links: [units, { href: `/admin/units/new${langQuery}`, text: t('start.units.add') }],
    },
    { text: t('start.desks'), done: facts.desks > 0, fact: t('start.desks.fact', { n: formatCount(facts.desks, lang) }), links: [units] },
    // Nothing records a printed poster: the first response is the proof, and it ends the checklist.
    { text: t('start.posters'), done: false, fact: t('start.posters.fact'), links: [units] },
    { text: t('start.targets'), done: facts.targetsSet, fact: '', links: [{ href: `/admin/targets${langQuery}`, text: t('start.go.targets') }] },
  ];
  return { kind: 'checklist', title: t('start.title'), intro: t('start.intro'), steps: steps.map((s) => ({ ...s, state: state(s.done) })) };
}
