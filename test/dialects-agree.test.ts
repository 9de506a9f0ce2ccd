/**
 * Each dialect must not merely pass the tests on its own: given the same submissions through HTTP,
 * it must store the same rows and give the same API answers as the SQLite reference (SQLite needs no
 * server, so the reference is always there; on SQLite itself this checks that the results are
 * deterministic).
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialect } from '../db/connect.ts';
import { seeded } from './support/respondents.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, type TestDesk } from './support/builders.ts';
import { countRows } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';
import { significant } from './support/numbers.ts';
import { buildToken, buildUser } from './support/staff.ts';

interface Subject {
  t: TestApp;
  desks: TestDesk[];
  token: string;
}

async function subject(dialect: Dialect): Promise<Subject> {
  const t = await startTestApp(dialect);
  const desks = [
    await buildDesk(t.db, t.ready.secret, { fields: ['dat-dai', 'xay-dung'], unitCode: '16681', code: 'A' }),
    await buildDesk(t.db, t.ready.secret, { questionnaire: 'health', fields: ['y-te'], unitCode: 'benh-vien-huu-nghi-da-khoa-nghe-an', code: 'B' }),
  ];
  const token = await buildToken(t.db, await buildUser(t.db, 'admin', 'admin', null));
  return { t, desks, token };
}

describe.each(DIALECTS)('%s and the SQLite reference, given the same 60 submissions', (dialect) => {
  let reference: Subject;
  let tested: Subject;
  beforeAll(async () => {
    reference = await subject('sqlite');
    tested = await subject(dialect);
    const random = seeded(9);
    for (let i = 0; i < 60; i++) {
      const which = random() < 0.7 ? 0 : 1;
      const rating = () => String(1 + Math.floor(random() * 5));
      const answers: Record<string, string | string[]> =
        which === 0
          ? { field: random() < 0.5 ? 'dat-dai' : 'xay-dung', a: rating(), b: rating(), c: random() < 0.1 ? '0' : rating(), d: rating(), e: rating(), overall: rating(), expectations: ['minh-bach'] }
          : { a1: rating(), a2: rating(), b1: rating(), b2: rating(), c1: rating(), c2: rating(), d1: rating(), d2: rating(), e1: rating(), e3: '0', overall: rating() };
      const day = new Date(Date.UTC(2025, 5, 1 + (i % 28), 4));
      for (const s of [reference, tested]) {
        s.t.clock.now = day;
        const desk = s.desks[which] as TestDesk;
        // The same client each time, on both ({}: the test client's own address, no browser string).
        const form = await s.t.citizen(desk, {}).take();
        await form.send(answers).expect(303);
        // A replay stores nothing on either database.
        if (i % 10 === 0) await form.send(answers).expect(303);
      }
    }
  }, 120_000);
  afterAll(async () => {
    await reference?.t.close();
    await tested?.t.close();
  });

  it('store the same rows', async () => {
    for (const table of ['responses', 'answers', 'daily_rollups', 'daily_responses', 'monthly_rollups', 'monthly_responses', 'used_nonces'] as const) {
      expect(await countRows(tested.t.db, table), table).toBe(await countRows(reference.t.db, table));
    }
    expect(await countRows(tested.t.db, 'responses')).toBe(60);
  });

  it('give identical indicators and question counts through the API', async () => {
    for (const path of ['/api/v1/indicators?from=2025-06-01&to=2025-06-30', '/api/v1/questions?from=2025-06-01&to=2025-06-30', '/api/v1/indicators?from=2025-06-10&to=2025-06-20&field=dat-dai']) {
      const [expected, actual] = await Promise.all(
        [reference, tested].map((s) => request(s.t.app).get(path).set('Authorization', `Bearer ${s.token}`).expect(200)),
      );
      expect(significant(actual?.body), path).toEqual(significant(expected?.body));
    }
  });
});
