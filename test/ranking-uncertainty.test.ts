/**
 * Issue 18, finding 8, on the real stack: the unit ranking fills a field with few answers from the
 * province's rate in that field (never from the unit's own mix), and orders units on an estimate
 * shrunk toward the province's rate, so a handful of satisfied citizens cannot put a unit above one
 * with thousands; the page says how the table is ordered. Every expected figure is worked by hand
 * below (k = 50 answers at the province's rate per field, analytics/standardise.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, storeResponses } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildUser, signIn } from './support/staff.ts';

const A = 'Phường Thành Vinh'; // 16681
const B = 'Phường Vinh Hưng'; // 17920
const C = 'Xã Anh Sơn'; // 17329

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  const answered = (satisfied: number, total: number) => [
    { copies: satisfied, ratings: { a: 5, b: 5, c: 5, d: 5, e: 5, overall: 5 } },
    { copies: total - satisfied, ratings: { a: 5, b: 5, c: 5, d: 5, e: 5, overall: 2 } },
  ];

  beforeAll(async () => {
    t = await startTestApp(dialect);
    t.clock.now = new Date('2025-08-20T03:00:00Z');
    const fields = ['dat-dai', 'tu-phap-ho-tich'];
    const a = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', fields });
    const b = await buildDesk(t.db, t.ready.secret, { unitCode: '17920', fields });
    const c = await buildDesk(t.db, t.ready.secret, { unitCode: '17329', fields });
    // 2025-Q1: A beats B in both fields (land 85 vs 80%, civil status 100 vs 92%) but has only 9 civil-status answers.
    await storeResponses(t.db, a.id, 'dat-dai', '2025-02-10', answered(170, 200));
    await storeResponses(t.db, a.id, 'tu-phap-ho-tich', '2025-02-11', answered(9, 9));
    await storeResponses(t.db, b.id, 'dat-dai', '2025-02-10', answered(300, 375));
    await storeResponses(t.db, b.id, 'tu-phap-ho-tich', '2025-02-11', answered(368, 400));
    await storeResponses(t.db, c.id, 'tu-phap-ho-tich', '2025-02-12', answered(200, 200));
    // 2025-Q2: A 30 of 30 satisfied, B 2,910 of 3,000, C 250 of 500, all civil status.
    await storeResponses(t.db, a.id, 'tu-phap-ho-tich', '2025-05-10', answered(30, 30));
    await storeResponses(t.db, b.id, 'tu-phap-ho-tich', '2025-05-10', answered(2910, 3000));
    await storeResponses(t.db, c.id, 'tu-phap-ho-tich', '2025-05-10', answered(250, 500));
    await buildUser(t.db, 'admin', 'admin', null);
  }, 180_000);
  afterAll(() => t?.close());

  const table = (html: string) => /<table class="data" id="ranking-commune">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const rows = (html: string) => [...table(html).matchAll(/<tr[^>]*>\s*<td>(\d+)<\/td><th scope="row">([^<]*)<\/th><td>[^<]*<\/td>\s*<td>([^<]*)<\/td>/g)].map((m) => [m[1], m[2], m[3]]);

  it('a unit better in both fields ranks above, though its easy field has 9 answers (was 85.3 below 86.2%)', async () => {
    const agent = await signIn(t.app, 'admin');
    const page = await agent.get('/dashboard?period=2025-Q1').expect(200);
    // The province: land 470/575 = 81.739%, civil status 577/609 = 94.745% -> weights 575/1,184 and 609/1,184.
    // The old rule gave A's 9 civil-status answers A's own pooled rate 179/209 = 85.65%:
    //   A = 0.48564·85 + 0.51436·85.65 = 85.3% < B = 0.48564·80 + 0.51436·92 = 86.2%.
    // Now each field is (satisfied + 50·province rate)/(answers + 50):
    //   A: land (170 + 40.870)/250 = 84.348%, civil status (9 + 47.373)/59 = 95.547% -> 0.48564·84.348 + 0.51436·95.547 = 90.1%
    //   B: land (300 + 40.870)/425 = 80.205%, civil status (368 + 47.373)/450 = 92.305% -> 0.48564·80.205 + 0.51436·92.305 = 86.4%
    //   C: civil status only, (200 + 47.373)/250 = 98.9%
    expect(rows(page.text)).toEqual([
      ['1', C, '98,9%'],
      ['2', A, '90,1%'],
      ['3', B, '86,4%'],
    ]);
  });

  it('30 of 30 satisfied does not rank above 2,910 of 3,000 (was 100 above 97.0%)', async () => {
    const agent = await signIn(t.app, 'admin');
    const page = await agent.get('/dashboard?period=2025-Q2').expect(200);
    // The province: 3,190 of 3,530 = 90.368%; 50 answers at that rate add 45.184 satisfied.
    //   B (2,910 + 45.184)/3,050 = 96.9%, A (30 + 45.184)/80 = 94.0%, C (250 + 45.184)/550 = 53.7%.
    expect(rows(page.text)).toEqual([
      ['1', B, '96,9%'],
      ['2', A, '94,0%'],
      ['3', C, '53,7%'],
    ]);
    // The measured rates are still shown as they are.
    expect(table(page.text)).toContain('<td>100,0%</td>');
  });

  it('says how the table is ordered, in Vietnamese and in English', async () => {
    const agent = await signIn(t.app, 'admin');
    const vi = await agent.get('/dashboard?period=2025-Q2').expect(200);
    expect(vi.text).toContain('Xếp theo mức hài lòng chung ước lượng: tỷ lệ của mỗi lĩnh vực đơn vị có tiếp nhận được tính như thể có thêm 50 phiếu theo đúng tỷ lệ của toàn tỉnh trong lĩnh vực đó');
    expect(vi.text).toContain('<th scope="col">Hài lòng chung ước lượng (để xếp hạng)</th>');
    const en = await agent.get('/dashboard?period=2025-Q2&lang=en').expect(200);
    expect(en.text).toContain('Ordered by estimated overall satisfaction: the rate of each service area the unit serves is taken as if the unit had 50 more responses there');
  });
});
