/**
 * A desk that asks for the dossier code (issue 21, item 10): the box says it must be filled in (on the
 * page and to assistive technology), and a second response for a dossier already rated is told what
 * happened, not "check 1 question": nothing in the answers is wrong, and nothing more is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDeskDetail, updateDesk } from '../db/queries/desks.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, correctionPage, shortAnswers, type TestDesk } from './support/builders.ts';
import { countRows } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';
import { readable } from './support/html.ts';

const CODE = '000.00.12.H40-251205-0042';

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let desk: TestDesk;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    desk = await buildDesk(t.db, t.ready.secret, { code: 'MAHOSO' });
    const detail = await findDeskDetail(t.db, desk.id);
    if (!detail) throw new Error('no desk');
    await updateDesk(t.db, desk.id, { name: detail.name, questionnaireId: detail.questionnaireId, fieldIds: detail.fieldIds, requiresDossier: true });
  });
  afterAll(() => t.close());

  /** A citizen on their own phone sends the form a minute after opening it. */
  async function send(answers: Record<string, string | string[]>, query = '') {
    const citizen = t.citizen(desk);
    const form = await citizen.take(`${desk.url}${query}`);
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    return { sent: await form.send(answers), who: citizen.who };
  }

  it('the dossier code box is marked required, in words beside its label and on the input', async () => {
    const page = await t.citizen(desk).open().expect(200);
    expect(readable(page.text)).toContain('Mã hồ sơ (bắt buộc)');
    const input = /<input [^>]*name="dossier"[^>]*>/.exec(page.text)?.[0] ?? '';
    expect(input).toMatch(/\srequired\s/);
    expect(input).toContain('aria-required="true"');
    const en = await t.citizen(desk).open(`${desk.url}?lang=en`).expect(200);
    expect(readable(en.text)).toContain('Dossier code (required)');
  });

  it('a second response for the same dossier says the dossier was rated already, not "check 1 question", and stores nothing more', async () => {
    const first = await send(shortAnswers({ dossier: CODE }));
    expect(first.sent.status).toBe(303);
    expect(first.sent.headers.location).toMatch(/\/cam-on$/);
    const before = await countRows(t.db, 'responses');

    // Another citizen with the same receipt (the same code, typed differently).
    const second = await send(shortAnswers({ dossier: ` ${CODE.toLowerCase()} ` }));
    const page = await correctionPage(t.app, second.sent, second.who);
    const text = readable(page.text);
    expect(text).toContain(
      'Hồ sơ này đã được đánh giá trước đó Mỗi hồ sơ chỉ được đánh giá một lần, nên phiếu này không được gửi thêm; các câu trả lời không có gì sai. Nếu Ông/Bà gõ nhầm mã hồ sơ, vui lòng sửa lại mã rồi bấm "Gửi đánh giá". Xem lại mã hồ sơ đã nhập',
    );
    expect(text).not.toContain('vui lòng xem lại');
    expect(page.text).not.toContain('notice--error');
    expect(/<title>([^<]*)<\/title>/.exec(page.text)?.[1]).not.toMatch(/^Lỗi/);
    // Said where it happened too, and the answers are all still there in case the code was mistyped.
    expect(page.text).toMatch(/<p class="question__error" id="dossier-error">Hồ sơ này đã được đánh giá\./);
    expect(page.text).toMatch(/id="a-5" name="a" value="5"\s+checked/);
    expect(await countRows(t.db, 'responses')).toBe(before);

    // A mistyped code put right is sent from the same page.
    const fixed = await t.citizen(desk, second.who).hold(page).send(shortAnswers({ dossier: '000.00.12.H40-251205-0043' }));
    expect(fixed.status).toBe(303);
    expect(fixed.headers.location).toMatch(/\/cam-on$/);
    expect(await countRows(t.db, 'responses')).toBe(before + 1);
  });

  it('in English too', async () => {
    const again = await send(shortAnswers({ dossier: CODE }), '?lang=en');
    const text = readable((await correctionPage(t.app, again.sent, again.who)).text);
    expect(text).toContain('This dossier has already been rated Each dossier can be rated once, so this form was not sent again; nothing in your answers is wrong.');
    expect(text).not.toContain('please check');
  });

  it('a missing code is still a mistake to correct, in the summary like any question', async () => {
    const missing = await send(shortAnswers());
    const text = readable((await correctionPage(t.app, missing.sent, missing.who)).text);
    expect(text).toContain('Phiếu chưa gửi được: vui lòng xem lại 1 câu được đánh dấu bên dưới.');
    expect(text).toContain('Vui lòng nhập mã hồ sơ ghi trên giấy hẹn trả kết quả.');
    expect(text).not.toContain('Hồ sơ này đã được đánh giá trước đó');
  });
});
