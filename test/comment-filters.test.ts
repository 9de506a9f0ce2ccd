/**
 * Comments carry their response's day, unit, desk, field, channel, status and overall rating
 * (migration 0009), so the comment lists read the comments table alone. What users would notice if
 * that went wrong: a database written before the migration shows other comments or other counts
 * after it; a comment of a response the review queue removed stays listed; a channel's writer leaves
 * a comment without its response's columns.
 */
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRows } from '../db/bulk.ts';
import { connect } from '../db/connect.ts';
import { migrateTo, migrateToLatest } from '../db/migrate.ts';
import type { RollupFilter } from '../db/queries/analytics.ts';
import { type CommentQuery, type CommentRow, commentPage } from '../db/queries/comments.ts';
import { responsesMatching } from '../db/queries/response-filter.ts';
import type { Channel, Database } from '../db/schema.ts';
import { seedReferenceData } from '../db/seed/reference.ts';
import { runDemoSeed } from '../server/cli/demo-seed.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, storeResponses } from './support/builders.ts';
import { commentsOutOfStep } from './support/comment-copies.ts';
import { freshDatabase } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';
import { readable } from './support/html.ts';
import type { StaffPage } from './support/actors.ts';
import { buildUser } from './support/staff.ts';

const WARD = '16681';
const COMMUNE = '17329';

/** The comment page exactly as it was read before migration 0009: joined to responses, the rating from answers. */
async function pageBefore0009(db: Kysely<Database>, filter: RollupFilter, opts: CommentQuery): Promise<{ total: number; rows: CommentRow[] }> {
  const overall = sql<number | null>`(select max(answers.value) from answers inner join questions on questions.id = answers.question_id
    where answers.response_id = responses.id and questions.role = 'overall' and questions.type = 'rating5')`;
  const matching = () => {
    let q = db.selectFrom('comments').innerJoin('responses', 'responses.id', 'comments.response_id').where(responsesMatching(filter));
    if (!opts.includeHidden) q = q.where('comments.hidden', '=', 0);
    if (opts.overall !== null) q = q.where(overall, '=', opts.overall);
    return q;
  };
  const count = await matching().select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  const rows = await matching()
    .innerJoin('units', 'units.id', 'responses.unit_id')
    .innerJoin('desks', 'desks.id', 'responses.desk_id')
    .select(['comments.id', 'comments.text', 'comments.hidden', 'responses.local_day', 'responses.unit_id', 'units.name as unit_name', 'desks.name as desk_name', 'responses.field_id', overall.as('overall')])
    .orderBy('responses.submitted_at', 'desc')
    .orderBy('comments.id', 'desc')
    .offset(opts.offset)
    .limit(opts.limit)
    .execute();
  return {
    total: Number(count.n),
    rows: rows.map((r) => ({
      id: r.id, text: r.text, hidden: r.hidden === 1, day: r.local_day, unitId: r.unit_id, unitName: r.unit_name,
      deskName: r.desk_name, fieldId: r.field_id, overall: r.overall === null ? null : Number(r.overall),
    })),
  };
}

const filterOf = (f: Partial<RollupFilter>): RollupFilter => ({
  from: '2025-06-01', to: '2025-06-30', spans: [], unitIds: null, fieldIds: null, deskId: null, channel: null, statuses: ['ok'], ...f,
});
const page = (q: Partial<CommentQuery> = {}): CommentQuery => ({ includeHidden: false, overall: null, offset: 0, limit: 20, ...q });

