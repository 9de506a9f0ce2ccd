/**
 * The words a citizen reads fit the place (a hospital's department, a school's parents and students),
 * say each thing once, and a form sent back with errors says so in its title and links to the question.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, correctionPage, shortAnswers, type TestDesk } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { readable } from './support/html.ts';

/** The text of each question block (fieldset, or the comment's box) of a survey page, as read. */
function questionBlocks(html: string): string[] {
  return [...html.matchAll(/<fieldset[\s\S]*?<\/fieldset>|<div class="question[^"]*">[\s\S]*?<\/textarea>/g)].map((m) => readable(m[0]));
}

function placeLine(html: string): string {
  return readable(/<p class="(?:survey|message)__place">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '');
}

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let commune: TestDesk;
  let hospital: TestDesk;
  let namedDepartment: TestDesk;
  let school: TestDesk;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    commune = await buildDesk(t.db, t.ready.secret, { fields: ['dat-dai'] });
    hospital = await buildDesk(t.db, t.ready.secret, { questionnaire: 'health', fields: ['y-te'], unitCode: 'benh-vien-huu-nghi-da-khoa-nghe-an' });
    namedDepartment = await buildDesk(t.db, t.ready.secret, { questionnaire: 'health', fields: ['y-te'], unitCode: 'benh-vien-san-nhi-nghe-an' });
    school = await buildDesk(t.db, t.ready.secret, { questionnaire: 'education', fields: ['giao-duc'], unitCode: 'truong-thpt-chuyen-phan-boi-chau' });
    const rename = (id: number, name: string) => t.db.updateTable('desks').set({ name }).where('id', '=', id).execute();
    await rename(commune.id, 'Một cửa');
    await rename(hospital.id, 'Tiếp đón');
    await rename(namedDepartment.id, 'Khoa Khám bệnh');
    await rename(school.id, 'Văn phòng');
  });
  afterAll(() => t.close());

  describe('the word for the place comes from the kind of unit', () => {
    it.each([
      ['a one-stop desk of a commune', () => commune, 'Phường Thành Vinh · Quầy: Một cửa', 'Phường Thành Vinh · Desk: Một cửa'],
      ['a hospital department', () => hospital, 'Bệnh viện Hữu nghị Đa khoa Nghệ An · Khoa/Phòng: Tiếp đón', 'Bệnh viện Hữu nghị Đa khoa Nghệ An · Department: Tiếp đón'],
      ['a school', () => school, 'Trường THPT chuyên Phan Bội Châu · Bộ phận: Văn phòng', 'Trường THPT chuyên Phan Bội Châu · Office: Văn phòng'],
    ])('%s, on the form and on the thank-you page, in both languages', async (_name, desk, vi, en) => {
      const { url } = desk();
      expect(placeLine((await request(t.app).get(url).expect(200)).text)).toBe(vi);
      expect(placeLine((await request(t.app).get(`${url}/cam-on`).expect(200)).text)).toBe(vi);
      expect(placeLine((await request(t.app).get(`${url}?lang=en`).expect(200)).text)).toBe(en);
      expect(placeLine((await request(t.app).get(`${url}/cam-on?lang=en`).expect(200)).text)).toBe(en);
    });

    it('a desk whose name already says what it is is not labelled twice ("Khoa Khám bệnh", not "Khoa/Phòng: Khoa Khám bệnh")', async () => {
      const page = await request(t.app).get(namedDepartment.url).expect(200);
      expect(placeLine(page.text)).toBe('Bệnh viện Sản Nhi Nghệ An · Khoa Khám bệnh');
    });

    it('the hospital form asks nothing about trust on a satisfaction scale, and the patient is still "Ông/Bà"', async () => {
      const page = readable((await request(t.app).get(hospital.url).expect(200)).text);
      expect(page).not.toMatch(/tin tưởng/i);
      expect(page).toContain('Chất lượng khám, chữa bệnh mà Ông/Bà nhận được');
      expect(readable((await request(t.app).get(`${hospital.url}/cam-on`).expect(200)).text)).toContain('để bệnh viện nâng cao chất lượng khám, chữa bệnh');
    });
  });

  describe('the school speaks to parents and students', () => {
    it('on the form and the thank-you page, with never an "Ông/Bà"', async () => {
      const form = readable((await request(t.app).get(school.url).expect(200)).text);
      expect(form).toContain('Nhìn chung, Quý phụ huynh và các em hài lòng thế nào với nhà trường?');
      expect(form).not.toContain('Quý phụ huynh/em');
      expect(form).toContain('vị trí của Quý phụ huynh và các em');
      expect(form).not.toContain('Ông/Bà');
      const thanks = readable((await request(t.app).get(`${school.url}/cam-on`).expect(200)).text);
      expect(thanks).toContain('Cảm ơn Quý phụ huynh và các em đã đánh giá!');
      expect(thanks).not.toContain('Ông/Bà');
    });
  });

  describe('each thing is said once', () => {
    it.each(['tthc-short', 'tthc-full', 'tthc-2023', 'health', 'education'])('%s: "optional" and "up to 3" at most once per question', async (questionnaire) => {
      const desk = await buildDesk(t.db, t.ready.secret, { questionnaire, fields: ['dat-dai'] });
      for (const lang of ['', '?lang=en']) {
        const blocks = questionBlocks((await request(t.app).get(`${desk.url}${lang}`).expect(200)).text);
        expect(blocks.length).toBeGreaterThan(3);
        for (const block of blocks) {
          expect(block.match(/không bắt buộc|optional/gi)?.length ?? 0, block).toBeLessThanOrEqual(1);
          expect(block.match(/tối đa 3|up to 3/gi)?.length ?? 0, block).toBeLessThanOrEqual(1);
          expect(block.match(/họ tên|names/gi)?.length ?? 0, block).toBeLessThanOrEqual(1);
        }
        const comment = blocks.find((b) => /Góp ý khác|Other comments/.test(b));
        expect(comment).toMatch(/\((không bắt buộc|optional)\)/);
      }
    });

    it('the tthc expectations: the question, "(không bắt buộc)", then the hint "Chọn tối đa 3 mục."', async () => {
      const blocks = questionBlocks((await request(t.app).get(commune.url).expect(200)).text);
      expect(blocks.find((b) => b.includes('cải thiện điều gì nhất'))).toMatch(
        /^7\. Ông\/Bà mong muốn cơ quan cải thiện điều gì nhất\? \(không bắt buộc\) Chọn tối đa 3 mục\. /,
      );
    });
  });

  describe('a form sent back with errors', () => {
    it('is left to the server (novalidate), says "Lỗi: " first in its title and links each message to the question text', async () => {
      const form = await t.citizen(commune).take();
      expect(form.page.text).toMatch(/<form [^>]*class="survey__form"[^>]* novalidate>/);
      expect(/<title>([^<]*)<\/title>/.exec(form.page.text)?.[1]).not.toMatch(/^Lỗi/);

      const { b: _b, ...answers } = shortAnswers();
      const res = await correctionPage(t.app, await form.send(answers));
      expect(/<title>([^<]*)<\/title>/.exec(res.text)?.[1]).toBe('Lỗi: Đánh giá sự hài lòng về giải quyết thủ tục hành chính · SIPAS Nghệ An');
      expect(res.text).toContain('<a href="#b-legend">Câu 2 (Thủ tục hành chính): Vui lòng chọn một mức đánh giá.</a>');
      expect(res.text).toMatch(/<legend class="question__legend" id="b-legend">\s*<span class="question__number">2\.<\/span>\s*Thủ tục hành chính:/);
    });

    it('in English: "Error: "', async () => {
      const url = `${commune.url}?lang=en`;
      const form = await t.citizen({ url }).take();
      const res = await correctionPage(t.app, await form.send(shortAnswers({ overall: '' })));
      expect(/<title>([^<]*)<\/title>/.exec(res.text)?.[1]).toMatch(/^Error: Satisfaction with the handling/);
      expect(res.text).toContain('<a href="#overall-legend">Question 6 (Overall rating): That choice is not valid, please choose again.</a>');
    });
  });
});
