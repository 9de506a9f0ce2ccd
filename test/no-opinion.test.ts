/**
 * Issue 18, item 7 on the real stack: beside every composite (the SIPAS index, the item rate) the
 * API, the indicators CSV, the dashboard's cards and the printable report show the share of
 * criterion answers "Không ý kiến" and the value if all of them were dissatisfied; when the verdict
 * is "met" but that value is not above the target, they say so in words. Hand-computed figures:
 *
 * November 2026 (final, 95%), desk at commune 16681 (tthc-short: criteria a..e, one per element A..E):
 *   220 respondents all 5: score 1, worst case 1
 *    20 with a = 2, the rest 5: score 0.8, worst case 0.8
 *   160 with d, e "Không ý kiến", the rest 5: score 1, worst case (3 of 5 elements) 0.6
 *   SIPAS index (220 + 16 + 160) / 400 = 99.0%, met against "above 90%"; no-opinion 320 / 2,000 = 16.0%;
 *   worst case (220 + 16 + 96) / 400 = 83.0% — not above 90%: the warning.
 * November 2026, a hospital desk (health: 10 criteria):
 *   120 all 5 (10 satisfied), 30 with a1 = 2 (9), 150 with d1, d2, e1, e3 "Không ý kiến" (6 satisfied, 4 none)
 *   item rate 2,370 / 2,400 = 98.75%, met against "above 85%"; no-opinion 600 / 3,000 = 20.0%;
 *   worst case 2,370 / 3,000 = 79.0% — the warning.
 * October 2026, the same commune desk: 360 all 5, 20 with a = 2, 20 with e "Không ý kiến":
 *   SIPAS (360 + 16 + 20) / 400 = 99.0%; no-opinion 20 / 2,000 = 1.0%; worst case (360 + 16 + 16) / 400
 *   = 98.0%, above 90%: no warning. No health responses: null figures.
 */
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, storeResponses } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildToken, buildUser, signIn } from './support/staff.ts';

type Row = Record<string, string>;

const NOVEMBER = 'from=2026-11-01&to=2026-11-30';
const OCTOBER = 'from=2026-10-01&to=2026-10-31';
const HOSPITAL = 'benh-vien-huu-nghi-da-khoa-nghe-an';

const SIPAS_LINE = '«Không ý kiến» chiếm 16,0% câu trả lời các tiêu chí. Nếu coi tất cả là không hài lòng, chỉ số còn 83,0%.';
const SIPAS_WARNING =
  'Lưu ý: nếu mọi câu trả lời «Không ý kiến» đều là không hài lòng thì chỉ số chỉ còn 83,0%, không vượt chỉ tiêu 90%. Kết luận «Đạt chỉ tiêu» phụ thuộc vào các câu trả lời này.';
const HEALTH_LINE = '«Không ý kiến» chiếm 20,0% câu trả lời các tiêu chí. Nếu coi tất cả là không hài lòng, tỷ lệ còn 79,0%.';
const HEALTH_WARNING =
  'Lưu ý: nếu mọi câu trả lời «Không ý kiến» đều là không hài lòng thì tỷ lệ chỉ còn 79,0%, không vượt chỉ tiêu 85%. Kết luận «Đạt chỉ tiêu» phụ thuộc vào các câu trả lời này.';
