/**
 * /cong-khai as a citizen sees it: no login, cacheable, the API's numbers, no comments or desks,
 * closed periods only (the last complete month, quarter and year), and no group under MIN_RESPONSES,
 * shown or worked out from anything the page has ever shown (issue 18, finding 9 and build 6).
 */
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { launchBrowser, listen, overflowsHorizontally, seriousViolations } from './support/browser.ts';
import { buildDesk, citizen, storeResponses, type TestDesk } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { determined } from './support/linear-audit.ts';
import { calendar, type Figure, KEYS, periodId, type Published, readPublicPage, type Section } from './support/public-page.ts';
import { buildToken, buildUser } from './support/staff.ts';

const MIN = 5;

/**
 * Every figure the pages ever showed, as known values, and the withheld ones as unknowns; a group
 * absent from a period's section has no responses (0, known). Returns the withheld figures anyone can
 * solve for. Also checks that a period shows the same figures on every page and that every relation
 * whose members are all shown adds up, so the equations describe the data.
 */
function solveWithheld(pages: Published[]): string[] {
  const figures = new Map<string, Map<string, Figure>>();
  for (const page of pages) {
    for (const [id, figs] of page.periods) {
      const before = figures.get(id);
      if (before) expect(Object.fromEntries(figs), `${id} changed after it was published`).toEqual(Object.fromEntries(before));
      else figures.set(id, figs);
    }
  }
  const shown = new Set<string>();
  const values = new Map<string, number>();
  const withheld: string[] = [];
  for (const [id, figs] of figures) {
    for (const key of KEYS) {
      const f = figs.get(key);
      const cell = `${id}|${key}`;
      if (f === undefined) values.set(cell, 0);
      else if (f.n !== null) values.set(cell, f.n);
      else if (f.text.endsWith('Chưa có phiếu')) values.set(cell, 0);
      else withheld.push(cell);
      if (values.has(cell)) shown.add(cell);
    }
  }
  const relations = calendar({ late: false });
  for (const r of relations) {
    if (![r.total, ...r.parts].every((m) => values.has(m))) continue;
    expect(r.parts.reduce((a, p) => a + (values.get(p) ?? 0), 0), `${r.total} = ${r.parts.join(' + ')}`).toBe(values.get(r.total));
  }
  expect(withheld.length).toBeGreaterThan(0);
  return determined(relations, shown, withheld);
}