describe.each(DIALECTS)('on %s', (dialect) => {
  it('a database with comments written before migration 0009 lists the same comments, in the same order, with the same counts after it', async () => {
    const database = await freshDatabase(dialect);
    const db = connect(database.url);
    try {
      // Reference data as today's seed writes it, then the schema taken back to before 0009 (the
      // seed writes today's columns, so it cannot run on the old schema itself).
      await migrateToLatest(db.kysely);
      await seedReferenceData(db.kysely);
      // The desks too, by today's code (a desk's columns then were a subset of today's).
      const k = db.kysely;
      const ward = await buildDesk(k, 'secret', { unitCode: WARD, fields: ['dat-dai', 'xay-dung'] });
      const commune = await buildDesk(k, 'secret', { unitCode: COMMUNE, fields: ['tu-phap-ho-tich'] });
      await migrateTo(db.kysely, '2026-11-29-0008-survey-drafts');
      const idOf = async (table: 'units' | 'fields', code: string) => (await k.selectFrom(table).select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
      const [wardUnit, communeUnit, land, building, civil] = [await idOf('units', WARD), await idOf('units', COMMUNE), await idOf('fields', 'dat-dai'), await idOf('fields', 'xay-dung'), await idOf('fields', 'tu-phap-ho-tich')];
      const questionnaire = (await k.selectFrom('desks').select('questionnaire_id').where('id', '=', ward.id).executeTakeFirstOrThrow()).questionnaire_id;
      const questions = await k.selectFrom('questions').select(['id', 'role', 'type']).where('questionnaire_id', '=', questionnaire).execute();
      const overallQuestion = questions.find((q) => q.role === 'overall')?.id as number;
      const textQuestion = questions.find((q) => q.type === 'text')?.id as number;
      const criterion = questions.find((q) => q.role === 'criterion')?.id as number;

      // Sixty responses written the way the writer before 0009 wrote them, across every filter; ids
      // do not follow submission time, paper forms are typed in days later, two share one instant.
      const fixture = Array.from({ length: 60 }, (_, i) => {
        const atCommune = i % 3 === 2;
        const day = `2025-06-${10 + (i % 5)}`;
        const channel = (['qr', 'kiosk', 'web', 'paper'] as Channel[])[i % 4] as Channel;
        const minute = String((i * 37) % 60).padStart(2, '0');
        const submitted = channel === 'paper' ? `2025-06-20T0${i % 10}:${minute}:00.000Z` : `${day}T0${i % 10}:${minute}:00.000Z`;
        return {
          i, day, channel, submitted,
          unitId: atCommune ? communeUnit : wardUnit,
          deskId: atCommune ? commune.id : ward.id,
          fieldId: atCommune ? civil : i % 2 === 0 ? land : building,
          status: i % 7 === 0 ? 'suspect' : i % 11 === 0 ? 'spam' : 'ok',
          overall: i % 6 === 0 ? undefined : i % 6 === 1 ? null : (i % 5) + 1,
          comment: i % 9 !== 4,
          hidden: i % 8 === 3 ? 1 : 0,
        };
      });
      (fixture[51] as (typeof fixture)[number]).submitted = fixture[50]?.submitted as string;
      for (const f of fixture) {
        const [response] = await insertRows<{ id: number }>(
          k, 'responses',
          ['public_id', 'questionnaire_id', 'unit_id', 'desk_id', 'field_id', 'channel', 'submitted_at', 'local_day', 'lang', 'status', 'seconds_taken'],
          [`p${f.i}`, questionnaire, f.unitId, f.deskId, f.fieldId, f.channel, f.submitted, f.day, 'vi', f.status, 30],
          ['id'],
        );
        const id = Number(response?.id);
        await insertRows(k, 'answers', ['response_id', 'question_id', 'value', 'option_key'], [id, criterion, 4, '', ...(f.overall === undefined ? [] : [id, overallQuestion, f.overall, ''])]);
        if (f.comment) await insertRows(k, 'comments', ['response_id', 'question_id', 'text', 'hidden', 'created_at'], [id, textQuestion, `Góp ý ${f.i}`, f.hidden, f.submitted]);
      }

      const views: [RollupFilter, CommentQuery][] = [
        [filterOf({}), page()],
        [filterOf({}), page({ offset: 20 })],
        [filterOf({}), page({ includeHidden: true, limit: 50 })],
        [filterOf({ statuses: ['ok', 'suspect'], unitIds: [wardUnit] }), page({ limit: 50 })],
        [filterOf({ fieldIds: [land, civil], channel: 'paper' }), page({ includeHidden: true })],
        [filterOf({ deskId: commune.id, statuses: ['ok', 'suspect', 'spam'] }), page({ overall: 3, includeHidden: true })],
        [filterOf({ from: '2025-06-11', to: '2025-06-12', statuses: ['ok', 'suspect', 'spam'] }), page({ limit: 5, offset: 3 })],
        [filterOf({ unitIds: [] }), page()],
      ];
      const before = [];
      for (const [filter, opts] of views) before.push(await pageBefore0009(k, filter, opts));
      // Hand check of the first view: the visible comments of 'ok' responses.
      const visible = fixture.filter((f) => f.comment && f.hidden === 0 && f.status === 'ok');
      expect(before[0]?.total).toBe(visible.length);
      expect(before[0]?.rows).toHaveLength(20);
      expect(before[5]?.total).toBeGreaterThan(0);

      expect((await migrateToLatest(k))[0]).toBe('2026-11-30-0009-comment-filters');
      const after = [];
      for (const [filter, opts] of views) after.push(await commentPage(k, filter, opts));
      expect(after).toEqual(before);
      expect(await commentsOutOfStep(k)).toEqual([]);
    } finally {
      await db.close();
      await database.drop();
    }
  }, 60_000);

  describe('after migration 0009', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      await buildUser(t.db, 'admin', 'admin', null);
    }, 60_000);
    afterAll(() => t?.close());

    it('the demo generator writes each comment with its response\'s columns', async () => {
      await runDemoSeed(t.ready, 400, { months: 2, now: t.clock.now });
      expect(Number((await t.db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBeGreaterThan(10);
      expect(await commentsOutOfStep(t.db)).toEqual([]);
    }, 60_000);

    it('a comment follows its response through the review queue: removed, it leaves the list; restored, it comes back', async () => {
      const desk = await buildDesk(t.db, t.ready.secret, { unitCode: COMMUNE, fields: ['tu-phap-ho-tich'], code: 'REVIEWED' });
      await storeResponses(t.db, desk.id, 'tu-phap-ho-tich', '2025-06-14', [{ copies: 1, ratings: { a: 1, b: 1, c: 1, d: 1, e: 1, overall: 1 }, comment: 'Phiếu đáng ngờ có góp ý', status: 'suspect' }]);
      const response = await t.db.selectFrom('responses').select('id').where('desk_id', '=', desk.id).executeTakeFirstOrThrow();
      const admin = await t.staff('admin');
      const listed = async (suspect: boolean) => readable((await admin.get(`/dashboard/comments?period=month${suspect ? '&suspect=1' : ''}`).expect(200)).text).includes('Phiếu đáng ngờ có góp ý');
      expect([await listed(true), await listed(false)]).toEqual([true, false]);

      const queue = await admin.page('/admin/review');
      /** The tick box of this response and the button, on a tab of the queue. */
      const move = (decision: string, from: string, tab: StaffPage) => tab.post('/admin/review', { selection: 'selected', decision, from, desk: String(desk.id), id: [String(response.id)] }).expect(303);
      await move('remove', 'suspect', queue);
      expect((await t.db.selectFrom('comments').select('status').where('response_id', '=', response.id).executeTakeFirstOrThrow()).status).toBe('spam');
      expect([await listed(true), await listed(false)]).toEqual([false, false]);
      expect(await commentsOutOfStep(t.db)).toEqual([]);

      await move('keep', 'spam', await admin.page('/admin/review?tab=removed'));
      expect([await listed(true), await listed(false)]).toEqual([true, true]);
      expect(await commentsOutOfStep(t.db)).toEqual([]);
    });
  });
});
