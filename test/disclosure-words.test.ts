/**
 * /cong-khai in words (issue 21, item 3): an unsettled result is "sát chỉ tiêu" only when it is within
 * 2 percentage points of its target, and otherwise said to be below (above) the target with not yet
 * enough responses to be sure; each period names where its targets come from, and a year whose
 * targets are an unconfirmed copy says so, never showing the stored "copied from" source.
 *
 * The data, hand-computed against the tthc target (above 87%), one ward desk, land procedures:
 * - November 2026 (the month shown on 4 December 2026): 17 of 20 satisfied = 85,0%, 2 points below: close;
 * - July 2026 (the third quarter shown): 7 of 10 satisfied = 70,0%, 17 points below: below;
 * - May 2025 (the year 2025 shown): 9 of 10 satisfied = 90,0%, 3 points above: above.
 * Each is unsettled (the interval around it contains 87%), which the page's class shows.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, citizen, storeResponses, type TestDesk } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';

const MIN = 5;
const SOURCE_2025 = 'QĐ 2228/QĐ-UBND tỉnh Nghệ An, kế hoạch CCHC năm 2025, mục I.4';

/** A period's section of the page, by its key. */
function section(html: string, key: 'month' | 'quarter' | 'year'): string {
  const body = new RegExp(`<section class="disclosure" aria-labelledby="period-${key}">([\\s\\S]*?)</section>`).exec(html)?.[1];
  if (body === undefined) throw new Error(`no ${key} section`);
  return body;
}

/** One indicator's card in a section, as HTML. */
function cardHtml(body: string, code: string): string {
  const li = new RegExp(`<li class="[^"]*" data-indicator="${code}">([\\s\\S]*?)</li>`).exec(body)?.[1];
  if (li === undefined) throw new Error(`no indicator ${code}`);
  return li;
}

/** The words of one indicator's card in a section, tags removed. */
function card(body: string, code: string): string {
  return cardHtml(body, code).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The target lines of a section. */
function targetLines(body: string): string[] {
  return [...body.matchAll(/<p class="table-note disclosure__targets">([^<]*)<\/p>/g)].map((m) => m[1] ?? '');
}

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let ward: TestDesk;
  let ratings: Record<string, number> = {};

  async function answers(day: string, n: number, satisfied: number): Promise<void> {
    await storeResponses(t.db, ward.id, 'dat-dai', day, [
      { copies: satisfied, ratings },
      { copies: n - satisfied, ratings: { ...ratings, overall: 2 } },
    ].filter((s) => s.copies > 0));
  }

  async function page(query = ''): Promise<string> {
    t.clock.now = new Date('2026-12-04T03:00:00Z');
    return (await request(t.app).get(`/cong-khai${query}`).expect(200)).text;
  }

  beforeAll(async () => {
    t = await startTestApp(dialect, { MIN_RESPONSES: String(MIN), PUBLIC_MIN_RESPONSES: String(MIN) });
    ward = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', fields: ['dat-dai'] });
    const form = (await request(t.app).get(ward.url).set(citizen())).text;
    ratings = Object.fromEntries([...new Set([...form.matchAll(/name="(\w+)" value="4"/g)].map((m) => m[1] as string))].map((name) => [name, 4]));
    await answers('2026-11-10', 20, 17);
    await answers('2026-07-10', 10, 7);
    await answers('2025-05-10', 10, 9);
  }, 60_000);
  afterAll(() => t.close());

  it('an unsettled 70,0% against 87% (17 points below) is said to be below the target, not close to it', async () => {
    const quarter = section(await page(), 'quarter');
    const words = card(quarter, 'tthc');
    expect(words).toContain('70,0%');
    expect(words).toContain('Thấp hơn chỉ tiêu (trên 87%) nhưng chưa đủ phiếu để kết luận');
    expect(words).not.toMatch(/sát/i);
    expect(cardHtml(quarter, 'tthc')).toContain('verdict--inconclusive');
    const en = card(section(await page('?lang=en'), 'quarter'), 'tthc');
    expect(en).toContain('Below the target (above 87%), but not yet enough responses to be sure');
    expect(en).not.toContain('Close to');
  });

  it('an unsettled 85,0% against 87% (2 points below, within the rule) is close to the target, and 90,0% (3 above) is above it', async () => {
    const html = await page();
    const month = card(section(html, 'month'), 'tthc');
    expect(month).toContain('85,0%');
    expect(month).toContain('Sát chỉ tiêu (trên 87%), chưa đủ phiếu để kết luận');
    expect(cardHtml(section(html, 'month'), 'tthc')).toContain('verdict--inconclusive');
    expect(cardHtml(section(html, 'year'), 'tthc')).toContain('verdict--inconclusive');
    const year = card(section(html, 'year'), 'tthc');
    expect(year).toContain('90,0%');
    expect(year).toContain('Cao hơn chỉ tiêu (trên 87%) nhưng chưa đủ phiếu để kết luận');
    expect(html).toContain('&#34;sát chỉ tiêu&#34; là khi kết quả cách chỉ tiêu không quá 2 điểm phần trăm');
    const en = await page('?lang=en');
    expect(card(section(en, 'month'), 'tthc')).toContain('Close to the target (above 87%), not yet enough responses to be sure');
    expect(card(section(en, 'year'), 'tthc')).toContain('Above the target (above 87%), but not yet enough responses to be sure');
    expect(en).toContain('&#34;close to the target&#34; means within 2 percentage points of it');
  });

  it('2026, whose targets are unconfirmed copies of 2025, says so plainly; 2025 names its source; no "copied from" anywhere', async () => {
    const html = await page();
    for (const key of ['month', 'quarter'] as const) expect(targetLines(section(html, key))).toEqual(['Chỉ tiêu năm 2026 tạm lấy theo năm 2025, chưa được tỉnh xác nhận.']);
    expect(targetLines(section(html, 'year'))).toEqual([`Chỉ tiêu năm 2025 theo ${SOURCE_2025}.`]);
    expect(html).not.toContain('copied from');
    expect(html).not.toContain('Mặc định theo');
    expect(html).not.toContain('Kế hoạch cải cách hành chính năm 2025');
    const en = await page('?lang=en');
    expect(targetLines(section(en, 'month'))).toEqual(['The targets for 2026 are for now those of 2025; the province has not yet confirmed them.']);
    expect(targetLines(section(en, 'year'))).toEqual([`Targets for 2025: ${SOURCE_2025}.`]);
    expect(en).not.toContain('copied from');
  });

  it('once the province confirms the 2026 targets, the page names their source (the figures published stay as they were)', async () => {
    const before = card(section(await page(), 'month'), 'tthc');
    await t.db.updateTable('targets').set({ confirmed: 1, source: 'QĐ 99/QĐ-UBND (2026)' }).where('valid_from', '=', '2026-01-01').execute();
    try {
      const html = await page();
      expect(targetLines(section(html, 'month'))).toEqual(['Chỉ tiêu năm 2026 theo QĐ 99/QĐ-UBND (2026).']);
      expect(html).not.toContain('chưa được tỉnh xác nhận');
      expect(card(section(html, 'month'), 'tthc')).toBe(before);
    } finally {
      await t.db.updateTable('targets').set({ confirmed: 0, source: 'Mặc định theo chỉ tiêu 2025 / copied from 2025' }).where('valid_from', '=', '2026-01-01').execute();
    }
  });
});
