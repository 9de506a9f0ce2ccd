/**
 * The survey's writes as commands (issue 19): a paper form typed in, a comment hidden or shown, a
 * reviewer's decision each write their change and their audit entry in one transaction. Here the
 * audit log refuses every new entry for a moment (a trigger, so it can still be read: the paper
 * signals read it) and nothing of the change may be left; on the normal path, exactly one entry.
 * A citizen's form sent at the same moment as a refused paper form is stored all the same.
 */
import { type Kysely, sql } from 'kysely';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialect } from '../db/connect.ts';
import type { Database } from '../db/schema.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, shortAnswers, storeResponses, type TestDesk } from './support/builders.ts';
import { countRows } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';
import { recountRollups, storedRollups } from './support/recount.ts';
import { buildToken, buildUser } from './support/staff.ts';
import type { StaffMember } from './support/actors.ts';

/** The audit log refuses new entries (still readable) until the returned function is called. */
async function refuseAuditEntries(db: Kysely<Database>, dialect: Dialect): Promise<() => Promise<void>> {
  if (dialect === 'sqlite') {
    await sql`create trigger refuse_audit before insert on audit_log begin select raise(abort, 'audit refused'); end`.execute(db);
    return async () => void (await sql`drop trigger refuse_audit`.execute(db));
  }
  await sql`create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit refused'; end $$`.execute(db);
  await sql`create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()`.execute(db);
  return async () => {
    await sql`drop trigger refuse_audit on audit_log`.execute(db);
    await sql`drop function refuse_audit()`.execute(db);
  };
}

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let desk: TestDesk;
  let admin: StaffMember;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    desk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', code: 'LENH' });
    await buildUser(t.db, 'quantri', 'admin', null);
    admin = await t.staff('quantri');
  });
  afterAll(() => t.close());

  const auditCount = async (action: string) => Number((await t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);

  /** Refuses audit entries while `work` runs. */
  async function withAuditRefused(work: () => Promise<void>): Promise<void> {
    const restore = await refuseAuditEntries(t.db, dialect);
    try {
      await work();
    } finally {
      await restore();
    }
  }

  describe('a paper form typed in', () => {
    const entryPage = () => `/paper/entry?desk=${desk.id}&day=03/06/2025`;
    const typeIn = (paperNumber: string) =>
      admin.post('/paper/entry', { desk: String(desk.id), day: '03/06/2025', count: '0', paper_number: paperNumber, a: '5', b: '4', c: '5', d: '4', e: '3', overall: '4' }, entryPage());

    it('is stored with exactly one paper.enter entry naming it', async () => {
      const res = await typeIn('CMD-1');
      expect(res.status).toBe(303);
      const stored = await t.db.selectFrom('responses').select('public_id').where('channel', '=', 'paper').execute();
      expect(stored).toHaveLength(1);
      const entries = await t.db.selectFrom('audit_log').select(['subject', 'detail']).where('action', '=', 'paper.enter').execute();
      expect(entries).toEqual([{ subject: stored[0]?.public_id, detail: `desk ${desk.id} form CMD-1 day 2025-06-03` }]);
    });

    it('is not stored when its audit entry cannot be written; a citizen sending at the same moment is', async () => {
      const before = await countRows(t.db, 'responses');
      const rollups = await storedRollups(t.db);
      const citizen = t.citizen(desk);
      const form = await citizen.take();
      await withAuditRefused(async () => {
        const [paper, phone] = await Promise.all([typeIn('CMD-2'), form.send(shortAnswers())]);
        expect(paper.status).toBe(500);
        expect(phone.status).toBe(303);
      });
      expect(await countRows(t.db, 'responses')).toBe(before + 1);
      expect(await t.db.selectFrom('responses').select('id').where('channel', '=', 'paper').execute()).toHaveLength(1);
      expect(await t.db.selectFrom('used_nonces').select('nonce').where('nonce', '=', `paper:${desk.id}:CMD-2`).execute()).toEqual([]);
      expect(await auditCount('paper.enter')).toBe(1);
      expect(rollups).not.toEqual(await storedRollups(t.db));
      expect(await storedRollups(t.db)).toEqual(await recountRollups(t.db));
      // Typed in again once the log takes entries: stored, as if the first try had never been.
      expect((await typeIn('CMD-2')).status).toBe(303);
      expect(await auditCount('paper.enter')).toBe(2);
    });
  });

  describe('a comment hidden or shown', () => {
    let commentId: number;

    beforeAll(async () => {
      await storeResponses(t.db, desk.id, 'dat-dai', '2025-06-10', [{ copies: 1, ratings: { a: 5, b: 5, c: 5, d: 5, e: 5, overall: 5 }, comment: 'Một ý kiến để ẩn.' }]);
      commentId = (await t.db.selectFrom('comments').select('id').where('text', '=', 'Một ý kiến để ẩn.').executeTakeFirstOrThrow()).id;
    });

    const hidden = async () => (await t.db.selectFrom('comments').select('hidden').where('id', '=', commentId).executeTakeFirstOrThrow()).hidden;

    it('is hidden with exactly one comment.hide entry, shown again with one comment.unhide', async () => {
      const res = await admin.post(`/dashboard/comments/${commentId}/hide`, { return_to: '/dashboard/comments?rating=5' }, '/dashboard/comments');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/dashboard/comments?rating=5#comment-${commentId}`);
      expect(await hidden()).toBe(1);
      expect(await t.db.selectFrom('audit_log').select('subject').where('action', '=', 'comment.hide').execute()).toEqual([{ subject: String(commentId) }]);
      // Anywhere but a comments page of this site is never a place to return to.
      const shown = await admin.post(`/dashboard/comments/${commentId}/unhide`, { return_to: 'https://elsewhere.example/' }, '/dashboard/comments');
      expect(shown.headers.location).toBe(`/dashboard/comments#comment-${commentId}`);
      expect(await hidden()).toBe(0);
      expect(await auditCount('comment.unhide')).toBe(1);
    });

    it('stays as it was when the audit entry cannot be written', async () => {
      await withAuditRefused(async () => {
        expect((await admin.post(`/dashboard/comments/${commentId}/hide`, {}, '/dashboard/comments')).status).toBe(500);
      });
      expect(await hidden()).toBe(0);
      expect(await auditCount('comment.hide')).toBe(1);
    });

    it('refuses an action or a comment that does not exist (404), before anything is written', async () => {
      expect((await admin.post(`/dashboard/comments/${commentId}/delete`, {}, '/dashboard/comments')).status).toBe(404);
      expect((await admin.post('/dashboard/comments/999999/hide', {}, '/dashboard/comments')).status).toBe(404);
      expect(await hidden()).toBe(0);
    });
  });

  describe("a reviewer's decision", () => {
    let ids: number[];

    beforeAll(async () => {
      await storeResponses(t.db, desk.id, 'dat-dai', '2025-06-11', [{ copies: 2, ratings: { a: 1, b: 1, c: 1, d: 1, e: 1, overall: 1 }, status: 'suspect' }]);
      ids = (await t.db.selectFrom('responses').select('id').where('status', '=', 'suspect').orderBy('id').execute()).map((r) => r.id);
    });

    const keep = () => admin.post('/admin/review', { selection: 'selected', id: ids.map(String), decision: 'keep', from: 'suspect', desk: String(desk.id) }, '/admin/review');
    const statuses = async () => (await t.db.selectFrom('responses').select('status').where('id', 'in', ids).execute()).map((r) => r.status);

    it('moves nothing when its audit entry cannot be written: statuses and rollups as they were', async () => {
      const rollups = await storedRollups(t.db);
      await withAuditRefused(async () => {
        expect((await keep()).status).toBe(500);
      });
      expect(await statuses()).toEqual(['suspect', 'suspect']);
      expect(await storedRollups(t.db)).toEqual(rollups);
      expect(await auditCount('review.keep')).toBe(0);
    });

    it('keeps the ticked responses with exactly one review.keep entry; none ticked is said, not done', async () => {
      const none = await admin.post('/admin/review', { selection: 'selected', decision: 'keep', from: 'suspect', desk: String(desk.id) }, '/admin/review');
      expect(none.status).toBe(303);
      expect(none.headers.location).toBe('/admin/review');
      const res = await keep();
      expect(res.status).toBe(303);
      expect(await statuses()).toEqual(['ok', 'ok']);
      expect(await t.db.selectFrom('audit_log').select(['subject', 'detail']).where('action', '=', 'review.keep').execute()).toEqual([{ subject: '16681/LENH', detail: '2 responses (confirmed)' }]);
      expect(await storedRollups(t.db)).toEqual(await recountRollups(t.db));
    });

    it('refuses a form of another shape (400) and a desk that does not exist (404)', async () => {
      expect((await admin.post('/admin/review', { selection: 'group', decision: 'keep', from: 'suspect', desk: String(desk.id) }, '/admin/review')).status).toBe(400);
      expect((await admin.post('/admin/review', { selection: 'selected', id: '1', decision: 'maybe', from: 'suspect', desk: String(desk.id) }, '/admin/review')).status).toBe(400);
      expect((await admin.post('/admin/review', { selection: 'selected', id: '1', decision: 'keep', from: 'suspect', desk: '999999' }, '/admin/review')).status).toBe(404);
    });
  });

  it('a dossier link asked for with a body of the wrong shape is refused (400); the right shape makes one (201)', async () => {
    const userId = (await t.db.selectFrom('users').select('id').where('username', '=', 'quantri').executeTakeFirstOrThrow()).id;
    const token = await buildToken(t.db, userId, t.clock.now, undefined, 'links');
    const ask = (body: object) => request(t.app).post('/api/v1/dossier-links').set('Authorization', `Bearer ${token}`).send(body);
    for (const body of [{ desk_id: String(desk.id), dossier: 'H40-250101-0001' }, { desk_id: desk.id + 0.5, dossier: 'H40-250101-0001' }, { desk_id: desk.id, dossier: 7 }, [desk.id]]) {
      const res = await ask(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'Nội dung yêu cầu cần là JSON dạng {"desk_id": 12, "dossier": "000.00.12.H40-250101-0001"}.' });
    }
    const made = await ask({ desk_id: desk.id, dossier: 'H40-250101-0001' });
    expect(made.status).toBe(201);
    expect(made.body.desk_id).toBe(desk.id);
  });
});