/** The first day of every month from February 2025 to January 2027: every closed period of 2025 and 2026 is shown on one of them. */
const FIRSTS = Array.from({ length: 24 }, (_, i) => {
  const index = 2025 * 12 + 1 + i;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
});

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let token: string;
  const desks: Record<'vinh' | 'anhSon' | 'hospital' | 'school', TestDesk> = {} as never;
  const rated: Record<string, Record<string, number>> = {};

  /** `satisfied` respondents rate everything 4, the rest rate the overall question 2; a comment nobody outside may read. */
  async function answers(desk: keyof typeof desks, field: string, day: string, n: number, satisfied = n): Promise<void> {
    const all = rated[desk] as Record<string, number>;
    const sets = [
      { copies: satisfied, ratings: all, comment: 'BÍ MẬT góp ý' },
      { copies: n - satisfied, ratings: { ...all, overall: 2 } },
    ].filter((s) => s.copies > 0);
    await storeResponses(t.db, desks[desk].id, field, day, sets);
  }

  async function page(query = ''): Promise<request.Response> {
    return request(t.app).get(`/cong-khai${query}`).expect(200);
  }

  async function on(day: string): Promise<Published> {
    t.clock.now = new Date(`${day}T03:00:00Z`);
    return readPublicPage((await page()).text);
  }

  beforeAll(async () => {
    t = await startTestApp(dialect, { MIN_RESPONSES: String(MIN), PUBLIC_MIN_RESPONSES: String(MIN) });
    token = await buildToken(t.db, await buildUser(t.db, 'admin', 'admin', null));
    desks.vinh = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', fields: ['dat-dai', 'xay-dung'] });
    desks.anhSon = await buildDesk(t.db, t.ready.secret, { unitCode: '17329', fields: ['tu-phap-ho-tich'] });
    desks.hospital = await buildDesk(t.db, t.ready.secret, { unitCode: 'benh-vien-huu-nghi-da-khoa-nghe-an', questionnaire: 'health', fields: ['y-te'] });
    desks.school = await buildDesk(t.db, t.ready.secret, { unitCode: 'truong-thpt-chuyen-phan-boi-chau', questionnaire: 'education', fields: ['giao-duc'] });
    for (const key of Object.keys(desks) as (keyof typeof desks)[]) {
      const form = (await request(t.app).get(desks[key].url).set(citizen())).text;
      rated[key] = Object.fromEntries([...new Set([...form.matchAll(/name="(\w+)" value="4"/g)].map((m) => m[1] as string))].map((name) => [name, 4]));
    }
    // Every month of 2025 and 2026 until November: six in each group, one of them dissatisfied ...
    for (const day of Array.from({ length: 23 }, (_, i) => `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-10`)) {
      const small = (group: string) =>
        (day.startsWith('2025-03') && group === 'hospital') || (day.startsWith('2026-09') && group === 'school') || (day.startsWith('2026-11') && group === 'commune');
      await answers('vinh', 'dat-dai', day, 6, 5);
      await answers('vinh', 'xay-dung', day, 6, 6);
      // ... except: 2 at the hospital in March 2025, 1 school respondent in September 2026, 2 at the commune in November 2026.
      await answers('anhSon', 'tu-phap-ho-tich', day, small('commune') ? 2 : 6, small('commune') ? 1 : 5);
      await answers('hospital', 'y-te', day, small('hospital') ? 2 : 6, small('hospital') ? 2 : 5);
      await answers('school', 'giao-duc', day, small('school') ? 1 : 6, small('school') ? 1 : 6);
    }
  }, 120_000);
  afterAll(() => t.close());

  it('shows the last complete month, quarter and year, says which, and may be kept for five minutes, in Vietnamese and English', async () => {
    t.clock.now = new Date('2026-12-04T03:00:00Z');
    const vi = await page();
    expect(vi.headers['cache-control']).toBe('public, max-age=300');
    expect(vi.headers['set-cookie']).toBeUndefined();
    expect(vi.text).toContain('<html lang="vi">');
    expect(vi.text).toContain('Số liệu các kỳ đã kết thúc: tháng 11/2026, quý III/2026, năm 2025.');
    expect(vi.text).toContain('Tháng 11/2026');
    expect(vi.text).toContain('từ ngày 01/07/2026 đến ngày 30/09/2026');
    expect(vi.text).toContain('từ ngày 01/01/2025 đến ngày 31/12/2025');
    expect(vi.text).not.toContain('Từ đầu năm');
    expect(readPublicPage(vi.text).shown).toEqual({ month: 'M:2026-11', quarter: 'Q:2026-3', year: 'Y:2025' });
    const en = await page('?lang=en');
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Figures for periods that have ended: month 11/2026, Q3 2026, year 2025.');
    const home = await request(t.app).get('/').expect(200);
    expect(home.text).toContain('href="/cong-khai"');
  });

  it('finding 9, within one page: the commune field with 2 respondents is not the procedures total minus the fields shown', async () => {
    const page = await on('2026-12-04');
    const month = page.periods.get('M:2026-11') as Map<string, Figure>;
    expect(month.get('field:tu-phap-ho-tich')?.text).toBe('Tư pháp - Hộ tịch Chưa đủ số phiếu');
    expect(month.get('kind:commune')?.text).toBe('Các xã Chưa đủ số phiếu');
    // From this page alone, the procedures total minus the fields (or kinds) shown beside it gives nothing back.
    expect(solveWithheld([page])).toEqual([]);
  });

  it('every day of a month shows the same figures: new answers, even one respondent on 2 December, change nothing until the month is over', async () => {
    /** Every number on the page with the group it belongs to, whatever the layout: what a reader would diff. */
    const numbers = (html: string) => [...html.matchAll(/data-(?:indicator|group)="([^"]+)"|<data value="([^"]+)">/g)].map((m) => m[1] ?? m[2]);
    t.clock.now = new Date('2026-12-01T03:00:00Z');
    const firstHtml = (await page()).text;
    for (let d = 1; d <= 8; d++) {
      const day = `2026-12-${String(d).padStart(2, '0')}`;
      t.clock.now = new Date(`${day}T03:00:00Z`);
      if (d === 2) await answers('school', 'giao-duc', day, 1);
      else await answers('vinh', 'dat-dai', day, 3, 2);
      t.clock.now = new Date(`${day}T16:00:00Z`);
      expect(numbers((await page()).text), day).toEqual(numbers(firstHtml));
    }
    const first = readPublicPage(firstHtml);
    expect(first.shown).toEqual({ month: 'M:2026-11', quarter: 'Q:2026-3', year: 'Y:2025' });
    expect(await on('2026-12-31')).toEqual(first);
    // In the new year the page moves on, to December, the fourth quarter and 2026.
    expect((await on('2027-01-01')).shown).toEqual({ month: 'M:2026-12', quarter: 'Q:2026-4', year: 'Y:2026' });
  }, 120_000);

  it('solving every figure ever shown (each first of the month, February 2025 to January 2027) for every withheld group finds none', async () => {
    const pages: Published[] = [];
    for (const day of FIRSTS) pages.push(await on(day));
    expect(solveWithheld(pages)).toEqual([]);
    const byId = new Map(pages.flatMap((p) => [...p.periods]));
    // The hospital's 2 in March 2025 is withheld in March, in the first quarter and in the year,
    // or the quarter minus January and February (the year minus the other quarters) would give it back.
    for (const id of ['M:2025-03', 'Q:2025-1', 'Y:2025']) expect(byId.get(id)?.get('kind:hospital')?.n, id).toBeNull();
    expect(byId.get('M:2025-01')?.get('kind:hospital')).toMatchObject({ n: 6 });
  }, 300_000);

  it('the public CSV (/cong-khai.csv) carries exactly the page\'s figures, so the same solving finds nothing in it either', async () => {
    for (const day of ['2025-04-01', '2026-10-01', '2026-12-04', '2027-01-01']) {
      const fromPage = await on(day);
      const res = await request(t.app).get('/cong-khai.csv').expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['set-cookie']).toBeUndefined();
      const rows = parse<Record<string, string>>(res.text.replace(/^\uFEFF/, ''), { columns: true });
      const fromCsv = new Map<string, Map<string, { value: number | null; n: number | null }>>();
      for (const r of rows) {
        const [y, m, d] = (r.period_from ?? '').split('-');
        const id = periodId(r.period as Section, `${d}/${m}/${y}`);
        const figs = fromCsv.get(id) ?? new Map<string, { value: number | null; n: number | null }>();
        const key = r.group_by === 'indicator' ? (r.group_code ?? '') : `${r.group_by}:${r.group_code}`;
        if (r.status !== 'published') expect([r.n, r.value], `${day} ${id} ${key}`).toEqual(['', '']);
        figs.set(key, { value: r.value === '' ? null : Number(r.value), n: r.n === '' ? null : Number(r.n) });
        fromCsv.set(id, figs);
      }
      const simple = (p: Map<string, Map<string, Pick<Figure, 'value' | 'n'>>>) =>
        Object.fromEntries([...p].map(([id, figs]) => [id, Object.fromEntries([...figs].map(([k, f]) => [k, { value: f.value, n: f.n }]))]));
      expect(simple(fromCsv), day).toEqual(simple(fromPage.periods));
    }
  });

  it('a group of one respondent never shows, on any page', async () => {
    for (const day of ['2026-10-01', '2026-11-01', '2026-12-01', '2027-01-01']) {
      const { periods } = await on(day);
      for (const [id, figs] of periods) {
        for (const [key, f] of figs) expect(f.n, `${day} ${id} ${key}`).not.toBe(1);
      }
    }
    const september = (await on('2026-10-01')).periods.get('M:2026-09') as Map<string, Figure>;
    expect(september.get('kind:school')?.text).toBe('Trường trung học phổ thông công lập Chưa đủ số phiếu');
    const third = (await on('2026-12-04')).periods.get('Q:2026-3') as Map<string, Figure>;
    expect(third.get('kind:school')?.n).toBeNull();
  }, 120_000);

  it('never shows a comment, a desk or anything below the kind of unit', async () => {
    t.clock.now = new Date('2026-12-04T03:00:00Z');
    const html = (await page()).text;
    expect(html).not.toContain('BÍ MẬT');
    expect(html).not.toMatch(/Quầy \d+/);
    expect(html).not.toContain('Phường Thành Vinh');
    expect(html).not.toContain('Xã Anh Sơn');
  });

  it('equals the API for the same closed period, indicator by indicator and for a field and a unit', async () => {
    const { periods } = await on('2026-12-04');
    const api = async (query: string) =>
      (await request(t.app).get(`/api/v1/indicators?${query}`).set('Authorization', `Bearer ${token}`).expect(200)).body.indicators as { code: string; value: number | null; n: number }[];
    for (const [id, range] of [['M:2026-11', 'from=2026-11-01&to=2026-11-30'], ['Q:2026-3', 'from=2026-07-01&to=2026-09-30'], ['Y:2025', 'from=2025-01-01&to=2025-12-31']] as const) {
      const figs = periods.get(id) as Map<string, Figure>;
      let compared = 0;
      for (const ind of await api(range)) {
        const shown = figs.get(ind.code);
        if (shown?.value === null || shown === undefined) continue;
        expect(shown).toMatchObject({ value: ind.value, n: ind.n });
        compared++;
      }
      for (const [key, query] of [['field:dat-dai', 'field=dat-dai'], ['kind:ward', 'unit=16681']] as const) {
        const shown = figs.get(key);
        if (shown?.value === null || shown === undefined) continue;
        const narrowed = (await api(`${range}&${query}`)).find((i) => i.code === 'tthc');
        expect(shown).toMatchObject({ value: narrowed?.value, n: narrowed?.n });
        compared++;
      }
      expect(compared, id).toBeGreaterThanOrEqual(2);
    }
  });

  it('in a browser at 360 px: nothing overflows and axe-core finds no serious violation', async () => {
    t.clock.now = new Date('2026-12-04T03:00:00Z');
    const server = await listen(t.app);
    const browser = await launchBrowser({ bypassCSP: true, width: 360 });
    try {
      const p = await browser.context.newPage();
      await p.goto(`${server.url}/cong-khai`);
      expect(await overflowsHorizontally(p)).toBe(false);
      expect(await seriousViolations(p)).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
  }, 30_000);
});
