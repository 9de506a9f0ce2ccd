/**
 * Issue 20, items 2 to 4, worked by hand on both databases: two desks, three fields, response rates
 * that differ by cell, and the counts of October 2026. Every expected figure is written out below
 * from the counts and answers stored here (analytics/weighted.ts for the weighting, analytics/dossiers.ts
 * for the plan's dossier targets).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollupSpans } from '../analytics/periods.ts';
import type { RollupFilter } from '../db/queries/analytics.ts';
import { judgingFor } from '../server/figures/dashboard.ts';
import { loadReportContext } from '../server/figures/context.ts';
import { dossierFigures } from '../server/figures/dossiers.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, storeResponses } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { storeDossierCounts } from './support/dossiers.ts';

const OCTOBER = { from: '2026-10-01', to: '2026-10-31' };

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let deskA = 0;
  let deskB = 0;
  const answered = (satisfied: number, total: number) => [
    { copies: satisfied, ratings: { a: 5, b: 5, c: 5, d: 5, e: 5, overall: 5 } },
    { copies: total - satisfied, ratings: { a: 5, b: 5, c: 5, d: 5, e: 5, overall: 2 } },
  ];

  beforeAll(async () => {
    t = await startTestApp(dialect);
    t.clock.now = new Date('2026-12-04T03:00:00Z');
    const fields = ['dat-dai', 'tu-phap-ho-tich', 'xay-dung'];
    deskA = (await buildDesk(t.db, t.ready.secret, { unitCode: '16681', fields })).id;
    deskB = (await buildDesk(t.db, t.ready.secret, { unitCode: '17920', fields })).id;
    // Answers: A land 8 of 10 satisfied, A civil status 27 of 30, B land 30 of 40, B civil status 5 of 5; nobody at either building desk.
    await storeResponses(t.db, deskA, 'dat-dai', '2026-10-06', answered(8, 10));
    await storeResponses(t.db, deskA, 'tu-phap-ho-tich', '2026-10-07', answered(27, 30));
    await storeResponses(t.db, deskB, 'dat-dai', '2026-10-08', answered(30, 40));
    await storeResponses(t.db, deskB, 'tu-phap-ho-tich', '2026-10-09', answered(5, 5));
    // Counts: A land 100 resolved (60 in person over two days, 40 online), A civil status 300, A building 50;
    // B land 200 (online), B building 350; B civil status has no counts. A November row lies outside the period.
    await storeDossierCounts(t.db, deskA, [
      { day: '2026-10-06', field: 'dat-dai', resolved: 30, onTime: 28, apologised: 2, backlog: 7 },
      { day: '2026-10-20', field: 'dat-dai', resolved: 30, onTime: 29, apologised: 1, backlog: 2 },
      { day: '2026-10-06', field: 'dat-dai', channel: 'online', resolved: 40, onTime: 40 },
      { day: '2026-10-07', field: 'tu-phap-ho-tich', resolved: 100, onTime: 98, apologised: 1 },
      { day: '2026-10-07', field: 'tu-phap-ho-tich', channel: 'online', resolved: 200, onTime: 200 },
      { day: '2026-10-08', field: 'xay-dung', resolved: 50, onTime: 45, apologised: 5, complaints: 2 },
      { day: '2026-11-02', field: 'dat-dai', resolved: 999, onTime: 0, backlog: 50 },
    ]);
    await storeDossierCounts(t.db, deskB, [
      { day: '2026-10-08', field: 'dat-dai', channel: 'online', resolved: 200, onTime: 190, apologised: 10, complaints: 3 },
      { day: '2026-10-09', field: 'xay-dung', resolved: 350, onTime: 330, apologised: 20, complaints: 5 },
    ]);
  }, 120_000);
  afterAll(() => t?.close());

  async function october(over: Partial<RollupFilter> = {}) {
    const ctx = await loadReportContext(t.db);
    const filter: RollupFilter = { ...OCTOBER, spans: rollupSpans(OCTOBER), unitIds: null, fieldIds: null, deskId: null, channel: null, statuses: ['ok'], ...over };
    const judging = await judgingFor(t.db, ctx, filter, { minN: 30, today: '2026-12-04' });
    return { ctx, figures: await dossierFigures(t.db, ctx, filter, judging) };
  }

  it('says how many of the citizens served answered, per desk, unit and field, and names the desks where one side is missing', async () => {
    const { ctx, figures } = await october();
    // Resolved: 100 + 300 + 50 + 200 + 350 = 1,000; responses 10 + 30 + 40 + 5 = 85.
    expect(figures.totals.resolved).toBe(1000);
    expect(figures.responses).toBe(85);
    expect(figures.responseRate).toBeCloseTo(0.085, 12);
    // Desk A: 40 of 450 = 8.889%; desk B: 45 of 550 = 8.182%.
    expect(figures.byDesk.get(deskA)?.rate).toBeCloseTo(40 / 450, 12);
    expect(figures.byDesk.get(deskB)?.rate).toBeCloseTo(45 / 550, 12);
    const field = (code: string) => figures.byField.get(ctx.fields.find((f) => f.code === code)?.id ?? 0);
    // Land 50 of 300; civil status 35 of 300; building 0 of 400.
    expect(field('dat-dai')?.rate).toBeCloseTo(50 / 300, 12);
    expect(field('tu-phap-ho-tich')?.rate).toBeCloseTo(35 / 300, 12);
    expect(field('xay-dung')).toMatchObject({ responses: 0, rate: 0 });
    expect(figures.withoutResponses).toEqual([]);
    expect(figures.withoutCounts).toEqual([]);
    // Civil status: desk A has counts there, desk B sent 5 responses and has none.
    const civil = await october({ fieldIds: [ctx.fields.find((f) => f.code === 'tu-phap-ho-tich')?.id ?? 0] });
    expect(civil.figures.withoutCounts.map((d) => [d.deskId, d.responses])).toEqual([[deskB, 5]]);
    const building = await october({ fieldIds: [ctx.fields.find((f) => f.code === 'xay-dung')?.id ?? 0] });
    expect(building.figures.withoutResponses.map((d) => [d.deskId, d.dossiers.resolved])).toEqual([
      [deskB, 350],
      [deskA, 50],
    ]);
  });

  it('weights each desk x field cell by its dossiers, with a wider interval, and shows the share it does not cover', async () => {
    const { figures } = await october();
    const tthc = figures.weighted.get('tthc');
    // Cells with answers and dossiers: A land (100, 8/10), A civil status (300, 27/30), B land (200, 30/40).
    // Weighted: (100·0.8 + 300·0.9 + 200·0.75) / 600 = 500/600 = 83.333% (as answered: 70/85 = 82.353%).
    expect(tthc?.result.value).toBeCloseTo(500 / 600, 12);
    // Not covered: A building 50 + B building 350 = 400 of 1,000 dossiers.
    expect(tthc?.result.uncoveredShare).toBeCloseTo(0.4, 12);
    // Smoothed shares q = (y + 1)/(m + 2): 9/12, 28/32, 31/42; weights 1/6, 1/2, 1/3.
    // Var = Σ w²·q(1−q)/m = 0.00196927; q̄ = Σ w·q = 0.808532; n_eff = q̄(1−q̄)/Var = 78.612.
    expect(tthc?.result.nEff).toBeCloseTo(78.612, 2);
    // The overall rate is a plain proportion: its interval is the one the figure as answered uses, Wilson's joined
    // with Clopper–Pearson's, at the effective counts 0.83333·78.612 = 65.51 of 78.612 (Korn–Graubard). Wilson alone
    // gives 73.588–89.973%; Clopper–Pearson 73.234–90.791%; the union 73.234% to 90.791%, which holds the 87% target.
    expect(tthc?.result.ci?.low).toBeCloseTo(0.732339, 5);
    expect(tthc?.result.ci?.high).toBeCloseTo(0.907907, 5);
    expect(tthc?.verdict).toBe('inconclusive');
    // Respondents weighed: 80 of the 85 (B's 5 civil-status answers are at a cell without counts).
    expect([tthc?.responsesWithCounts, tthc?.responses]).toEqual([80, 85]);
    // 60% of the dossiers covered is under the 80% rule: the card keeps the figure as answered on top.
    expect(tthc?.heads).toBe(false);
    // Land, building and investment: A land (100, 0.8), B land (200, 0.75) cover 300 of 700 dossiers.
    const land = figures.weighted.get('tthc_land_construction_investment');
    expect(land?.result.value).toBeCloseTo(230 / 300, 12);
    expect(land?.result.uncoveredShare).toBeCloseTo(400 / 700, 12);
    expect(land?.result.nEff).toBeCloseTo(45.236, 2);
  });

  it('judges the dossier targets on every dossier: met or not, no interval', async () => {
    const { figures } = await october();
    const byCode = new Map(figures.indicators.map((i) => [i.code, i]));
    // On time 28+29+40+98+200+45+190+330 = 960 of 1,000 = 96% ≥ 95%: met.
    expect(byCode.get('on_time')).toMatchObject({ value: 0.96, base: 1000, target: 95, verdict: 'met' });
    // Apologised 2+1+1+5+10+20 = 39 of 40 late = 97.5% < 100%: not met.
    expect(byCode.get('late_apologised')).toMatchObject({ value: 39 / 40, base: 40, target: 100, verdict: 'not_met' });
    // Backlog: A land in person on its last October day, 2 (not 7 + 2, not November's 50): not met.
    expect(byCode.get('backlog')).toMatchObject({ value: 2, target: 0, verdict: 'not_met' });
    // Online 40 + 200 + 200 = 440 of 1,000 = 44% < 60%: not met.
    expect(byCode.get('online_share')).toMatchObject({ value: 0.44, target: 60, verdict: 'not_met' });
    // QĐ 766: 1 − (40 late + 10 complaints)/1,000 = 95% ≥ 90%: met.
    expect(byCode.get('satisfaction_766')).toMatchObject({ value: 0.95, target: 90, verdict: 'met' });
  });

  it('never reports counts older than the table: an import, or another server writing, is in the next report', async () => {
    expect((await october()).figures.totals.resolved).toBe(1000);
    // An import in this process (the push's own write): the next report has it at once.
    await storeDossierCounts(t.db, deskB, [{ day: '2026-10-10', field: 'xay-dung', resolved: 25, onTime: 25 }]);
    expect((await october()).figures.totals.resolved).toBe(1025);
    // Another app server or the command line: its rows and the counts' version change in its own
    // transaction; this process sees them within half a second.
    const fieldId = (await t.db.selectFrom('fields').select('id').where('code', '=', 'xay-dung').executeTakeFirstOrThrow()).id;
    await t.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('dossier_counts').where('day', '=', '2026-10-10').where('desk_id', '=', deskB).where('field_id', '=', fieldId).execute();
      await trx.updateTable('settings').set({ value: 'written-elsewhere' }).where('key', '=', 'dossier_counts_version').execute();
    });
    await new Promise((done) => setTimeout(done, 600));
    expect((await october()).figures.totals.resolved).toBe(1000);
  });
});
