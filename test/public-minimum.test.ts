/**
 * The verdict's minimum (MIN_RESPONSES) and the public page's suppression minimum
 * (PUBLIC_MIN_RESPONSES) are two settings (issue 19: one word, one concept): here a verdict is
 * given from 5 respondents while /cong-khai publishes a group only from 10. A commune desk with 7
 * respondents in November is judged on the dashboard's API and withheld on the public page.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/start/config.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, storeResponses } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { readPublicPage } from './support/public-page.ts';
import { buildToken, buildUser } from './support/staff.ts';

it('both default to 30 and are read apart', () => {
  const base = { DATABASE_URL: 'sqlite::memory:', BASE_URL: 'http://sipas.test' };
  expect(loadConfig(base)).toMatchObject({ minResponses: 30, publicMinResponses: 30 });
  expect(loadConfig({ ...base, MIN_RESPONSES: '5', PUBLIC_MIN_RESPONSES: '10' })).toMatchObject({ minResponses: 5, publicMinResponses: 10 });
  expect(() => loadConfig({ ...base, PUBLIC_MIN_RESPONSES: '0' })).toThrow(/PUBLIC_MIN_RESPONSES/);
});

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp(dialect, { MIN_RESPONSES: '5', PUBLIC_MIN_RESPONSES: '10' });
    t.clock.now = new Date('2026-12-04T03:00:00Z');
    const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', fields: ['dat-dai'] });
    await storeResponses(t.db, desk.id, 'dat-dai', '2026-11-20', [{ copies: 7, ratings: { a: 5, b: 5, c: 5, d: 5, e: 5, overall: 5 } }]);
    token = await buildToken(t.db, await buildUser(t.db, 'api', 'admin', null));
  }, 120_000);
  afterAll(() => t?.close());

  it('7 respondents: the API gives a verdict (5 are enough), the public page withholds the figure (10 are needed)', async () => {
    const api = await request(t.app).get('/api/v1/indicators?from=2026-11-01&to=2026-11-30').set('Authorization', `Bearer ${token}`).expect(200);
    const tthc = (api.body.indicators as { code: string; n: number; verdict: string }[]).find((i) => i.code === 'tthc');
    expect(tthc).toMatchObject({ n: 7 });
    expect(tthc?.verdict).not.toBe('insufficient');
    const page = await request(t.app).get('/cong-khai').expect(200);
    const november = readPublicPage(page.text).periods.get('M:2026-11');
    expect(november?.get('tthc')).toMatchObject({ value: null, n: null });
    expect(november?.get('tthc')?.text).toContain('Chưa đủ số phiếu');
  });
});