const WARNING_START = 'Lưu ý: nếu mọi câu trả lời «Không ý kiến»';

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    t.clock.now = new Date('2026-12-04T03:00:00Z');
    const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', fields: ['dat-dai'] });
    const all5 = { a: 5, b: 5, c: 5, d: 5, e: 5, overall: 5 };
    await storeResponses(t.db, desk.id, 'dat-dai', '2026-11-20', [
      { copies: 220, ratings: all5 },
      { copies: 20, ratings: { ...all5, a: 2 } },
      { copies: 160, ratings: { ...all5, d: null, e: null } },
    ]);
    await storeResponses(t.db, desk.id, 'dat-dai', '2026-10-15', [
      { copies: 360, ratings: all5 },
      { copies: 20, ratings: { ...all5, a: 2 } },
      { copies: 20, ratings: { ...all5, e: null } },
    ]);
    const ward = await buildDesk(t.db, t.ready.secret, { unitCode: HOSPITAL, fields: ['y-te'], questionnaire: 'health' });
    const health = { a1: 5, a2: 5, b1: 5, b2: 5, c1: 5, c2: 5, d1: 5, d2: 5, e1: 5, e3: 5, overall: 5 };
    await storeResponses(t.db, ward.id, 'y-te', '2026-11-18', [
      { copies: 120, ratings: health },
      { copies: 30, ratings: { ...health, a1: 2 } },
      { copies: 150, ratings: { ...health, d1: null, d2: null, e1: null, e3: null } },
    ]);
    await buildUser(t.db, 'admin', 'admin', null);
    token = await buildToken(t.db, await buildUser(t.db, 'api', 'admin', null));
  }, 120_000);
  afterAll(() => t?.close());

  async function api(query: string): Promise<Record<string, Record<string, unknown>>> {
    const res = await request(t.app).get(`/api/v1/indicators?${query}`).set('Authorization', `Bearer ${token}`).expect(200);
    return Object.fromEntries((res.body.indicators as Record<string, unknown>[]).map((i) => [String(i.code), i]));
  }

  async function csv(query: string): Promise<Row[]> {
    const res = await request(t.app).get(`/export/indicators.csv?${query}&group=unit`).set('Authorization', `Bearer ${token}`).expect(200);
    return parse<Row>(res.text, { bom: true, columns: true });
  }

  const card = (page: string, code: string) => new RegExp(`data-indicator="${code}">([\\s\\S]*?)</li>`).exec(page)?.[1] ?? '';
  const reportCard = (page: string, name: string) => new RegExp(`<h3 class="report-card__name">${name}</h3>([\\s\\S]*?)</li>`).exec(page)?.[1] ?? '';

  it('the API gives each composite its no-opinion share and its value if "Không ý kiến" were dissatisfied, null for the overall rate', async () => {
    const got = await api(NOVEMBER);
    expect(got.sipas).toMatchObject({ verdict: 'met', n: 400, met_rests_on_no_opinion: true });
    expect(got.sipas?.value).toBeCloseTo(99, 9);
    expect(got.sipas?.no_opinion_share).toBeCloseTo(16, 9);
    expect(got.sipas?.value_if_no_opinion_dissatisfied).toBeCloseTo(83, 9);
    expect(got.health_education).toMatchObject({ verdict: 'met', n: 300, met_rests_on_no_opinion: true });
    expect(got.health_education?.value).toBeCloseTo(98.75, 9);
    expect(got.health_education?.no_opinion_share).toBeCloseTo(20, 9);
    expect(got.health_education?.value_if_no_opinion_dissatisfied).toBeCloseTo(79, 9);
    expect(got.tthc).toMatchObject({ no_opinion_share: null, value_if_no_opinion_dissatisfied: null, met_rests_on_no_opinion: false });
  });

  it('the indicators CSV appends the same figures and the warning in words, after the columns templates already read', async () => {
    const rows = await csv(NOVEMBER);
    const header = Object.keys(rows[0] ?? {});
    // Issue 20 appended nine dossier columns after them (test/dossier-surfaces.test.ts).
    expect(header.slice(-14, -9)).toEqual(['provisional', 'confidence', 'no_opinion_share', 'value_if_no_opinion_dissatisfied', 'no_opinion_warning']);
    const sipas = rows.find((r) => r.group_code === '16681' && r.indicator_code === 'sipas');
    expect(sipas).toMatchObject({ verdict: 'met', no_opinion_warning: SIPAS_WARNING });
    expect(Number(sipas?.no_opinion_share)).toBeCloseTo(16, 9);
    expect(Number(sipas?.value_if_no_opinion_dissatisfied)).toBeCloseTo(83, 9);
    const health = rows.find((r) => r.indicator_code === 'health_education' && r.n === '300');
    expect(health).toMatchObject({ verdict: 'met', no_opinion_warning: HEALTH_WARNING });
    expect(Number(health?.value_if_no_opinion_dissatisfied)).toBeCloseTo(79, 9);
    const overall = rows.find((r) => r.group_code === '16681' && r.indicator_code === 'tthc');
    expect(overall).toMatchObject({ no_opinion_share: '', value_if_no_opinion_dissatisfied: '', no_opinion_warning: '' });
  });

  it('the dashboard\'s cards show the share and the worst case beside each composite, and say in words that "met" rests on "Không ý kiến"', async () => {
    const agent = await signIn(t.app, 'admin');
    const page = (await agent.get(`/dashboard?${NOVEMBER}`).expect(200)).text;
    const sipas = card(page, 'sipas');
    expect(sipas).toContain('Đạt chỉ tiêu');
    expect(sipas).toContain(SIPAS_WARNING);
    expect(sipas).toContain(SIPAS_LINE);
    const health = card(page, 'health_education');
    expect(health).toContain(HEALTH_WARNING);
    expect(health).toContain(HEALTH_LINE);
    expect(card(page, 'tthc')).not.toContain('Không ý kiến');
    // The ranking's SIPAS column, per unit.
    expect(page).toMatch(/99,0%<span class="muted data__note">«Không ý kiến» 16,0%; nếu coi là không hài lòng: 83,0%<\/span>/);
    const english = (await agent.get(`/dashboard?${NOVEMBER}&lang=en`).expect(200)).text;
    expect(card(english, 'sipas')).toContain('Note: if every “No opinion” answer were dissatisfied, the index would be only 83.0%, not above the 90% target.');
  });

  it('the printable report says the same under each composite', async () => {
    const agent = await signIn(t.app, 'admin');
    const page = (await agent.get(`/report?${NOVEMBER}`).expect(200)).text;
    const sipas = reportCard(page, 'Mức độ hài lòng đối với sự phục vụ của cơ quan hành chính nhà nước \\(SIPAS\\)');
    expect(sipas).toContain(SIPAS_WARNING);
    expect(sipas).toContain(SIPAS_LINE);
  });

  it('when the worst case stays above the target, the figures are shown and no warning is', async () => {
    const got = await api(OCTOBER);
    expect(got.sipas).toMatchObject({ verdict: 'met', met_rests_on_no_opinion: false });
    expect(got.sipas?.value).toBeCloseTo(99, 9);
    expect(got.sipas?.no_opinion_share).toBeCloseTo(1, 9);
    expect(got.sipas?.value_if_no_opinion_dissatisfied).toBeCloseTo(98, 9);
    // No health responses in October: no data, no figures.
    expect(got.health_education).toMatchObject({ value: null, no_opinion_share: null, value_if_no_opinion_dissatisfied: null });
    const sipasRow = (await csv(OCTOBER)).find((r) => r.group_code === '16681' && r.indicator_code === 'sipas');
    expect(sipasRow).toMatchObject({ verdict: 'met', no_opinion_warning: '' });
    expect(Number(sipasRow?.value_if_no_opinion_dissatisfied)).toBeCloseTo(98, 9);
    const agent = await signIn(t.app, 'admin');
    const page = (await agent.get(`/dashboard?${OCTOBER}`).expect(200)).text;
    expect(card(page, 'sipas')).toContain('«Không ý kiến» chiếm 1,0% câu trả lời các tiêu chí. Nếu coi tất cả là không hài lòng, chỉ số còn 98,0%.');
    expect(page).not.toContain(WARNING_START);
    const report = (await agent.get(`/report?${OCTOBER}`).expect(200)).text;
    expect(report).not.toContain(WARNING_START);
  });
});
