/**
 * /cong-khai as a citizen sees it: no login, cacheable, the API's numbers, no comments or desks,
 * and no group under MIN_RESPONSES, shown or worked out from what is shown beside it.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { launchBrowser, listen, overflowsHorizontally, seriousViolations } from './support/browser.ts';
import { buildDesk, citizen, formTokenOf, type TestDesk } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildToken, buildUser } from './support/staff.ts';

const MIN = 5;

interface Figure {
  /** Percentage 0..100 as published, or null when withheld. */
  value: number | null;
  n: number | null;
  text: string;
}

/** The figures of one period's section, by indicator code and by group ("kind:ward", "field:dat-dai"). */
function figures(html: string, period: 'quarter' | 'year'): Map<string, Figure> {
  const section = new RegExp(`<section class="disclosure" aria-labelledby="period-${period}">([\\s\\S]*?)</section>`).exec(html)?.[1] ?? '';
  const found = new Map<string, Figure>();
  for (const [, key, body] of section.matchAll(/<li class="[^"]*" data-(?:indicator|group)="([^"]+)">([\s\S]*?)<\/li>/g)) {
    const numbers = [...(body ?? '').matchAll(/<data value="([^"]+)">/g)].map((m) => Number(m[1]));
    found.set(key ?? '', { value: numbers[0] ?? null, n: numbers[1] ?? null, text: (body ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() });
  }
  return found;
}

/** Which groups each indicator is the sum of, in this test's data. */
const MEMBERS: Record<string, string[]> = {
  tthc: ['kind:ward', 'kind:commune', 'field:dat-dai', 'field:xay-dung', 'field:tu-phap-ho-tich'],
  sipas: ['kind:ward', 'kind:commune', 'field:dat-dai', 'field:xay-dung', 'field:tu-phap-ho-tich'],
  tthc_land_construction_investment: ['kind:ward', 'field:dat-dai', 'field:xay-dung'],
  health_education: ['kind:hospital', 'kind:school', 'field:y-te', 'field:giao-duc'],
};

/**
 * What a reader could work out by subtracting what is shown: an indicator minus the groups shown
 * beside it, and the year so far minus this quarter. None of it may be a group under MIN.
 */
function derivableSmallGroups(quarter: Map<string, Figure>, year: Map<string, Figure>): string[] {
  const small = (n: number) => n > 0 && n < MIN;
  const leaks: string[] = [];
  for (const [label, figs] of [['quarter', quarter], ['year', year]] as const) {
    for (const [code, members] of Object.entries(MEMBERS)) {
      const total = figs.get(code)?.n;
      if (total === null || total === undefined) continue;
      for (const table of ['kind:', 'field:']) {
        const shown = members.filter((m) => m.startsWith(table)).reduce((a, m) => a + (figs.get(m)?.n ?? 0), 0);
        if (small(total - shown)) leaks.push(`${label} ${code} − shown ${table} groups = ${total - shown}`);
      }
    }
  }
  for (const [key, y] of year) {
    const q = quarter.get(key);
    const before = (y.n ?? 0) - (q?.n ?? 0);
    if (y.n !== null && (q === undefined || q.n !== null) && small(before)) leaks.push(`${key}: year − quarter = ${before}`);
  }
  return leaks;
}

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let token: string;
  const desks: Record<string, TestDesk> = {};

  /** Every rating answered 4 (the overall question too), one field, a comment nobody outside may read. */
  async function submit(desk: TestDesk, field: string | null, times: number): Promise<void> {
    for (let i = 0; i < times; i++) {
      const who = citizen();
      const form = (await request(t.app).get(desk.url).set(who)).text;
      const ratings = [...new Set([...form.matchAll(/name="(\w+)" value="4"/g)].map((m) => m[1] as string))];
      const answers: Record<string, string> = Object.fromEntries(ratings.map((name) => [name, '4']));
      if (field) answers.field = field;
      await request(t.app).post(desk.url).set(who).type('form').send({ ft: formTokenOf(form), ...answers, comment: `BÍ MẬT góp ý ${i}` }).expect(303);
    }
  }

  async function page(query = ''): Promise<request.Response> {
    return request(t.app).get(`/cong-khai${query}`).expect(200);
  }

  beforeAll(async () => {
    t = await startTestApp(dialect, { MIN_RESPONSES: String(MIN) });
    token = await buildToken(t.db, await buildUser(t.db, 'admin', 'admin', null));
    desks.vinh = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', fields: ['dat-dai', 'xay-dung'] });
    desks.anhSon = await buildDesk(t.db, t.ready.secret, { unitCode: '17329', fields: ['tu-phap-ho-tich'] });
    desks.hospital = await buildDesk(t.db, t.ready.secret, { unitCode: 'benh-vien-huu-nghi-da-khoa-nghe-an', questionnaire: 'health', fields: ['y-te'] });
    desks.school = await buildDesk(t.db, t.ready.secret, { unitCode: 'truong-thpt-chuyen-phan-boi-chau', questionnaire: 'education', fields: ['giao-duc'] });
    // The first quarter: this quarter is the year so far.
    t.clock.now = new Date('2025-03-10T03:00:00Z');
    await submit(desks.vinh, 'dat-dai', 8);
    await submit(desks.vinh, 'xay-dung', 6);
    await submit(desks.anhSon, null, 7);
    await submit(desks.hospital, null, 2);
    await submit(desks.school, null, 7);
  }, 60_000);
  afterAll(() => t.close());

  it('answers without a session, sets no cookie and may be kept for five minutes, in Vietnamese and English', async () => {
    const vi = await page();
    expect(vi.headers['cache-control']).toBe('public, max-age=300');
    expect(vi.headers['set-cookie']).toBeUndefined();
    expect(vi.text).toContain('<html lang="vi">');
    expect(vi.text).toContain('Quý 1/2025');
    expect(vi.text).toContain('Từ đầu năm 2025');
    const en = await page('?lang=en');
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Since the start of 2025');
    const home = await request(t.app).get('/').expect(200);
    expect(home.text).toContain('href="/cong-khai"');
  });

  it('shows a group with too few respondents as "Chưa đủ số phiếu", and withholds the one that would give it back', async () => {
    const html = (await page()).text;
    for (const period of ['quarter', 'year'] as const) {
      const figs = figures(html, period);
      // Hospitals 2 and health 2 are under 5; the health and education indicator (9) minus schools (7) would give them back.
      expect(figs.get('kind:hospital')).toEqual({ value: null, n: null, text: 'Bệnh viện công lập Chưa đủ số phiếu' });
      expect(figs.get('field:y-te')).toEqual({ value: null, n: null, text: 'Y tế Chưa đủ số phiếu' });
      expect(figs.get('kind:school')).toEqual({ value: null, n: null, text: 'Trường trung học phổ thông công lập Không công bố riêng (*)' });
      expect(figs.get('field:giao-duc')).toEqual({ value: null, n: null, text: 'Giáo dục Không công bố riêng (*)' });
      expect(figs.get('health_education')?.n).toBe(9);
      expect(figs.get('kind:ward')).toMatchObject({ value: 100, n: 14 });
      expect(figs.get('kind:commune')).toMatchObject({ value: 100, n: 7 });
      expect(figs.get('field:xay-dung')).toMatchObject({ value: 100, n: 6 });
      expect(figs.get('tthc')).toMatchObject({ value: 100, n: 21 });
    }
    expect(html).toContain('(*) Nhóm này đủ số phiếu nhưng không công bố riêng');
    expect(derivableSmallGroups(figures(html, 'quarter'), figures(html, 'year'))).toEqual([]);
  });

  it('never shows a comment, a desk or anything below the kind of unit', async () => {
    const html = (await page()).text;
    expect(html).not.toContain('BÍ MẬT');
    expect(html).not.toMatch(/Quầy \d+/);
    expect(html).not.toContain('Phường Thành Vinh');
    expect(html).not.toContain('Xã Anh Sơn');
  });

  it('later in the year: nothing small can be worked out from the quarter and the year so far either', async () => {
    t.clock.now = new Date('2025-05-20T03:00:00Z');
    await submit(desks.vinh as TestDesk, 'dat-dai', 9);
    await submit(desks.vinh as TestDesk, 'xay-dung', 3);
    await submit(desks.school as TestDesk, null, 12);
    const html = (await page()).text;
    const quarter = figures(html, 'quarter');
    const year = figures(html, 'year');
    // This quarter construction has 3 (too few); land's 9 beside the land, construction and
    // investment indicator's 12 would give them back, so land is withheld too.
    expect(quarter.get('field:xay-dung')?.text).toBe('Xây dựng Chưa đủ số phiếu');
    expect(quarter.get('field:dat-dai')?.text).toBe('Đất đai Không công bố riêng (*)');
    expect(quarter.get('tthc_land_construction_investment')?.n).toBe(12);
    // The year so far has enough of both.
    expect(year.get('field:dat-dai')?.n).toBe(17);
    expect(year.get('field:xay-dung')?.n).toBe(9);
    expect(derivableSmallGroups(quarter, year)).toEqual([]);
  });

  it('equals the API for the same period, indicator by indicator and for a field and a unit', async () => {
    const html = (await page()).text;
    const api = async (query: string) =>
      (await request(t.app).get(`/api/v1/indicators?${query}`).set('Authorization', `Bearer ${token}`).expect(200)).body.indicators as { code: string; value: number | null; n: number }[];
    for (const period of ['quarter', 'year'] as const) {
      const figs = figures(html, period);
      let compared = 0;
      for (const ind of await api(`period=${period}`)) {
        const shown = figs.get(ind.code);
        if (shown?.value === null || shown === undefined) continue;
        expect(shown).toMatchObject({ value: ind.value, n: ind.n });
        compared++;
      }
      expect(compared).toBeGreaterThanOrEqual(3);
      // Every group shown equals the API narrowed to it (a field; the one ward).
      for (const [key, query] of [['field:dat-dai', 'field=dat-dai'], ['field:xay-dung', 'field=xay-dung'], ['kind:ward', 'unit=16681']] as const) {
        const shown = figs.get(key);
        if (shown?.value === null || shown === undefined) continue;
        const narrowed = (await api(`period=${period}&${query}`)).find((i) => i.code === 'tthc');
        expect(shown).toMatchObject({ value: narrowed?.value, n: narrowed?.n });
        compared++;
      }
      expect(compared).toBeGreaterThanOrEqual(4);
    }
  });

  it('in a browser at 360 px: nothing overflows and axe-core finds no serious violation', async () => {
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
