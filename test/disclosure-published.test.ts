/**
 * /cong-khai's figures are fixed once published (issue 18, item 6): a paper form typed in after a month
 * was first shown, dated inside that month, changes the staff figures and the API, never the public
 * page or its CSV; and a later quarter that counts it must not give that late respondent back by
 * subtracting the months already published.
 *
 * Without the stored publications (db/queries/published-figures.ts) the second day's page would show
 * October with 7 commune respondents instead of 6: the first test fails, and the audit below solves
 * the late respondent as the fourth quarter minus its published months.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, citizen, storeResponses, type TestDesk } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { determined } from './support/linear-audit.ts';
import { calendar, type Figure, KEYS, readPublicPage } from './support/public-page.ts';
import { buildToken, buildUser, signIn } from './support/staff.ts';

const MIN = 5;

/** The page's period sections exactly as sent (no nonce or token in them). */
const sections = (html: string) => [...html.matchAll(/<section class="disclosure"[\s\S]*?<\/section>/g)].map((m) => m[0]);

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let token: string;
  const desks: Record<'vinh' | 'anhSon' | 'hospital' | 'school', TestDesk> = {} as never;
  const rated: Record<string, Record<string, number>> = {};
  /** Every page shown, in order. */
  const pages: string[] = [];

  async function answers(desk: keyof typeof desks, field: string, day: string, n: number, satisfied = n): Promise<void> {
    const all = rated[desk] as Record<string, number>;
    const sets = [
      { copies: satisfied, ratings: all },
      { copies: n - satisfied, ratings: { ...all, overall: 2 } },
    ].filter((s) => s.copies > 0);
    await storeResponses(t.db, desks[desk].id, field, day, sets);
  }

  async function on(day: string, query = ''): Promise<{ html: string; csv: string }> {
    t.clock.now = new Date(`${day}T03:00:00Z`);
    const page = await request(t.app).get(`/cong-khai${query}`).expect(200);
    expect(page.headers['cache-control']).toBe('public, max-age=300');
    const csv = await request(t.app).get('/cong-khai.csv').expect(200);
    if (query === '') pages.push(page.text);
    return { html: page.text, csv: csv.text };
  }

  async function api(query: string): Promise<{ code: string; value: number | null; n: number }[]> {
    return (await request(t.app).get(`/api/v1/indicators?${query}`).set('Authorization', `Bearer ${token}`).expect(200)).body.indicators as { code: string; value: number | null; n: number }[];
  }

  beforeAll(async () => {
    t = await startTestApp(dialect, { MIN_RESPONSES: String(MIN), PUBLIC_MIN_RESPONSES: String(MIN) });
    token = await buildToken(t.db, await buildUser(t.db, 'admin', 'admin', null));
    await buildUser(t.db, 'nhap.phieu', 'viewer', '17329');
    await t.db.updateTable('users').set({ paper_entry: 1 }).where('username', '=', 'nhap.phieu').execute();
    desks.vinh = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', fields: ['dat-dai', 'xay-dung'] });
    desks.anhSon = await buildDesk(t.db, t.ready.secret, { unitCode: '17329', fields: ['tu-phap-ho-tich'] });
    desks.hospital = await buildDesk(t.db, t.ready.secret, { unitCode: 'benh-vien-huu-nghi-da-khoa-nghe-an', questionnaire: 'health', fields: ['y-te'] });
    desks.school = await buildDesk(t.db, t.ready.secret, { unitCode: 'truong-thpt-chuyen-phan-boi-chau', questionnaire: 'education', fields: ['giao-duc'] });
    for (const key of Object.keys(desks) as (keyof typeof desks)[]) {
      const form = (await request(t.app).get(desks[key].url).set(citizen())).text;
      rated[key] = Object.fromEntries([...new Set([...form.matchAll(/name="(\w+)" value="4"/g)].map((m) => m[1] as string))].map((name) => [name, 4]));
    }
    // Six in every group, one of them dissatisfied, every month from July to December 2026.
    for (const month of ['07', '08', '09', '10', '11', '12']) {
      const day = `2026-${month}-10`;
      await answers('vinh', 'dat-dai', day, 6, 5);
      await answers('vinh', 'xay-dung', day, 6, 6);
      await answers('anhSon', 'tu-phap-ho-tich', day, 6, 5);
      await answers('hospital', 'y-te', day, 6, 5);
      await answers('school', 'giao-duc', day, 6, 6);
    }
  }, 120_000);
  afterAll(() => t.close());

  it('a paper form typed in after October was published, dated 15 October, changes the API but not the page or the CSV', async () => {
    const first = await on('2026-11-05');
    const october = readPublicPage(first.html).periods.get('M:2026-10') as Map<string, Figure>;
    expect(october.get('kind:commune')).toMatchObject({ n: 6 });
    expect(october.get('tthc')).toMatchObject({ n: 18 });
    expect(first.html).toContain('Số liệu công bố ngày 05/11/2026, không thay đổi sau khi công bố.');
    const english = await on('2026-11-05', '?lang=en');
    expect(english.html).toContain('Figures published on 05/11/2026; they do not change once published.');
    expect(first.html).toContain('Phiếu giấy nhập muộn, phiếu được duyệt sau khi số liệu một kỳ đã công bố không làm thay đổi số liệu đó; các phiếu này chỉ được tính vào quý, năm chưa công bố.');
    const apiBefore = await api('from=2026-10-01&to=2026-10-31');
    expect(apiBefore.find((i) => i.code === 'tthc')).toMatchObject({ n: 18, value: october.get('tthc')?.value });

    // The next day, a clerk types in a paper form filled in at the commune on 15 October.
    t.clock.now = new Date('2026-11-06T02:00:00Z');
    const clerk = await t.staff('nhap.phieu');
    const entry = `/paper/entry?desk=${desks.anhSon.id}&day=15/10/2026`;
    const form = await clerk.page(entry);
    const count = /name="count" value="(\d+)"/.exec(form.text)?.[1] ?? '0';
    await form
      .post('/paper/entry', { desk: String(desks.anhSon.id), day: '15/10/2026', count, paper_number: '0042', field: 'tu-phap-ho-tich', a: '2', b: '2', c: '2', d: '2', e: '2', overall: '2' })
      .expect(303);
    // Dated more than 14 days before it was typed in, it waits for review; an administrator keeps it.
    expect((await api('from=2026-10-01&to=2026-10-31')).find((i) => i.code === 'tthc')).toMatchObject({ n: 18 });
    const admin = await signIn(t.app, 'admin');
    const queue = await admin.get('/admin/review').expect(200);
    const group = [...queue.text.matchAll(/<form[\s\S]*?<\/form>/g)].map((m) => m[0]).find((f) => f.includes(`name="desk" value="${desks.anhSon.id}"`) && f.includes('name="selection" value="group"'));
    expect(group).toBeDefined();
    const hidden = Object.fromEntries([...(group ?? '').matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
    await admin.post('/admin/review').type('form').send({ ...hidden, decision: 'keep' }).expect(303);

    // Staff and the API count it at once ...
    const apiAfter = await api('from=2026-10-01&to=2026-10-31');
    expect(apiAfter.find((i) => i.code === 'tthc')).toMatchObject({ n: 19 });
    expect((await api('from=2026-10-01&to=2026-10-31&unit=17329')).find((i) => i.code === 'tthc')).toMatchObject({ n: 7 });
    // ... the public page and its CSV, every day, show October as first published, with the same date.
    for (const day of ['2026-11-06', '2026-11-07', '2026-11-30']) {
      const later = await on(day);
      expect(sections(later.html), day).toEqual(sections(first.html));
      expect(later.csv, day).toBe(first.csv);
      expect(later.html).toContain('Số liệu công bố ngày 05/11/2026, không thay đổi sau khi công bố.');
    }
    expect(await t.db.selectFrom('published_figures').select(['period_id', 'published_at']).orderBy('period_id').execute()).toEqual([
      { period_id: 'M:2026-10', published_at: '2026-11-05T03:00:00.000Z' },
      { period_id: 'Q:2026-3', published_at: '2026-11-05T03:00:00.000Z' },
      { period_id: 'Y:2025', published_at: '2026-11-05T03:00:00.000Z' },
    ]);
  });

  it('two app servers publishing the same period at once show the same figures (the first one stored wins)', async () => {
    t.clock.now = new Date('2026-12-01T03:00:00Z');
    const [a, b] = await Promise.all([request(t.app).get('/cong-khai').expect(200), request(t.app).get('/cong-khai.csv').expect(200)]);
    pages.push(a.text);
    const again = await on('2026-12-01');
    expect(sections(again.html)).toEqual(sections(a.text));
    expect(again.csv).toBe(b.text);
    expect(again.html).toContain('Số liệu công bố ngày 01/12/2026, không thay đổi sau khi công bố.');
    const rows = await t.db.selectFrom('published_figures').select('period_id').where('period_id', '=', 'M:2026-11').execute();
    expect(rows).toHaveLength(1);
  });

  it('solving every page shown, day after day, for the withheld groups and the late respondent finds none; the quarter that counts the late form withholds it', async () => {
    await on('2026-12-15');
    const january = await on('2027-01-01');
    await on('2027-01-02');
    const figures = new Map<string, Map<string, Figure>>();
    for (const html of pages) {
      for (const [id, figs] of readPublicPage(html).periods) {
        const before = figures.get(id);
        if (before) expect(Object.fromEntries(figs), `${id} changed after it was published`).toEqual(Object.fromEntries(before));
        else figures.set(id, figs);
      }
    }
    expect([...figures.keys()].sort()).toEqual(['M:2026-10', 'M:2026-11', 'M:2026-12', 'Q:2026-3', 'Q:2026-4', 'Y:2025', 'Y:2026']);
    const shown = new Set<string>();
    const withheld: string[] = [];
    for (const [id, figs] of figures) {
      for (const key of KEYS) {
        const f = figs.get(key);
        const cell = `${id}|${key}`;
        if (f === undefined || f.n !== null || f.text.endsWith('Chưa có phiếu')) shown.add(cell);
        else withheld.push(cell);
      }
    }
    // The late form counts in the fourth quarter, not in October as published: the commune, its field, the procedures' indicators, everyone.
    const late = ['kind:commune', 'field:tu-phap-ho-tich', 'tthc', 'sipas', 'all'].map((k) => `late:Q:2026-4|${k}`);
    expect(withheld.length).toBeGreaterThan(0);
    expect(determined(calendar({ late: true }), shown, [...withheld, ...late])).toEqual([]);
    const quarter = readPublicPage(january.html).periods.get('Q:2026-4') as Map<string, Figure>;
    // 19 at the commune, over 5 respondents, yet withheld: shown, it would be the published months plus one.
    expect(quarter.get('kind:commune')?.text).toBe('Các xã Không công bố riêng (*)');
  }, 120_000);
});
