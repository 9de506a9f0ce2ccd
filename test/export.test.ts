/**
 * CSV exports as a manager gets them: parsed back with a real CSV parser, scoped like the dashboard,
 * taken from one snapshot while citizens keep submitting, and the same from the command line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STANDARD_CSV } from '../server/exports/csv.ts';
import { RESPONSE_COLUMNS, writeResponsesCsv } from '../server/exports/responses.ts';
import { resolveReportRequest } from '../server/figures/request.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, shortAnswers, submitSurvey, type TestDesk } from './support/builders.ts';
import { bulkResponses } from './support/bulk.ts';
import { sipas } from './support/cli.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildToken, buildUser, signIn } from './support/staff.ts';

type Row = Record<string, string>;

/** supertest: the body as raw bytes, so the BOM and line ends can be checked. */
function bytes(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

function records(body: Buffer | string, delimiter = ','): Row[] {
  return parse<Row>(body, { bom: true, columns: true, delimiter });
}

function header(body: Buffer | string, delimiter = ','): string[] {
  const rows: string[][] = parse(body, { bom: true, to_line: 1, delimiter });
  return rows[0] ?? [];
}

const JUNE = 'from=2025-06-01&to=2025-06-30';
const TTHC_SHORT_COLUMNS = [...RESPONSE_COLUMNS, 'a', 'b', 'c', 'd', 'e', 'overall', 'expectations', 'comment', 'comment_hidden'];
const ODD_COMMENT = 'Cán bộ nói "sẽ gọi lại", nhưng không gọi;\nchờ 2 tuần';
const NFD_COMMENT = 'Thái độ phục vụ rất tốt, cảm ơn Ủy ban'.normalize('NFD');
const FORMULAS: [string, string][] = [
  ['=HYPERLINK("http://x.example","bấm vào")', `'=HYPERLINK("http://x.example","bấm vào")`],
  ['+84 912 345 678', `'+84 912 345 678`],
  ['-2+3', `'-2+3`],
  ['@SUM(A1:A9)', `'@SUM(A1:A9)`],
];
const NEGATIVE = '-12.5';

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let vinhDesk: TestDesk; // Phường Thành Vinh (16681)
  let anhSonDesk: TestDesk; // Xã Anh Sơn (17329)
  const tokens: Record<string, string> = {};
  let dir: string;

  async function submit(desk: TestDesk, answers: Record<string, string | string[]>): Promise<number> {
    return (await submitSurvey(t.app, desk.url, answers)).status;
  }

  async function download(url: string, user: string) {
    return request(t.app).get(url).set('Authorization', `Bearer ${tokens[user]}`).buffer(true).parse(bytes);
  }

  beforeAll(async () => {
    t = await startTestApp(dialect);
    dir = mkdtempSync(join(tmpdir(), 'sipas-export-'));
    vinhDesk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681' });
    anhSonDesk = await buildDesk(t.db, t.ready.secret, { unitCode: '17329' });
    // An imported or older desk name in combining form (NFD): the file must still say it in NFC.
    await t.db.updateTable('desks').set({ name: 'Quầy Tiếp nhận'.normalize('NFD') }).where('id', '=', anhSonDesk.id).execute();
    for (const comment of [ODD_COMMENT, NFD_COMMENT, ...FORMULAS.map(([text]) => text), NEGATIVE]) {
      expect(await submit(vinhDesk, shortAnswers({ comment }))).toBe(303);
    }
    for (let i = 0; i < 2; i++) expect(await submit(anhSonDesk, shortAnswers({ comment: `Góp ý Anh Sơn ${i}` }))).toBe(303);
    const users: [string, 'admin' | 'manager' | 'viewer', string | null][] = [
      ['admin', 'admin', null],
      ['province', 'manager', '40'],
      ['vinh-manager', 'manager', '16681'],
      ['vinh-viewer', 'viewer', '16681'],
    ];
    for (const [name, role, unit] of users) tokens[name] = await buildToken(t.db, await buildUser(t.db, name, role, unit));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  describe('responses.csv', () => {
    it('opens the way Excel expects: UTF-8 with BOM, CRLF, one header, one row per response in scope', async () => {
      const res = await download(`/export/responses.csv?${JUNE}`, 'admin');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="sipas-responses-toan-tinh-2025-06-01-2025-06-30.csv"');
      const body = res.body as Buffer;
      expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = body.toString('utf8');
      expect(text.endsWith('\r\n')).toBe(true);
      // Every line ends in CRLF; the one bare LF is the line break inside the quoted comment.
      expect(text.replaceAll('\r\n', '').split('\n')).toHaveLength(2);
      expect(header(body)).toEqual(TTHC_SHORT_COLUMNS);
      const rows = records(body);
      expect(rows).toHaveLength(9);
      const stored = await t.db.selectFrom('responses').select('public_id').execute();
      // A random id may start with '-' (1 in 64): like any cell, it gets the apostrophe that keeps a
      // spreadsheet from reading it as a formula (Excel would show #NAME?).
      const asWritten = (id: string) => (id.startsWith('-') ? `'${id}` : id);
      expect(rows.map((r) => r.public_id).sort()).toEqual(stored.map((r) => asWritten(r.public_id)).sort());
    });

    it('a comment with quotes, commas and a line break comes back whole; "no opinion" is 0; times are local', async () => {
      const rows = records((await download(`/export/responses.csv?${JUNE}`, 'admin')).body as Buffer);
      const row = rows.find((r) => r.comment === ODD_COMMENT);
      expect(row).toMatchObject({
        submitted_at: '2025-06-15T10:00:00+07:00',
        local_day: '2025-06-15',
        unit_code: '16681',
        unit_name: 'Phường Thành Vinh',
        field_code: 'dat-dai',
        field_name: 'Đất đai',
        questionnaire_code: 'tthc-short',
        // buildDesk gives a desk the newest version of its questionnaire.
        questionnaire_version: '2',
        channel: 'qr',
        status: 'ok',
        // shortAnswers: a 5, b 4, c 5, d 3, e "Không ý kiến", overall 4, two expectations.
        a: '5', b: '4', c: '5', d: '3', e: '0', overall: '4',
        expectations: 'minh-bach;thai-do',
        comment_hidden: '0',
      });
    });

    it('a response that an app server of the previous release wrote without its answers as text comes with them, read from its answer rows', async () => {
      const file = async () => records((await download(`/export/responses.csv?${JUNE}`, 'admin')).body as Buffer).find((r) => r.comment === ODD_COMMENT);
      const before = await file();
      const { response_id } = await t.db.selectFrom('comments').select('response_id').where('text', '=', ODD_COMMENT).executeTakeFirstOrThrow();
      await t.db.updateTable('responses').set({ answers_text: '' }).where('id', '=', response_id).execute();
      const after = await file();
      expect(after).toMatchObject({ a: '5', b: '4', c: '5', d: '3', e: '0', overall: '4', expectations: 'minh-bach;thai-do' });
      expect(after).toEqual(before);
    });

    it('Vietnamese sent in combining form (NFD) comes back precomposed (NFC)', async () => {
      const body = (await download(`/export/responses.csv?${JUNE}`, 'admin')).body as Buffer;
      const rows = records(body);
      expect(rows.map((r) => r.comment)).toContain(NFD_COMMENT.normalize('NFC'));
      expect(rows.filter((r) => r.unit_code === '17329').map((r) => r.desk_name)).toEqual(['Quầy Tiếp nhận', 'Quầy Tiếp nhận']);
      expect(body.toString('utf8')).not.toContain('Quầy Tiếp nhận'.normalize('NFD'));
    });

    it('neutralises every formula start (=, +, -, @) and leaves a negative number a number', async () => {
      const rows = records((await download(`/export/responses.csv?${JUNE}`, 'admin')).body as Buffer);
      const comments = rows.map((r) => r.comment);
      for (const [, neutral] of FORMULAS) expect(comments).toContain(neutral);
      for (const [text] of FORMULAS) expect(comments).not.toContain(text);
      expect(comments).toContain(NEGATIVE);
      // Tab and carriage return cannot reach a comment through the form (it drops control
      // characters); server/exports/csv.test.ts covers them.
    });

    it('who took which file is on the audit log, under its own kind', async () => {
      await download(`/export/responses.csv?${JUNE}&field=dat-dai`, 'vinh-manager');
      const admin = await signIn(t.app, 'admin');
      const page = (await admin.get('/admin/audit?action=export').expect(200)).text;
      expect(page).toContain('<option value="export" selected>Tải danh sách phiếu</option>');
      expect(page).toContain('<td>Tải danh sách phiếu</td>');
      expect(page).toContain('sipas-responses-16681-2025-06-01-2025-06-30.csv');
      expect(page).not.toContain('<code>login.');
    });

    it('a hidden comment goes only to those who may see it, marked as hidden', async () => {
      const manager = await t.staff('vinh-manager');
      const id = (await t.db.selectFrom('comments').select('id').where('text', '=', ODD_COMMENT).executeTakeFirstOrThrow()).id;
      expect((await manager.post(`/dashboard/comments/${id}/hide`, {}, `/dashboard?${JUNE}`)).status).toBe(303);
      try {
        for (const user of ['admin', 'vinh-manager']) {
          const rows = records((await download(`/export/responses.csv?${JUNE}`, user)).body as Buffer);
          expect(rows.find((r) => r.comment === ODD_COMMENT)?.comment_hidden).toBe('1');
        }
        const viewerRows = records((await download(`/export/responses.csv?${JUNE}`, 'vinh-viewer')).body as Buffer);
        expect(viewerRows).toHaveLength(7);
        expect(viewerRows.map((r) => r.comment)).not.toContain(ODD_COMMENT);
        expect(viewerRows.filter((r) => r.comment === '' && r.comment_hidden === '')).toHaveLength(1);
      } finally {
        await t.db.updateTable('comments').set({ hidden: 0 }).where('id', '=', id).execute();
      }
    });

    it('keeps the filters: a field, a channel, a day range', async () => {
      expect(records((await download(`/export/responses.csv?${JUNE}&unit=17329`, 'admin')).body as Buffer)).toHaveLength(2);
      expect(records((await download(`/export/responses.csv?${JUNE}&field=xay-dung`, 'admin')).body as Buffer)).toHaveLength(0);
      expect(records((await download(`/export/responses.csv?${JUNE}&channel=kiosk`, 'admin')).body as Buffer)).toHaveLength(0);
      expect(records((await download('/export/responses.csv?from=2025-06-16&to=2025-06-30', 'admin')).body as Buffer)).toHaveLength(0);
      const bad = await request(t.app).get('/export/responses.csv?from=2025-02-30&to=2025-03-01').set('Authorization', `Bearer ${tokens.admin}`);
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('Ngày không hợp lệ');
    });
  });

  describe('indicators.csv', () => {
    interface ApiIndicator { code: string; n: number; value: number | null; ci_low: number | null; ci_high: number | null; target: number | null; verdict: string }

    it('one row per indicator per unit, with the same numbers as the API at full precision', async () => {
      const res = await download(`/export/indicators.csv?${JUNE}&group=unit`, 'admin');
      expect(res.headers['content-disposition']).toBe('attachment; filename="sipas-indicators-unit-toan-tinh-2025-06-01-2025-06-30.csv"');
      const body = res.body as Buffer;
      expect(header(body)).toEqual([
        'period_from', 'period_to', 'group_by', 'group_code', 'group_name', 'indicator_code', 'indicator_name', 'measure',
        'n', 'value', 'ci_low', 'ci_high', 'target', 'verdict', 'verdict_text', 'provisional', 'confidence',
        'no_opinion_share', 'value_if_no_opinion_dissatisfied', 'no_opinion_warning',
        'response_rate', 'dossiers', 'dossier_coverage', 'value_weighted', 'ci_low_weighted', 'ci_high_weighted', 'verdict_weighted', 'n_eff_weighted', 'weighted_heads',
      ]);
      const rows = records(body);
      expect(rows).toHaveLength(8); // 2 units × 4 indicators
      for (const unit of ['16681', '17329']) {
        const api = await request(t.app).get(`/api/v1/indicators?${JUNE}&unit=${unit}`).set('Authorization', `Bearer ${tokens.admin}`).expect(200);
        for (const ind of api.body.indicators as ApiIndicator[]) {
          const row = rows.find((r) => r.group_code === unit && r.indicator_code === ind.code);
          const text = (v: number | null) => (v === null ? '' : String(v));
          expect(row).toMatchObject({ n: String(ind.n), value: text(ind.value), ci_low: text(ind.ci_low), ci_high: text(ind.ci_high), target: text(ind.target), verdict: ind.verdict });
        }
      }
      const vinh = rows.find((r) => r.group_code === '16681' && r.indicator_code === 'tthc');
      // 7 responses, overall 4 each: 100%, but 7 is under MIN_RESPONSES.
      expect(vinh).toMatchObject({ group_name: 'Phường Thành Vinh', n: '7', value: '100', verdict: 'insufficient', verdict_text: 'Chưa đủ số phiếu (cần ít nhất 30)' });
    });

    it('format=vn: for people: semicolons and decimal commas, Vietnamese headers, the same numbers rounded, only the indicators that apply', async () => {
      const standard = records((await download(`/export/indicators.csv?${JUNE}&group=field`, 'admin')).body as Buffer);
      const body = (await download(`/export/indicators.csv?${JUNE}&group=field&format=vn`, 'admin')).body as Buffer;
      expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const vn = records(body, ';');
      expect(Object.keys(vn[0] ?? {}).slice(0, 7)).toEqual(['Từ ngày', 'Đến ngày', 'Lĩnh vực', 'Chỉ số', 'Cách tính', 'Số người trả lời', 'Giá trị (%)']);
      // Health and education do not apply to a one-stop desk's field: the standard file says n = 0, the people's file leaves it out.
      const applying = standard.filter((r) => r.n !== '0');
      expect(standard.length).toBeGreaterThan(applying.length);
      const oneDecimal = (v: string | undefined) => (v === undefined || v === '' ? '' : String(Math.round(Number(v) * 10) / 10).replace('.', ','));
      expect(vn.map((r) => [r['Chỉ số'], r['Số người trả lời'], r['Giá trị (%)'], r['Khoảng tin cậy 95%: từ (%)'], r['Kết luận']])).toEqual(
        applying.map((r) => [r.indicator_name, r.n, oneDecimal(r.value), oneDecimal(r.ci_low), r.verdict_text]),
      );
      expect(vn.some((r) => /^\d+,\d$/.test(r['Khoảng tin cậy 95%: từ (%)'] ?? ''))).toBe(true);
      expect(vn[0]?.['Từ ngày']).toBe('01/06/2025');
    });

    it.each([
      ['field', ['dat-dai'], 'Đất đai'],
      ['month', ['2025-06'], 'Tháng 06/2025'],
      ['quarter', ['2025-Q2'], 'Quý 2/2025'],
    ])('group=%s gives its groups with names people read', async (group, codes, name) => {
      const rows = records((await download(`/export/indicators.csv?${JUNE}&group=${group}`, 'admin')).body as Buffer);
      expect([...new Set(rows.map((r) => r.group_code))]).toEqual(codes);
      expect(rows[0]?.group_name).toBe(name);
      expect(rows.find((r) => r.indicator_code === 'tthc')?.n).toBe('9');
    });

    it('group=desk names each desk with its unit; an unknown group is a 400 that lists the right ones', async () => {
      const rows = records((await download(`/export/indicators.csv?${JUNE}&group=desk`, 'admin')).body as Buffer);
      expect([...new Set(rows.map((r) => r.group_code))].sort()).toEqual([String(vinhDesk.id), String(anhSonDesk.id)].sort());
      expect(rows.find((r) => r.group_code === String(anhSonDesk.id))?.group_name).toBe('Xã Anh Sơn · Quầy Tiếp nhận');
      const bad = await request(t.app).get('/export/indicators.csv?group=week').set('Authorization', `Bearer ${tokens.admin}`).expect(400);
      expect(bad.text).toContain('field, unit, desk, month, quarter');
    });
  });

  describe('questions.csv', () => {
    it('one row per rating question and per option, the same counts as the API', async () => {
      const res = await download(`/export/questions.csv?${JUNE}`, 'admin');
      expect(res.headers['content-disposition']).toBe('attachment; filename="sipas-questions-toan-tinh-2025-06-01-2025-06-30.csv"');
      const rows = records(res.body as Buffer);
      const api = await request(t.app).get(`/api/v1/questions?${JUNE}`).set('Authorization', `Bearer ${tokens.admin}`).expect(200);
      for (const q of api.body.questions as { key: string; counts: Record<string, number>; no_opinion: number; n: number; rate: number | null }[]) {
        const row = rows.find((r) => r.question_key === q.key && r.option_key === '');
        expect(row).toMatchObject({
          n1: String(q.counts['1']), n2: String(q.counts['2']), n3: String(q.counts['3']), n4: String(q.counts['4']), n5: String(q.counts['5']),
          no_opinion: String(q.no_opinion), n: String(q.n), rate: q.rate === null ? '' : String(q.rate),
        });
      }
      // e is "no opinion" in every response: nine times, and no rate.
      expect(rows.find((r) => r.question_key === 'e')).toMatchObject({ no_opinion: '9', n: '0', rate: '' });
      // Every response chose "minh bạch" and "thái độ" among the expectations.
      expect(rows.find((r) => r.option_key === 'minh-bach')).toMatchObject({ question_key: 'expectations', n: '9', chosen: '9', share: '100' });
      expect(rows.find((r) => r.option_key === 'cong-nghe')).toMatchObject({ chosen: '0', share: '0' });
    });
  });

  describe('scope', () => {
    const EXPORTS = ['/export/responses.csv', '/export/questions.csv', ...['field', 'unit', 'desk', 'month', 'quarter'].map((g) => `/export/indicators.csv?group=${g}`)];
    const join = (url: string, query: string) => `${url}${url.includes('?') ? '&' : '?'}${query}`;

    it.each(['vinh-manager', 'vinh-viewer'])('%s gets 403 for every export of another unit or its desk', async (user) => {
      for (const url of EXPORTS) {
        for (const query of [`${JUNE}&unit=17329`, `${JUNE}&desk=${anhSonDesk.id}`, `${JUNE}&unit=40`]) {
          const res = await request(t.app).get(join(url, query)).set('Authorization', `Bearer ${tokens[user]}`);
          expect(`${user} ${join(url, query)} ${res.status}`).toBe(`${user} ${join(url, query)} 403`);
        }
      }
    });

    it.each([
      ['admin', '', 9, 'toan-tinh'],
      ['admin', '&unit=17329', 2, '17329'],
      ['province', '&unit=17329', 2, '17329'],
      ['province', '', 9, '40'],
      ['vinh-manager', '', 7, '16681'],
      ['vinh-viewer', '', 7, '16681'],
      ['vinh-viewer', '&desk=own', 7, '16681'],
    ])('%s asking %s gets %i rows in a file named for %s', async (user, query, n, unit) => {
      const q = query.replace('own', String(vinhDesk.id));
      const res = await download(`/export/responses.csv?${JUNE}${q}`, user);
      expect(res.status).toBe(200);
      expect(records(res.body as Buffer)).toHaveLength(n);
      expect(res.headers['content-disposition']).toContain(`sipas-responses-${unit}-2025-06-01-2025-06-30.csv`);
    });

    it('a signed-in viewer gets the 403 page; no session goes to sign in; a wrong token gets 401', async () => {
      const viewer = await signIn(t.app, 'vinh-viewer');
      await viewer.get(`/export/responses.csv?${JUNE}`).expect(200);
      await viewer.get(`/export/responses.csv?${JUNE}&unit=17329`).expect(403);
      await request(t.app).get('/export/responses.csv').expect(303).expect('location', '/login?next=%2Fexport%2Fresponses.csv');
      await request(t.app).get('/export/indicators.csv').set('Authorization', 'Bearer sipas_wrong').expect(401);
    });
  });

  describe('npm run sipas -- export', () => {
    it('writes the same file as the download, and indicators in the Vietnamese format to stdout', async () => {
      const file = join(dir, 'june.csv');
      const res = sipas(['export', 'responses', '--from', '2025-06-01', '--to', '2025-06-30', '--out', file], { DATABASE_URL: t.config.databaseUrl });
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      expect(res.stdout).toMatch(/exported 9 phiếu \/ responses \(2025-06-01 – 2025-06-30\) to .*june\.csv/);
      const download1 = (await download(`/export/responses.csv?${JUNE}`, 'admin')).body as Buffer;
      expect(readFileSync(file).equals(download1)).toBe(true);

      const vn = sipas(['export', 'indicators', '--from', '2025-06-01', '--to', '2025-06-30', '--group', 'unit', '--format', 'vn'], { DATABASE_URL: t.config.databaseUrl });
      expect(vn.status).toBe(0);
      // 2 units × the 3 indicators of a one-stop desk (health and education do not apply to them).
      expect(vn.stderr).toMatch(/exported 6 dòng chỉ số \/ indicator rows by unit/);
      // The command line judges on the machine's day: the download too, so both call June 2025 final (or both provisional).
      const clock = t.clock.now;
      t.clock.now = new Date();
      const http = ((await download(`/export/indicators.csv?${JUNE}&group=unit&format=vn`, 'admin')).body as Buffer).toString('utf8');
      t.clock.now = clock;
      expect(vn.stdout).toBe(http);
    });

    it('a bad filter exits non-zero and says what is wrong, in both languages', () => {
      const res = sipas(['export', 'responses', '--unit', 'khong-co'], { DATABASE_URL: t.config.databaseUrl });
      expect(res.status).toBe(1);
      expect(res.stderr).toContain('khong-co không tồn tại');
      expect(res.stderr).toContain('does not exist');
    });
  });
  describe('one snapshot while citizens keep submitting', () => {
    it('an export paused between its count and its rows holds exactly the responses of its snapshot, each complete, while 200 submissions go through', async () => {
      const bulkDesk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681' });
      await bulkResponses(t.db, { deskId: bulkDesk.id, count: 3000, submittedAt: '2025-05-20T03:00:00.000Z', localDay: '2025-05-20' });
      // Flagged responses counted too: 200 at one desk in minutes is a burst the survey flags for review.
      const resolved = await resolveReportRequest(t.db, { from: '2025-05-01', to: '2025-06-30', suspect: '1' }, { kind: 'operator' }, '2025-06-15');
      if (!resolved.ok) throw new Error('refused');
      const before = 3000 + 9;
      const forms = await Promise.all(Array.from({ length: 200 }, () => t.citizen(vinhDesk).take()));

      // The export stops at its first write (the header, after counting and before the rows are read)
      // until every submission has been answered: without one snapshot it would count 3009 and write 3209.
      const chunks: string[] = [];
      let started!: () => void;
      let release!: () => void;
      const firstWrite = new Promise<void>((resolve) => (started = resolve));
      const gate = new Promise<void>((resolve) => (release = resolve));
      const exporting = writeResponsesCsv(t.db, resolved.request, {
        gone: false,
        async write(chunk) {
          chunks.push(String(chunk));
          started();
          await gate;
        },
      }, { format: STANDARD_CSV, lang: 'vi' });
      await firstWrite;
      const statuses = await Promise.all(forms.map((form) => form.send(shortAnswers()).then((r) => r.status)));
      release();
      const result = await exporting;

      expect(statuses.filter((s) => s === 303)).toHaveLength(200);
      expect(result).toEqual({ rows: before, total: before, complete: true });
      const rows = records(chunks.join(''));
      expect(rows).toHaveLength(before);
      const ratings = ['a', 'b', 'c', 'd', 'e', 'overall'];
      const incomplete = rows.filter((r) => ratings.some((k) => !/^[0-5]$/.test(r[k] ?? '')));
      expect(incomplete).toEqual([]);
      // Afterwards the same export holds all of them.
      const after = records((await download('/export/responses.csv?from=2025-05-01&to=2025-06-30&suspect=1', 'admin')).body as Buffer);
      expect(after).toHaveLength(before + 200);
    }, 120_000);
  });
});
