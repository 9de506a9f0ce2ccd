/**
 * The sums a report reads are kept in memory between requests (db/queries/analytics.ts keeps each
 * span's rollups and their merge, db/queries/history.ts says when they are stale): a response that
 * arrives between two reads, on an earlier day or today, is in the second. Both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollupSpans } from '../analytics/periods.ts';
import type { RollupFilter } from '../db/queries/analytics.ts';
import { loadReportContext } from '../server/figures/context.ts';
import { indicatorReport } from '../server/figures/dashboard.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, storeResponses } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';

const TODAY = '2026-12-04';
const PERIOD = { from: '2026-10-01', to: TODAY };

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let desk = 0;
  const answers = (satisfied: number, total: number) => [
    { copies: satisfied, ratings: { a: 5, b: 5, c: 5, d: 5, e: 5, overall: 5 } },
    { copies: total - satisfied, ratings: { a: 5, b: 5, c: 5, d: 5, e: 5, overall: 2 } },
  ];

  beforeAll(async () => {
    t = await startTestApp(dialect);
    t.clock.now = new Date('2026-12-04T03:00:00Z');
    desk = (await buildDesk(t.db, t.ready.secret, { unitCode: '16681', fields: ['dat-dai'] })).id;
  }, 120_000);
  afterAll(() => t?.close());

  /** The overall satisfaction of the period as the dashboard reads it: responses and the share satisfied. */
  async function overall() {
    const ctx = await loadReportContext(t.db);
    const filter: RollupFilter = { ...PERIOD, spans: rollupSpans(PERIOD), unitIds: null, fieldIds: null, deskId: null, channel: null, statuses: ['ok'], today: TODAY };
    const tthc = (await indicatorReport(t.db, ctx, filter, { minN: 30, today: TODAY })).find((i) => i.code === 'tthc');
    return { n: tthc?.n ?? 0, value: tthc?.value ?? null };
  }

  it('counts a response that arrives between two reads, on an earlier day or today', async () => {
    await storeResponses(t.db, desk, 'dat-dai', '2026-10-06', answers(8, 10));
    expect(await overall()).toEqual({ n: 10, value: 0.8 });
    // Read again with nothing new: the same figures (from memory).
    expect(await overall()).toEqual({ n: 10, value: 0.8 });
    // A form dated in October (a paper form typed in late): 10 + 5, 8 + 5 satisfied.
    await storeResponses(t.db, desk, 'dat-dai', '2026-10-07', answers(5, 5));
    expect(await overall()).toEqual({ n: 15, value: 13 / 15 });
    // A citizen today: 15 + 3, none satisfied.
    await storeResponses(t.db, desk, 'dat-dai', TODAY, answers(0, 3));
    expect(await overall()).toEqual({ n: 18, value: 13 / 18 });
  });
});
