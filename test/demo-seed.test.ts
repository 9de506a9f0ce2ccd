/**
 * The demo generator (`npm run sipas -- seed --demo`): every desk the province would have, the
 * responses asked for over the months asked for, answers the survey itself would accept, a comment
 * on about one in ten, ratings that differ by unit and improve over time, and rollups equal to a
 * recount from the raw answers, also when a month is split over several transactions.
 */
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDay } from '../analytics/time.ts';
import { COMMENTS, demoForm, demoResponses, ensureDemoDesks } from '../db/seed/demo.ts';
import { runDemoSeed, type DemoSeedResult } from '../server/cli/demo-seed.ts';
import { progress } from '../server/cli/output.ts';
import { prepareSubmission, submissionInput } from '../server/survey/record.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { DIALECTS } from './support/dialects.ts';
import { recountRollups, storedRollups } from './support/recount.ts';

const RESPONSES = 4000;
const NOW = new Date('2026-11-20T09:00:00Z');

/** A terminal that keeps what is drawn on it. */
function terminal(): NodeJS.WriteStream & { text: string } {
  const t = { isTTY: true, text: '', write: (s: string) => ((t.text += s), true) };
  return t as unknown as NodeJS.WriteStream & { text: string };
}

describe.each(DIALECTS)('on %s', { timeout: 120_000 }, (dialect) => {
  let t: TestApp;
  let result: DemoSeedResult;
  const screen = terminal();
  const summary = terminal();

  beforeAll(async () => {
    t = await startTestApp(dialect);
    // Batches of 700: most months are split over two or three transactions, as a large month is at a million.
    result = await runDemoSeed(t.ready, RESPONSES, { now: NOW, batch: 700, bar: progress('Phiếu mẫu / demo responses', RESPONSES, screen, summary) });
  }, 120_000);
  afterAll(() => t?.close());

  const count = async (table: 'responses' | 'answers' | 'comments' | 'used_nonces') =>
    Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('stores exactly the responses asked for, each with its answers and its nonce, and shows progress and a summary', async () => {
    expect(result.responses).toBe(RESPONSES);
    expect(await count('responses')).toBe(RESPONSES);
    expect(await count('used_nonces')).toBe(RESPONSES);
    // Six to a dozen questions a form.
    expect(await count('answers')).toBeGreaterThan(RESPONSES * 6);
    expect(screen.text).toMatch(/Phiếu mẫu \/ demo responses: 4000\/4000 \(100%\), \d+\/s, còn \/ left ~\d+ s/);
    expect(summary.text).toMatch(
      /^Đã tạo \/ created 4000 phiếu mẫu \/ demo responses at 161 desks, 25 tháng \/ months \(2024-11 → 2026-11\), \d+ góp ý \/ comments, \d+ hồ sơ \/ dossiers in \d+ dòng \/ rows; \d+\/s \(\d+ s\)\n$/,
    );
  });

  it('makes dossier counts that fit its responses: every desk with responses resolved more dossiers than it got answers, at 2–40%; on time 93–99.9%; online 30–75% by field', async () => {
    const rows = await t.db.selectFrom('dossier_counts').selectAll().execute();
    expect(rows.length).toBe(result.dossierRows);
    expect(rows.reduce((s, r) => s + r.resolved, 0)).toBe(result.dossiersResolved);
    for (const r of rows) {
      expect(r.on_time + r.late).toBe(r.resolved);
      expect(r.apologised).toBeLessThanOrEqual(r.late);
      expect(r.day <= localDay(NOW)).toBe(true);
      expect(new Date(`${r.day}T00:00:00Z`).getUTCDay()).not.toBe(0);
    }
    const responses = await t.db.selectFrom('responses').select(['desk_id']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('desk_id').execute();
    const resolvedAt = new Map<number, number>();
    for (const r of rows) resolvedAt.set(r.desk_id, (resolvedAt.get(r.desk_id) ?? 0) + r.resolved);
    const rates = responses.map((d) => Number(d.n) / (resolvedAt.get(d.desk_id) ?? 0));
    expect(rates.every((rate) => rate > 0 && rate <= 1)).toBe(true);
    // The desks with enough responses to tell: their rates spread over the range asked for.
    const told = responses.filter((d) => Number(d.n) >= 40).map((d) => Number(d.n) / (resolvedAt.get(d.desk_id) ?? 1));
    expect(Math.min(...told)).toBeGreaterThan(0.01);
    expect(Math.max(...told)).toBeLessThan(0.6);
    expect(Math.max(...told) / Math.min(...told)).toBeGreaterThan(3);
    const resolved = rows.reduce((s, r) => s + r.resolved, 0);
    const onTime = rows.reduce((s, r) => s + r.on_time, 0) / resolved;
    expect(onTime).toBeGreaterThan(0.93);
    expect(onTime).toBeLessThan(0.999);
    const byField = new Map<number, { all: number; online: number }>();
    for (const r of rows) {
      const f = byField.get(r.field_id) ?? { all: 0, online: 0 };
      f.all += r.resolved;
      if (r.channel === 'online') f.online += r.resolved;
      byField.set(r.field_id, f);
    }
    for (const f of byField.values()) {
      if (f.all < 500) continue;
      expect(f.online / f.all).toBeGreaterThan(0.25);
      expect(f.online / f.all).toBeLessThan(0.8);
    }
  });

  it('covers 24 months back from today, every month, oldest to newest', async () => {
    const days = await t.db.selectFrom('responses').select(['local_day']).distinct().orderBy('local_day').execute();
    const months = [...new Set(days.map((d) => d.local_day.slice(0, 7)))];
    expect(months).toHaveLength(25);
    expect(months[0]).toBe('2024-11');
    expect(months[24]).toBe('2026-11');
    expect(result.months).toEqual(months);
    expect(days[days.length - 1]?.local_day).toBe(localDay(NOW));
  });

  it('has a desk at every commune and ward, hospital and school, and at the departments that take dossiers', async () => {
    const units = await t.db
      .selectFrom('units')
      .leftJoin('desks', 'desks.unit_id', 'units.id')
      .select(['units.code', 'units.kind', 'desks.id as desk'])
      .where('units.active', '=', 1)
      .execute();
    for (const kind of ['commune', 'ward', 'hospital', 'school'] as const) {
      const ofKind = units.filter((u) => u.kind === kind);
      expect(ofKind.length, kind).toBeGreaterThan(0);
      expect(ofKind.filter((u) => u.desk === null).map((u) => u.code), kind).toEqual([]);
    }
    expect(new Set(units.filter((u) => u.kind === 'department' && u.desk !== null).map((u) => u.code)).size).toBe(6);
    // Communes and wards: the 130 commune-level units of Nghệ An.
    expect(new Set(units.filter((u) => u.kind === 'commune' || u.kind === 'ward').map((u) => u.code)).size).toBe(130);
  });

  it('puts a comment on about one response in ten', async () => {
    const share = (await count('comments')) / RESPONSES;
    expect(result.comments).toBe(await count('comments'));
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);
  });

  it('words each comment as its response rated the service overall: no praise under 3 stars, no complaint at 4 or 5', async () => {
    const desks = await ensureDemoDesks(t.db, NOW.toISOString());
    let seen = 0;
    for (const r of demoResponses(desks, { responses: 3000, now: NOW, seed: 5 })) {
      const overallId = r.desk.survey.questions.find((q) => q.role === 'overall')?.id;
      const overall = r.ratings.find((a) => a.questionId === overallId)?.value ?? null;
      for (const c of r.comments) {
        seen++;
        expect(overall).not.toBeNull();
        if ((overall ?? 0) >= 4) expect(COMMENTS.displeased as readonly string[]).not.toContain(c.text);
        if ((overall ?? 0) <= 2) expect([...COMMENTS.pleased, ...COMMENTS.mixed] as readonly string[]).not.toContain(c.text);
        if ((overall ?? 0) <= 2) expect(COMMENTS.displeased as readonly string[]).toContain(c.text);
      }
    }
    expect(seen).toBeGreaterThan(150);
  });

  it('gives a commune’s one-stop desk “Thủ tục hành chính khác” among its fields', async () => {
    const fields = await t.db
      .selectFrom('desk_fields')
      .innerJoin('desks', 'desks.id', 'desk_fields.desk_id')
      .innerJoin('units', 'units.id', 'desks.unit_id')
      .innerJoin('fields', 'fields.id', 'desk_fields.field_id')
      .select('fields.code')
      .where('units.code', '=', '17329')
      .execute();
    expect(fields.map((f) => f.code).sort()).toEqual(['bao-tro-xa-hoi', 'dat-dai', 'hanh-chinh-khac', 'lao-dong-viec-lam', 'tu-phap-ho-tich', 'xay-dung']);
  });

  it('rates units differently and better in the second year than in the first', async () => {
    const rows = await t.db
      .selectFrom('monthly_rollups')
      .select(['month', 'desk_id', 'n1', 'n2', 'n3', 'n4', 'n5'])
      .where('option_key', '=', '')
      .execute();
    const satisfied = (list: typeof rows) => {
      let yes = 0;
      let all = 0;
      for (const r of list) {
        yes += Number(r.n4) + Number(r.n5);
        all += Number(r.n1) + Number(r.n2) + Number(r.n3) + Number(r.n4) + Number(r.n5);
      }
      return { share: yes / all, all };
    };
    const byDesk = new Map<number, typeof rows>();
    for (const r of rows) byDesk.set(r.desk_id, [...(byDesk.get(r.desk_id) ?? []), r]);
    const shares = [...byDesk.values()].map(satisfied).filter((s) => s.all >= 300).map((s) => s.share);
    expect(shares.length).toBeGreaterThan(5);
    expect(Math.max(...shares) - Math.min(...shares)).toBeGreaterThan(0.06);
    const firstYear = satisfied(rows.filter((r) => r.month < '2025-11'));
    const secondYear = satisfied(rows.filter((r) => r.month >= '2025-11'));
    expect(secondYear.share).toBeGreaterThan(firstYear.share + 0.01);
  });

  it('leaves every rollup equal to a recount from the raw answers', async () => {
    expect(await storedRollups(t.db)).toEqual(await recountRollups(t.db));
  });

  it('makes only responses the survey would store from their raw forms', async () => {
    const desks = await ensureDemoDesks(t.db, NOW.toISOString());
    let checked = 0;
    for (const r of demoResponses(desks, { responses: 400, now: NOW, seed: 7 })) {
      const meta = { channel: r.channel, nonce: r.nonce, submittedAt: r.submittedAt, localDay: localDay(r.submittedAt), lang: r.lang, status: r.status, flags: r.flags === '' ? [] : [r.flags], secondsTaken: r.secondsTaken };
      const prepared = prepareSubmission(r.desk.survey, demoForm(r), meta);
      expect(prepared.kind).toBe('ready');
      if (prepared.kind === 'ready') expect(isDeepStrictEqual(prepared.input, submissionInput(r.desk.survey, r, meta))).toBe(true);
      checked++;
    }
    expect(checked).toBe(400);
  });
});
