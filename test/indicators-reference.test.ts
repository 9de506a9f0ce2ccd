/**
 * The reference test: citizens submit a generated set of answers through HTTP; this file computes
 * the four indicators straight from those raw answers by the definitions of design.md, and the
 * API and the dashboard must show the same numbers.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, type TestDesk } from './support/builders.ts';
import { buildToken, buildUser, signIn } from './support/staff.ts';
import { seeded } from './support/respondents.ts';
import { DIALECTS } from './support/dialects.ts';

describe.each(DIALECTS)('on %s', (dialect) => {
  interface Raw {
    desk: number;
    questionnaire: string;
    field: string;
    day: string;
    answers: Record<string, string | string[]>;
  }

  interface DeskSpec {
    desk: TestDesk;
    questionnaire: string;
    fields: string[];
    criteria: string[];
  }

  let t: TestApp;
  let adminToken: string;
  const raws: Raw[] = [];
  const random = seeded(42);
  const pick = <T,>(list: T[]): T => list[Math.floor(random() * list.length)] as T;

  const SHORT = ['a', 'b', 'c', 'd', 'e'];
  const FULL = ['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'b3', 'b4', 'b5', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'd1', 'd2', 'd3', 'e1', 'e2', 'e3', 'e4'];
  const HEALTH = ['a1', 'a2', 'b1', 'b2', 'c1', 'c2', 'd1', 'd2', 'e1', 'e3'];
  const EDUCATION = ['a1', 'b1', 'c1', 'd1', 'e1'];
  const EXPECTATIONS = ['minh-bach', 'trach-nhiem', 'hieu-qua', 'thai-do', 'cong-nghe'];

  function answerSet(spec: DeskSpec): Record<string, string | string[]> {
    // Skewed towards satisfied, like real desks, with some "no opinion".
    const rating = () => (random() < 0.08 ? '0' : String(Math.min(5, 1 + Math.floor(random() * 5.6))));
    const answers: Record<string, string | string[]> = {};
    for (const key of spec.criteria) answers[key] = rating();
    answers.overall = String(1 + Math.floor(random() * 5));
    if (spec.questionnaire.startsWith('tthc') && random() < 0.7) {
      answers.expectations = EXPECTATIONS.filter(() => random() < 0.3).slice(0, 3);
      if ((answers.expectations).length === 0) delete answers.expectations;
    }
    if (spec.fields.length > 1) answers.field = pick(spec.fields);
    return answers;
  }

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const specs: DeskSpec[] = [
      { desk: await buildDesk(t.db, t.ready.secret, { fields: ['dat-dai'], unitCode: '16681' }), questionnaire: 'tthc-short', fields: ['dat-dai'], criteria: SHORT },
      { desk: await buildDesk(t.db, t.ready.secret, { fields: ['tu-phap-ho-tich', 'xay-dung'], unitCode: '17920' }), questionnaire: 'tthc-short', fields: ['tu-phap-ho-tich', 'xay-dung'], criteria: SHORT },
      { desk: await buildDesk(t.db, t.ready.secret, { questionnaire: 'tthc-full', fields: ['dau-tu'], unitCode: 'trung-tam-phuc-vu-hanh-chinh-cong-tinh-nghe-an' }), questionnaire: 'tthc-full', fields: ['dau-tu'], criteria: FULL },
      { desk: await buildDesk(t.db, t.ready.secret, { questionnaire: 'health', fields: ['y-te'], unitCode: 'benh-vien-huu-nghi-da-khoa-nghe-an' }), questionnaire: 'health', fields: ['y-te'], criteria: HEALTH },
      { desk: await buildDesk(t.db, t.ready.secret, { questionnaire: 'education', fields: ['giao-duc'], unitCode: 'truong-thpt-chuyen-phan-boi-chau' }), questionnaire: 'education', fields: ['giao-duc'], criteria: EDUCATION },
    ];
    for (let i = 0; i < 260; i++) {
      const spec = pick(specs);
      const dayOffset = Math.floor(random() * 183); // 2025-04-01 .. 2025-09-30
      const instant = new Date(Date.UTC(2025, 3, 1, 2, 0, 0) + dayOffset * 86_400_000);
      t.clock.now = instant;
      const answers = answerSet(spec);
      // The test client's own address each time ({}), as the reference figures were first computed with.
      await (await t.citizen(spec.desk, {}).take()).send(answers).expect(303);
      const field = typeof answers.field === 'string' ? answers.field : (spec.fields[0] ?? '');
      raws.push({ desk: spec.desk.id, questionnaire: spec.questionnaire, field, day: instant.toISOString().slice(0, 10), answers });
    }
    t.clock.now = new Date('2025-10-15T03:00:00Z');
    adminToken = await buildToken(t.db, await buildUser(t.db, 'admin', 'admin', null));
  }, 120_000);
  afterAll(() => t.close());

  // ---- the definitions, computed independently of the application's code ----

  const TTHC_FIELDS = ['dat-dai', 'xay-dung', 'dau-tu', 'dang-ky-kinh-doanh', 'tu-phap-ho-tich', 'lao-dong-viec-lam', 'bao-tro-xa-hoi', 'giao-thong-van-tai', 'nong-nghiep-moi-truong', 'hanh-chinh-khac'];
  const isRating = (v: unknown): v is string => typeof v === 'string' && ['1', '2', '3', '4', '5'].includes(v);
  const satisfied = (v: string) => v === '4' || v === '5';
  const criteriaOf = (r: Raw) => Object.keys(r.answers).filter((k) => !['overall', 'expectations', 'field', 'comment', 'come_back'].includes(k));

  function overallRate(rs: Raw[]): { value: number | null; n: number } {
    const answered = rs.filter((r) => isRating(r.answers.overall));
    return { value: answered.length ? answered.filter((r) => satisfied(r.answers.overall as string)).length / answered.length : null, n: answered.length };
  }

  /** A respondent's own index: mean over the elements they answered of the share of that element's criteria rated 4-5. */
  function respondentScore(r: Raw): number | null {
    const byElement = new Map<string, string[]>();
    for (const key of criteriaOf(r)) {
      const v = r.answers[key];
      if (isRating(v)) byElement.set(key[0] ?? '', [...(byElement.get(key[0] ?? '') ?? []), v]);
    }
    if (byElement.size === 0) return null;
    const shares = [...byElement.values()].map((vs) => vs.filter(satisfied).length / vs.length);
    return shares.reduce((a, b) => a + b, 0) / shares.length;
  }

  /** SIPAS: each desk's versions count equally within the desk, desks count by their scored respondents. */
  function sipas(rs: Raw[]): { value: number | null; n: number } {
    const desks = new Map<number, Map<string, number[]>>();
    for (const r of rs) {
      const score = respondentScore(r);
      if (score === null) continue;
      const versions = desks.get(r.desk) ?? new Map<string, number[]>();
      versions.set(r.questionnaire, [...(versions.get(r.questionnaire) ?? []), score]);
      desks.set(r.desk, versions);
    }
    let weighted = 0;
    let total = 0;
    for (const versions of desks.values()) {
      const means = [...versions.values()].map((scores) => scores.reduce((a, b) => a + b, 0) / scores.length);
      const respondents = [...versions.values()].reduce((a, scores) => a + scores.length, 0);
      weighted += (respondents * means.reduce((a, b) => a + b, 0)) / means.length;
      total += respondents;
    }
    return { value: total ? weighted / total : null, n: total };
  }

  function itemRate(rs: Raw[]): { value: number | null; n: number } {
    let yes = 0;
    let all = 0;
    let respondents = 0;
    for (const r of rs) {
      const items = criteriaOf(r).map((k) => r.answers[k]).filter(isRating);
      if (items.length > 0) respondents++;
      all += items.length;
      yes += items.filter(satisfied).length;
    }
    return { value: all ? yes / all : null, n: respondents };
  }

  function wilson(successes: number, n: number): [number, number] {
    const z = 1.959963984540054;
    const p = successes / n;
    const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
    const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
    return [centre - half, centre + half];
  }

  /** P(X ≤ k) for X ~ Binomial(n, p), summed term by term: the reference for the exact bounds. */
  function binomialAtMost(k: number, n: number, p: number): number {
    let sum = 0;
    let term = (1 - p) ** n;
    for (let j = 0; j <= k; j++) {
      sum += term;
      term *= ((n - j) / (j + 1)) * (p / (1 - p));
    }
    return sum;
  }

  /** Clopper–Pearson by bisection on the binomial tails: P(X ≥ yes | low) = 2.5% = P(X ≤ yes | high). */
  function clopperPearson(yes: number, n: number): [number, number] {
    const solve = (f: (p: number) => number, level: number) => {
      let lo = 0;
      let hi = 1;
      for (let i = 0; i < 60; i++) {
        const mid = (lo + hi) / 2;
        if (f(mid) < level) lo = mid;
        else hi = mid;
      }
      return (lo + hi) / 2;
    };
    const low = yes === 0 ? 0 : solve((p) => 1 - binomialAtMost(yes - 1, n, p), 0.025);
    const high = yes === n ? 1 : solve((p) => 1 - binomialAtMost(yes, n, p), 0.975);
    return [low, high];
  }

  function expected(rs: Raw[]) {
    const tthc = rs.filter((r) => TTHC_FIELDS.includes(r.field));
    return {
      tthc: overallRate(tthc),
      tthc_land_construction_investment: overallRate(rs.filter((r) => ['dat-dai', 'xay-dung', 'dau-tu'].includes(r.field))),
      sipas: sipas(tthc),
      health_education: itemRate(rs.filter((r) => r.questionnaire === 'health' || r.questionnaire === 'education')),
    };
  }

  interface ApiIndicator {
    code: string;
    n: number;
    value: number | null;
    ci_low: number | null;
    ci_high: number | null;
    target: number | null;
    verdict: string | null;
  }

  async function apiIndicators(query: string): Promise<Map<string, ApiIndicator>> {
    const res = await request(t.app).get(`/api/v1/indicators?${query}`).set('Authorization', `Bearer ${adminToken}`).expect(200);
    return new Map((res.body.indicators as ApiIndicator[]).map((i) => [i.code, i]));
  }

  function compare(api: Map<string, ApiIndicator>, want: ReturnType<typeof expected>): void {
    for (const [code, w] of Object.entries(want)) {
      const got = api.get(code);
      expect(got, code).toBeDefined();
      expect(got?.n, `${code} n`).toBe(w.n);
      if (w.value === null) expect(got?.value, code).toBeNull();
      else {
        expect(got?.value, `${code} value`).toBeCloseTo(w.value * 100, 9);
        expect(got?.ci_low ?? NaN).toBeLessThanOrEqual(got?.value ?? NaN);
        expect(got?.ci_high ?? NaN).toBeGreaterThanOrEqual(got?.value ?? NaN);
      }
    }
  }

  describe('indicators computed from the raw answers equal what the API returns', () => {
    it('over the whole period', async () => {
      expect(raws.length).toBe(260);
      const api = await apiIndicators('from=2025-04-01&to=2025-09-30');
      compare(api, expected(raws));
      // Every group is represented, so no comparison is vacuous.
      for (const code of ['tthc', 'tthc_land_construction_investment', 'sipas', 'health_education']) expect(api.get(code)?.n).toBeGreaterThan(20);
    });

    it('the overall rate carries the union of the Wilson and the exact interval of its own numbers and a verdict that follows from it', async () => {
      const api = await apiIndicators('from=2025-04-01&to=2025-09-30');
      const tthc = raws.filter((r) => TTHC_FIELDS.includes(r.field));
      const yes = tthc.filter((r) => satisfied(r.answers.overall as string)).length;
      const [wLow, wHigh] = wilson(yes, tthc.length);
      const [cLow, cHigh] = clopperPearson(yes, tthc.length);
      const [low, high] = [Math.min(wLow, cLow), Math.max(wHigh, cHigh)];
      const got = api.get('tthc');
      expect(got?.ci_low).toBeCloseTo(low * 100, 6);
      expect(got?.ci_high).toBeCloseTo(high * 100, 6);
      expect(got?.target).toBe(87);
      const want = tthc.length < 30 ? 'insufficient' : low * 100 > 87 ? 'met' : high * 100 <= 87 ? 'not_met' : 'inconclusive';
      expect(got?.verdict).toBe(want);
    });

    it('narrowed to one field and one quarter', async () => {
      const subset = raws.filter((r) => r.field === 'dat-dai' && r.day >= '2025-07-01' && r.day <= '2025-09-30');
      const api = await apiIndicators('field=dat-dai&from=2025-07-01&to=2025-09-30');
      compare(api, expected(subset));
    });

    it('for one unit (a commune with a one-stop desk)', async () => {
      const subset = raws.filter((r) => ['tu-phap-ho-tich', 'xay-dung'].includes(r.field));
      compare(await apiIndicators('unit=17920&from=2025-04-01&to=2025-09-30'), expected(subset));
    });

    it('per question: counts 1..5 and "no opinion" equal the raw answers', async () => {
      const res = await request(t.app).get('/api/v1/questions?from=2025-04-01&to=2025-09-30').set('Authorization', `Bearer ${adminToken}`).expect(200);
      const questions = res.body.questions as { questionnaire: string; key: string; counts: Record<string, number>; no_opinion: number; n: number; rate: number | null }[];
      for (const q of questions) {
        const values = raws.filter((r) => r.questionnaire === q.questionnaire).map((r) => r.answers[q.key]);
        for (const v of ['1', '2', '3', '4', '5']) expect(q.counts[v], `${q.questionnaire}.${q.key}=${v}`).toBe(values.filter((x) => x === v).length);
        expect(q.no_opinion).toBe(values.filter((x) => x === '0').length);
        const answered = values.filter(isRating);
        expect(q.n).toBe(answered.length);
        if (answered.length > 0) expect(q.rate).toBeCloseTo((answered.filter(satisfied).length / answered.length) * 100, 9);
      }
      expect(questions.find((q) => q.questionnaire === 'tthc-full' && q.key === 'c6')).toBeDefined();
    });

    it('the dashboard shows the same numbers as the API, rounded for people', async () => {
      const api = await apiIndicators('from=2025-07-01&to=2025-09-30&field=dat-dai');
      const agent = await signIn(t.app, 'admin');
      const page = await agent.get('/dashboard?from=2025-07-01&to=2025-09-30&field=dat-dai').expect(200);
      for (const [code, ind] of api) {
        const card = new RegExp(`data-indicator="${code}">[\\s\\S]*?card__value">([^<]+)<[\\s\\S]*?card__ci">([^<]*)<[\\s\\S]*?card__n">([^<]+)<`).exec(page.text);
        expect(card, code).not.toBeNull();
        const fmt = (v: number) => v.toLocaleString('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
        if (ind.value === null) expect(card?.[1]).toBe('Chưa có phiếu');
        else {
          expect(card?.[1]).toBe(`${fmt(ind.value)}%`);
          expect(card?.[2]).toBe(`Khoảng tin cậy 95%: ${fmt(ind.ci_low ?? 0)}–${fmt(ind.ci_high ?? 0)}%`);
        }
        expect(card?.[3]).toContain(`${ind.n.toLocaleString('vi-VN')} phiếu`);
      }
    });
  });
});
