/** The citizen's path through HTTP: desk link -> form -> valid submission -> stored and counted. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readable } from './support/html.ts';
import { updateDesk } from '../db/queries/desks.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, shortAnswers, type TestDesk } from './support/builders.ts';
import { countRows, submissionFootprint } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let desk: TestDesk;
  let oneStop: TestDesk;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    desk = await buildDesk(t.db, t.ready.secret, { fields: ['dat-dai'] });
    oneStop = await buildDesk(t.db, t.ready.secret, { fields: ['tu-phap-ho-tich', 'dat-dai', 'xay-dung'] });
  });
  afterAll(() => t.close());

  /** Each test's citizen has a phone of their own (builders.ts citizen()) and opens the form at `url`. */
  const openForm = (url: string) => t.citizen({ url }).take();

  describe('the survey page', () => {
    it('shows the unit, the desk and one fieldset with a legend per question, in Vietnamese', async () => {
      const res = await request(t.app).get(desk.url).expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html; charset=utf-8/);
      expect(res.text).toContain('<html lang="vi">');
      expect(res.text).toContain('Phường Thành Vinh');
      // The desk's name already says "Quầy": no "Quầy: Quầy 3".
      expect(res.text).toMatch(/Phường Thành Vinh · Quầy \d+</);
      // tthc-short: 5 elements, overall and expectations are fieldsets; the comment is a textarea.
      expect(res.text.match(/<fieldset/g)).toHaveLength(7);
      expect(res.text.match(/<legend/g)).toHaveLength(7);
      expect(res.text).toContain('Rất hài lòng');
      expect(res.text).toContain('Không ý kiến');
      expect(res.text).toContain('name="overall" value="5"');
      expect(res.text).toContain('<textarea id="comment" name="comment"');
      // One field: no field picker.
      expect(res.text).not.toContain('name="field"');
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('speaks English with ?lang=en and keeps the language through the form action', async () => {
      const res = await request(t.app).get(`${desk.url}?lang=en`).expect(200);
      expect(res.text).toContain('<html lang="en">');
      expect(res.text).toContain('Very satisfied');
      expect(res.text).toContain('No opinion');
      expect(res.text).toContain(`action="${desk.url}?lang=en"`);
    });

    it('asks for the field first when the desk serves several', async () => {
      const res = await request(t.app).get(oneStop.url).expect(200);
      expect(res.text).toContain('lĩnh vực nào');
      for (const code of ['tu-phap-ho-tich', 'dat-dai', 'xay-dung']) expect(res.text).toContain(`name="field" value="${code}"`);
      expect(res.text.indexOf('name="field"')).toBeLessThan(res.text.indexOf('name="a"'));
    });

    it('sends a strict content security policy with no inline script or style allowed', async () => {
      const res = await request(t.app).get(desk.url).expect(200);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.text).not.toMatch(/<script>|style="/);
    });
  });

  describe('a valid submission', () => {
    it('writes the response, answers, comment, rollups and nonce in one go and redirects to thanks', async () => {
      const before = await submissionFootprint(t.db);
      const form = await openForm(desk.url);
      const res = await form.send(shortAnswers()).expect(303);
      expect(res.headers.location).toBe(`${desk.url}/cam-on`);

      const after = await submissionFootprint(t.db);
      expect(after.responses).toBe((before.responses ?? 0) + 1);
      // 5 criteria + overall + 2 chosen expectations.
      expect(after.answers).toBe((before.answers ?? 0) + 8);
      expect(after.comments).toBe((before.comments ?? 0) + 1);
      expect(after.used_nonces).toBe((before.used_nonces ?? 0) + 1);

      const response = await t.db.selectFrom('responses').selectAll().where('desk_id', '=', desk.id).executeTakeFirstOrThrow();
      expect(response).toMatchObject({ channel: 'qr', status: 'ok', lang: 'vi', submitted_at: '2025-06-15T03:00:00.000Z', local_day: '2025-06-15' });
      const comment = await t.db.selectFrom('comments').selectAll().where('response_id', '=', response.id).executeTakeFirstOrThrow();
      expect(comment.text).toBe('Cán bộ nhiệt tình.');
      expect(comment.hidden).toBe(0);

      const rollups = await t.db
        .selectFrom('daily_rollups')
        .innerJoin('questions', 'questions.id', 'daily_rollups.question_id')
        .select(['questions.key', 'option_key', 'n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n_chosen', 'day'])
        .where('desk_id', '=', desk.id)
        .execute();
      const row = (key: string, option = '') => rollups.find((r) => r.key === key && r.option_key === option);
      expect(row('a')).toMatchObject({ n5: 1, n4: 0, n0: 0, day: '2025-06-15' });
      expect(row('d')).toMatchObject({ n3: 1 });
      expect(row('e')).toMatchObject({ n0: 1, n1: 0, n2: 0, n3: 0, n4: 0, n5: 0 });
      expect(row('overall')).toMatchObject({ n4: 1 });
      expect(row('expectations')).toMatchObject({ n_chosen: 1 });
      expect(row('expectations', 'minh-bach')).toMatchObject({ n_chosen: 1 });
      expect(row('expectations', 'thai-do')).toMatchObject({ n_chosen: 1 });
      const daily = await t.db.selectFrom('daily_responses').selectAll().where('desk_id', '=', desk.id).execute();
      expect(daily).toEqual([expect.objectContaining({ n: 1, day: '2025-06-15', status: 'ok', channel: 'qr' })]);
    });

    it('adds to the same rollup row for a second response on the same day', async () => {
      await (await openForm(desk.url)).send(shortAnswers({ a: '2' })).expect(303);
      const a = await t.db
        .selectFrom('daily_rollups')
        .innerJoin('questions', 'questions.id', 'daily_rollups.question_id')
        .select(['n2', 'n5'])
        .where('desk_id', '=', desk.id)
        .where('questions.key', '=', 'a')
        .execute();
      expect(a).toEqual([{ n2: 1, n5: 1 }]);
      const daily = await t.db.selectFrom('daily_responses').select('n').where('desk_id', '=', desk.id).executeTakeFirstOrThrow();
      expect(daily.n).toBe(2);
    });

    it('counts a submission in the local day of Asia/Ho_Chi_Minh, not UTC', async () => {
      const late = await buildDesk(t.db, t.ready.secret);
      t.clock.now = new Date('2025-06-30T18:30:00Z'); // 01:30 on 1 July in Vinh
      try {
        await (await openForm(late.url)).send(shortAnswers()).expect(303);
      } finally {
        t.clock.now = new Date('2025-06-15T03:00:00Z');
      }
      const response = await t.db.selectFrom('responses').select('local_day').where('desk_id', '=', late.id).executeTakeFirstOrThrow();
      expect(response.local_day).toBe('2025-07-01');
      const days = await t.db.selectFrom('daily_rollups').select('day').distinct().where('desk_id', '=', late.id).execute();
      expect(days).toEqual([{ day: '2025-07-01' }]);
    });

    it('stores the chosen field of a one-stop desk and the English language', async () => {
      const form = await openForm(`${oneStop.url}?lang=en`);
      expect(form.action).toBe(`${oneStop.url}?lang=en`);
      const res = await form.send({ field: 'xay-dung', ...shortAnswers() }).expect(303);
      expect(res.headers.location).toBe(`${oneStop.url}/cam-on?lang=en`);
      const stored = await t.db
        .selectFrom('responses')
        .innerJoin('fields', 'fields.id', 'responses.field_id')
        .select(['fields.code', 'responses.lang'])
        .where('desk_id', '=', oneStop.id)
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({ code: 'xay-dung', lang: 'en' });
      const thanks = await request(t.app).get(res.headers.location ?? '').expect(200);
      expect(thanks.text).toContain('Thank you for your rating!');
    });

    it('accepts a form with only the required answers', async () => {
      await (await openForm(desk.url)).send({ a: '1', b: '1', c: '1', d: '1', e: '1', overall: '1' }).expect(303);
    });

    it('shows the thank-you page in Vietnamese', async () => {
      const res = await request(t.app).get(`${desk.url}/cam-on`).expect(200);
      expect(res.text).toContain('Cảm ơn Ông/Bà đã đánh giá!');
      expect(res.text).toContain(`href="${desk.url}"`);
    });
  });

  describe('replaying a form', () => {
    it('says it was sent already, and when, and stores nothing more, even with other answers', async () => {
      t.clock.now = new Date('2025-06-16T03:02:00Z');
      const form = await openForm(desk.url);
      await form.send(shortAnswers()).expect(303);
      const before = await submissionFootprint(t.db);
      t.clock.now = new Date('2025-06-16T03:05:00Z');
      const again = await form.send(shortAnswers({ overall: '1' })).expect(303);
      // The form's own address, which says what became of it.
      expect(again.headers.location).toBe(`${desk.url}?f=${encodeURIComponent(form.token)}`);
      const page = await request(t.app).get(again.headers.location as string).expect(200);
      expect(readable(page.text)).toContain('Phiếu này đã được gửi lúc 10:02 và đã được ghi nhận. Mỗi phiếu chỉ được tính một lần');
      expect(page.text).not.toContain('name="ft"');
      expect(await submissionFootprint(t.db)).toEqual(before);
    });

    it('stores one response when two copies of a form race', async () => {
      const form = await openForm(desk.url);
      const before = await countRows(t.db, 'responses');
      const results = await Promise.all([1, 2, 3].map(() => form.send(shortAnswers())));
      expect(results.map((r) => r.status)).toEqual([303, 303, 303]);
      expect(await countRows(t.db, 'responses')).toBe(before + 1);
    });
  });

  describe('suspiciously fast submissions', () => {
    it('are stored as suspect when sent sooner than SURVEY_MIN_SECONDS after the form was served', async () => {
      const strict = await startTestApp(dialect, { SURVEY_MIN_SECONDS: '5' });
      try {
        const d = await buildDesk(strict.db, strict.ready.secret);
        await strict.citizen(d).submit(shortAnswers()).then((r) => expect(r.status).toBe(303));
        const careful = await strict.citizen(d).take();
        strict.clock.now = new Date(strict.clock.now.getTime() + 40_000);
        await careful.send(shortAnswers()).expect(303);
        const rows = await strict.db.selectFrom('responses').select(['status', 'seconds_taken']).orderBy('id').execute();
        expect(rows).toEqual([
          { status: 'suspect', seconds_taken: 0 },
          { status: 'ok', seconds_taken: 40 },
        ]);
      } finally {
        await strict.close();
      }
    });
  });

  describe('a desk whose questionnaire changes while a citizen fills in the form', () => {
    it('checks and stores the answers against the version the citizen saw', async () => {
      const d = await buildDesk(t.db, t.ready.secret);
      const form = await openForm(d.url);
      const short = await t.db.selectFrom('desks').select('questionnaire_id').where('id', '=', d.id).executeTakeFirstOrThrow();
      const full = await t.db.selectFrom('questionnaires').select('id').where('code', '=', 'tthc-full').executeTakeFirstOrThrow();
      const field = await t.db.selectFrom('desk_fields').select('field_id').where('desk_id', '=', d.id).executeTakeFirstOrThrow();
      await updateDesk(t.db, d.id, { name: 'Quầy 1', questionnaireId: full.id, fieldIds: [field.field_id] });
      await form.send(shortAnswers()).expect(303);
      const stored = await t.db.selectFrom('responses').select('questionnaire_id').where('desk_id', '=', d.id).executeTakeFirstOrThrow();
      expect(stored.questionnaire_id).toBe(short.questionnaire_id);
      // The next visitor gets the new version.
      const page = await request(t.app).get(d.url).expect(200);
      expect(page.text).toContain('name="c6"');
    });
  });

  describe('on a slow connection', () => {
    it('the survey page and its stylesheet are sent compressed and small', async () => {
      const res = await request(t.app).get(desk.url).set('Accept-Encoding', 'gzip').expect(200);
      expect(res.headers['content-encoding']).toBe('gzip');
      const css = await request(t.app).get('/css/app.css').set('Accept-Encoding', 'gzip').expect(200);
      expect(css.headers['content-encoding']).toBe('gzip');
      expect(css.headers['cache-control']).toContain('max-age=86400');
      // One small deferred script of our own (it only puts the form's own address in the address bar), nothing else.
      expect(res.text.match(/<script/g)).toHaveLength(1);
      expect(res.text).toContain('<script src="/js/survey-form.js" defer></script>');
      const js = await request(t.app).get('/js/survey-form.js').expect(200);
      expect(js.text.length).toBeLessThan(1500);
    });
  });
});
