/**
 * What the speed of the write path relies on: batched and concurrent submissions leave rollups
 * equal to a recount from the raw answers; a failing submission in a batch fails alone; the desk
 * cache never serves a revoked QR code or an old questionnaire version; and no submission that got
 * its thank-you page is lost when the server is killed mid-batch.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../db/connect.ts';
import { findDeskSurvey, revokeDeskTokens, updateDesk } from '../db/queries/desks.ts';
import type { ResponseInput } from '../db/queries/responses.ts';
import { getSetting } from '../db/queries/settings.ts';
import { summarizeRatings } from '../server/survey/summary.ts';
import { createSubmissionQueue } from '../server/survey/submission-queue.ts';
import { signDeskToken } from '../server/tokens/tokens.ts';
import { citizenAt } from './support/actors.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, formTokenOf, shortAnswers, type TestDesk } from './support/builders.ts';
import { countRows } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';
import { recountRollups, storedRollups } from './support/recount.ts';
import { startServerProcess } from './support/server-process.ts';
import { seeded } from './support/respondents.ts';
import { buildUser } from './support/staff.ts';

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let short: TestDesk;
  let full: TestDesk;
  let health: TestDesk;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    short = await buildDesk(t.db, t.ready.secret, { fields: ['dat-dai', 'xay-dung'], unitCode: '16681' });
    full = await buildDesk(t.db, t.ready.secret, { questionnaire: 'tthc-full', fields: ['dau-tu'], unitCode: '17920' });
    health = await buildDesk(t.db, t.ready.secret, { questionnaire: 'health', fields: ['y-te'], unitCode: 'benh-vien-huu-nghi-da-khoa-nghe-an' });
  });
  afterAll(() => t.close());

  it('rollups equal a recount from the raw answers after a random mix of concurrent, replayed, invalid and batched submissions', async () => {
    const random = seeded(7);
    const rating = () => (random() < 0.1 ? '0' : String(1 + Math.floor(random() * 5)));
    const answersFor = (desk: TestDesk): Record<string, string | string[]> => {
      if (desk === short) return { field: random() < 0.5 ? 'dat-dai' : 'xay-dung', a: rating(), b: rating(), c: rating(), d: rating(), e: rating(), overall: rating(), expectations: random() < 0.5 ? ['minh-bach'] : ['thai-do', 'hieu-qua'] };
      if (desk === full) {
        const keys = ['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'b3', 'b4', 'b5', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'd1', 'd2', 'd3', 'e1', 'e2', 'e3', 'e4'];
        return { ...Object.fromEntries(keys.map((k) => [k, rating()])), overall: rating() };
      }
      return { a1: rating(), a2: rating(), b1: rating(), b2: rating(), c1: rating(), c2: rating(), d1: rating(), d2: rating(), e1: rating(), e3: rating(), overall: rating() };
    };
    const desks = [short, full, health];
    const forms = await Promise.all(
      Array.from({ length: 90 }, async (_, i) => {
        const desk = desks[i % 3] as TestDesk;
        return { form: await t.citizen(desk).take(), answers: answersFor(desk) };
      }),
    );
    const before = await countRows(t.db, 'responses');
    const sends = forms.flatMap((f, i) => {
      const copies = i % 9 === 0 ? 3 : 1; // some forms sent three times at once
      const answers = i % 13 === 5 ? { ...f.answers, overall: '' } : f.answers; // some incomplete
      return Array.from({ length: copies }, () => f.form.send(answers).then((r) => ({ form: f.form, status: r.status, to: String(r.headers.location ?? '') })));
    });
    const results = await Promise.all(sends);
    // Every answer is a 303: to the thanks when stored, to the kept answers (?nhap=) when incomplete,
    // to the form's own address (?f=, which says it was sent) for a copy of a form already stored.
    expect(results.filter((r) => r.status !== 303).map((r) => r.status)).toEqual([]);
    expect(results.filter((r) => !r.to.includes('/cam-on') && !r.to.includes('nhap=') && !r.to.includes('?f=')).map((r) => r.to)).toEqual([]);
    expect(results.some((r) => r.to.includes('nhap='))).toBe(true);
    // Each form counts once, however many copies of it were sent; a refused form not at all.
    const accepted = new Set(results.filter((r) => r.to.includes('/cam-on')).map((r) => r.form));
    expect(await countRows(t.db, 'responses')).toBe(before + accepted.size);
    expect(await storedRollups(t.db)).toEqual(await recountRollups(t.db));
  }, 60_000);

  it('a batch with one failing submission stores the others and rejects only that one', async () => {
    const queue = createSubmissionQueue(t.db, { maxBatch: 10, maxWaitMs: 50 });
    const survey = await findDeskSurvey(t.db, short.id);
    if (!survey) throw new Error('no desk');
    const input = (questionId: number): ResponseInput => {
      const ratings = [{ questionId, value: 4 }];
      return {
        nonce: randomBytes(12).toString('base64url'),
        questionnaireId: survey.questionnaire.id,
        unitId: survey.unit.id,
        deskId: survey.desk.id,
        fieldId: survey.fields[0]?.id ?? 0,
        channel: 'qr',
        submittedAt: '2025-06-15T03:00:00.000Z',
        localDay: '2025-06-15',
        lang: 'vi',
        status: 'ok',
        secondsTaken: 20,
        flags: '',
        verified: false,
        dossierHash: null,
        ratings,
        choices: [],
        comments: [],
        summary: summarizeRatings(survey.questions, ratings),
      };
    };
    const overall = survey.questions.find((q) => q.role === 'overall')?.id ?? 0;
    const before = await countRows(t.db, 'responses');
    // Sent in the same tick: one batch, in which the fourth names a question that does not exist.
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map((i) => queue.record(input(i === 3 ? 999_999 : overall))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await countRows(t.db, 'responses')).toBe(before + 4);
    expect(await storedRollups(t.db)).toEqual(await recountRollups(t.db));
  });

  it('the desk cache serves a rotated QR code as 404 and a new questionnaire version at once', async () => {
    const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681' });
    await request(t.app).get(desk.url).expect(200);
    await revokeDeskTokens(t.db, desk.id);
    await request(t.app).get(desk.url).expect(404);
    const rotated = `/q/${signDeskToken(t.ready.secret, desk.id, 2)}`;
    await request(t.app).get(rotated).expect(200);
    const field = await t.db.selectFrom('fields').select('id').where('code', '=', 'dat-dai').executeTakeFirstOrThrow();
    const fullVersion = await t.db.selectFrom('questionnaires').select('id').where('code', '=', 'tthc-full').executeTakeFirstOrThrow();
    await updateDesk(t.db, desk.id, { name: 'Quầy đổi mẫu', questionnaireId: fullVersion.id, fieldIds: [field.id] });
    const page = await request(t.app).get(rotated).expect(200);
    expect(page.text).toContain('Quầy đổi mẫu');
    expect(page.text).toContain('name="c6"');
  });

  it('the page rendered once per desk gives every citizen a form token of their own, and each form sent is stored; English is its own page', async () => {
    const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681' });
    const forms = await Promise.all([0, 1, 2].map(() => t.citizen(desk).take()));
    const pages = forms.map((form) => form.page.text);
    const tokens = pages.map(formTokenOf);
    expect(new Set(tokens).size).toBe(3);
    // The same page around each token, character for character.
    expect(new Set(pages.map((p, i) => p.replace(tokens[i] ?? '', 'TOKEN'))).size).toBe(1);
    const inEnglish = await t.citizen(desk).take(`${desk.url}?lang=en`);
    const english = inEnglish.page.text;
    expect(english).toContain('<html lang="en">');
    expect(english).toContain(`action="${desk.url}?lang=en"`);
    expect(formTokenOf(english)).not.toBe(tokens[0]);
    const before = await countRows(t.db, 'responses');
    for (const form of [...forms, inEnglish]) await form.send(shortAnswers()).expect(303);
    expect(await countRows(t.db, 'responses')).toBe(before + 4);
  });

  it('the past the dashboard keeps in memory is read again when a paper form is typed in for an earlier day', async () => {
    await buildUser(t.db, 'nhap.cu', 'admin', null);
    const agent = await t.staff('nhap.cu');
    const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '17329' });
    const n = async () => {
      const api = await agent.get('/api/v1/indicators?from=2025-06-01&to=2025-06-15&unit=17329').expect(200);
      return (api.body.indicators as { code: string; n: number }[]).find((i) => i.code === 'tthc')?.n;
    };
    // A citizen on 2 June; the dashboard is opened on the 15th.
    const today = t.clock.now;
    t.clock.now = new Date('2025-06-02T03:00:00Z');
    expect((await t.citizen(desk).submit(shortAnswers())).status).toBe(303);
    t.clock.now = today;
    expect(await n()).toBe(1);
    expect(await n()).toBe(1); // now from memory
    const typed = await agent.post('/paper/entry', { desk: String(desk.id), day: '03/06/2025', count: '0', paper_number: 'P1', a: '4', b: '4', c: '4', d: '4', e: '4', overall: '5' }, `/paper/entry?desk=${desk.id}&day=03/06/2025`);
    expect(typed.status).toBe(303);
    expect(await n()).toBe(2);
  });

  it('a change made by another process (the command line, another app server) reaches the cache within seconds', async () => {
    const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681' });
    await request(t.app).get(desk.url).expect(200);
    // Another process: its own connection, its own count of changes.
    const other = connect(t.config.databaseUrl);
    try {
      await other.kysely.updateTable('desks').set((eb) => ({ token_version: eb('token_version', '+', 1) })).where('id', '=', desk.id).execute();
      await other.kysely.updateTable('settings').set({ value: randomBytes(8).toString('hex') }).where('key', '=', 'survey_config_version').execute();
    } finally {
      await other.close();
    }
    let status = 200;
    for (let i = 0; i < 40 && status === 200; i++) {
      status = (await request(t.app).get(desk.url)).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(404);
  });
});

describe.each(DIALECTS)('killed mid-batch on %s', (dialect) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sipas-kill-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every submission acknowledged with 303 before a SIGKILL is in the database afterwards', async () => {
    const { freshDatabase } = await import('./support/db.ts');
    const database = await freshDatabase(dialect);
    const server = await startServerProcess({ DATABASE_URL: database.url, SURVEY_MIN_SECONDS: '0', SURVEY_RATE_LIMIT: '10000' }, { selfBaseUrl: true });
    const db = connect(database.url);
    try {
      const desk = await buildDesk(db.kysely, (await getSetting(db.kysely, 'secret')) ?? '');
      const acknowledged: string[] = [];
      const client = async (rounds: number) => {
        for (let i = 0; i < rounds; i++) {
          try {
            const form = await citizenAt(server.url, desk).take();
            const res = await form.send(shortAnswers());
            if (res.status === 303) acknowledged.push(form.token.split('.')[0] ?? '');
          } catch {
            return; // the server is gone
          }
        }
      };
      const clients = Array.from({ length: 20 }, () => client(50));
      // Kill it once submissions are flowing, while batches are in flight.
      while (acknowledged.length < 60) await new Promise((resolve) => setTimeout(resolve, 20));
      server.kill('SIGKILL');
      await Promise.all(clients);
      expect(acknowledged.length).toBeGreaterThanOrEqual(60);
      // Opened afresh, as after a restart.
      const after = connect(database.url);
      const stored = new Set((await after.kysely.selectFrom('used_nonces').select('nonce').execute()).map((r) => r.nonce));
      await after.close();
      const lost = acknowledged.filter((nonce) => !stored.has(nonce));
      expect(lost).toEqual([]);
    } finally {
      await db.close();
      await server.stop();
      await database.drop();
    }
  }, 90_000);
});
