/**
 * Issue 11 on the real stack: the unit ranking standardised to the province's field mix, the table's
 * adjustment for many units named on the page, provisional verdicts while a period runs, the
 * number of responses that would settle an inconclusive verdict, elements nobody answered and
 * the "no opinion" share beside comprehensive satisfaction — on the dashboard and in the API.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, storeResponses } from './support/builders.ts';
import { buildToken, buildUser, signIn } from './support/staff.ts';
import { DIALECTS } from './support/dialects.ts';

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let token: string;

  // Every citizen rates criteria a-d 5 and says "no opinion" on e (feedback handling).
  const criteria = { a: 5, b: 5, c: 5, d: 5, e: null };
  const answered = (satisfied: number, total: number) => [
    { copies: satisfied, ratings: { ...criteria, overall: 5 } },
    { copies: total - satisfied, ratings: { ...criteria, overall: 2 } },
  ];

  beforeAll(async () => {
    t = await startTestApp(dialect);
    t.clock.now = new Date('2025-08-20T03:00:00Z');
    const fields = ['dat-dai', 'tu-phap-ho-tich'];
    // Commune X (16681) beats Y (17920) in both fields, but most of its citizens came about land.
    const x = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', fields });
    const y = await buildDesk(t.db, t.ready.secret, { unitCode: '17920', fields });
    await storeResponses(t.db, x.id, 'dat-dai', '2025-05-10', answered(160, 200)); // 80%
    await storeResponses(t.db, x.id, 'tu-phap-ho-tich', '2025-05-12', answered(97, 100)); // 97%
    await storeResponses(t.db, y.id, 'dat-dai', '2025-05-10', answered(39, 50)); // 78%
    await storeResponses(t.db, y.id, 'tu-phap-ho-tich', '2025-05-12', answered(380, 400)); // 95%
    await buildUser(t.db, 'admin', 'admin', null);
    token = await buildToken(t.db, await buildUser(t.db, 'api', 'admin', null));
  }, 60_000);
  afterAll(() => t.close());

  // Both wards are ranked among communes and wards (one section per kind of unit).
  const ranking = (html: string) => /<table class="data" id="ranking-commune">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const rowOf = (table: string, name: string) => new RegExp(`<tr>(?:(?!<tr>)[\\s\\S])*?${name}[\\s\\S]*?</tr>`).exec(table)?.[0] ?? '';

  describe('the unit ranking', () => {
    it('ranks X first on rates standardised to the province’s field mix, and shows both rates', async () => {
      const agent = await signIn(t.app, 'admin');
      const page = await agent.get('/dashboard?period=2025-Q2').expect(200);
      const table = ranking(page.text);
      const x = rowOf(table, 'Phường Thành Vinh');
      const y = rowOf(table, 'Phường Vinh Hưng');
      expect(x, 'row of X').not.toBe('');
      expect(y, 'row of Y').not.toBe('');
      // Province mix: land 250, civil status 500 answers -> X = 80/3 + 97·2/3 = 91.3%, Y = 78/3 + 95·2/3 = 89.3%;
      // the column is the ranking's estimate, each field with 50 answers at the province's rate added (issue 18):
      // land 199/250, civil status 477/500 -> X = (160 + 39.8)/250/3 + (97 + 47.7)/150·2/3 = 90.95%,
      // Y = (39 + 39.8)/100/3 + (380 + 47.7)/450·2/3 = 89.6%.
      expect(x).toContain('<td>91,0%</td>');
      expect(x).toContain('<td>85,7%</td>');
      expect(y).toContain('<td>89,6%</td>');
      expect(y).toContain('<td>93,1%</td>');
      expect(table.indexOf('Phường Thành Vinh')).toBeLessThan(table.indexOf('Phường Vinh Hưng'));
    });

    it('names the adjustment for comparing many units, and is not provisional for a past quarter', async () => {
      const agent = await signIn(t.app, 'admin');
      const page = await agent.get('/dashboard?period=2025-Q2').expect(200);
      expect(page.text).toContain('Khi so sánh nhiều đơn vị cùng lúc, kết luận đạt / chưa đạt trong mỗi bảng đã được điều chỉnh để tránh báo nhầm.');
      expect(page.text).not.toContain('Benjamini');
      expect(page.text).not.toContain('class="badge"');
      const en = await agent.get('/dashboard?period=2025-Q2&lang=en').expect(200);
      expect(en.text).toContain('When many units are compared at once, the met / not met verdicts in each table are adjusted to avoid false alarms.');
    });
  });

  describe('verdicts while the period runs', () => {
    it('the API: the same answers are "met" for the ended quarter and provisionally inconclusive for the running year', async () => {
      const get = async (query: string) => {
        const res = await request(t.app).get(`/api/v1/indicators?${query}`).set('Authorization', `Bearer ${token}`).expect(200);
        return (res.body.indicators as Record<string, unknown>[]).find((i) => i.code === 'tthc') ?? {};
      };
      // 676 of 750 satisfied = 90.13% against "above 87%".
      const quarter = await get('period=2025-Q2');
      expect(quarter).toMatchObject({ n: 750, verdict: 'met', provisional: false, confidence: 95, n_eff: 750, more_responses: null });
      const year = await get('period=year');
      expect(year).toMatchObject({ n: 750, verdict: 'inconclusive', provisional: true, confidence: 99.9 });
      // The 99.9% lower bound is 85.96% (Wilson's: the exact one is higher, and the union keeps the lower);
      // n_eff must exceed 3.2905² × 0.87 × 0.13 / (676/750 − 0.87)² = 1247.3: 498 more.
      expect(year.verdict_ci_low as number).toBeCloseTo(85.96, 2);
      // The 95% lower bound is the exact one, 87.77% (Wilson's was 87.79%).
      expect(year.ci_low as number).toBeCloseTo(87.77, 2);
      const needed = Math.floor((3.2905267314919255 ** 2 * 0.87 * 0.13) / (676 / 750 - 0.87) ** 2) + 1;
      expect(year.more_responses).toBe(needed - 750);
      expect(needed - 750).toBe(498);
    });

    it('the cards say "Tạm tính" and how many more responses would settle it', async () => {
      const agent = await signIn(t.app, 'admin');
      const page = await agent.get('/dashboard?period=year').expect(200);
      const card = /data-indicator="tthc">([\s\S]*?)<\/li>/.exec(page.text)?.[1] ?? '';
      expect(card).toContain('Tạm tính');
      // The upper bound is the exact one (93.4%; Wilson's 93.2%).
      expect(card).toContain('Khoảng tin cậy 99,9% (để kết luận tạm tính): 86,0–93,4%');
      expect(page.text).toContain('Kỳ báo cáo chưa kết thúc, hoặc nằm trong năm đang diễn ra mà không phải trọn một tháng hay một quý đã qua, nên các kết luận là tạm tính');
      // Said as people say an estimate: 498 to two significant figures.
      expect(card).toContain('cần thêm khoảng 500 phiếu nữa mới kết luận được là đạt chỉ tiêu');
    });
  });

  describe('what the index leaves out', () => {
    it('flags element E by its name, which everyone left at "no opinion", and shows the "no opinion" share beside comprehensive satisfaction', async () => {
      const agent = await signIn(t.app, 'admin');
      const page = await agent.get('/dashboard?period=2025-Q2').expect(200);
      const card = /data-indicator="sipas">([\s\S]*?)<\/li>/.exec(page.text)?.[1] ?? '';
      // The questionnaire by its title (its two versions share it), never by its code.
      expect(card).toContain('Yếu tố “Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị” (Đánh giá sự hài lòng về giải quyết thủ tục hành chính — phiên bản 2) chưa có ai đánh giá, chỉ có &#34;Không ý kiến&#34;');
      expect(page.text).toContain('&#34;Không ý kiến&#34; chiếm 20,0% câu trả lời các tiêu chí');
      const res = await request(t.app).get('/api/v1/indicators?period=2025-Q2').set('Authorization', `Bearer ${token}`).expect(200);
      const sipas = (res.body.indicators as { code: string; missing_elements: unknown }[]).find((i) => i.code === 'sipas');
      expect(sipas?.missing_elements).toEqual([{ questionnaire: 'tthc-short', version: 2, elements: ['E'] }]);
    });
  });
});
