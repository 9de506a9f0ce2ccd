/** The home page, where a wrong QR code's "Về trang chủ" leads: something a citizen can use, staff sign-in kept small. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { DIALECTS } from './support/dialects.ts';
import { readable } from './support/html.ts';

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(() => t.close());

  it('a wrong QR code leads home', async () => {
    const res = await request(t.app).get('/q/not-valid').expect(404);
    expect(res.text).toContain('<a class="button" href="/">Về trang chủ</a>');
  });

  it('says what this is, how to reach a desk’s form, where the public results are; staff sign-in is a small link at the end', async () => {
    const res = await request(t.app).get('/').expect(200);
    const text = readable(res.text);
    expect(text).toContain('Tỉnh Nghệ An lấy ý kiến người dân, tổ chức');
    expect(text).toContain('Phiếu ẩn danh, chỉ mất khoảng một phút.');
    expect(text).toContain('tìm tờ áp phích có mã QR');
    // The short address printed under every QR code starts with BASE_URL; the box takes the code (desk-short-codes.test.ts).
    expect(text).toContain('áp phích có in một địa chỉ ngắn, ví dụ http://sipas.test/q/7K3M-9PXA. Gõ địa chỉ đó vào trình duyệt, hoặc gõ mã của quầy vào ô dưới đây');
    expect(text).toContain('Mã của quầy 8 chữ và số in sau http://sipas.test/q/, ví dụ 7K3M-9PXA. Mở phiếu');
    expect(res.text).toMatch(/<form method="get" action="\/" class="code-form">/);
    expect(res.text).toContain('<a class="button" href="/cong-khai">Xem kết quả khảo sát công khai</a>');
    expect(res.text).toMatch(/<p class="home__staff">Dành cho cán bộ: <a href="\/login">Đăng nhập<\/a><\/p>/);
    expect(res.text.indexOf('/login')).toBeGreaterThan(res.text.indexOf('/cong-khai'));
  });

  it('in English, with every link keeping the language', async () => {
    const res = await request(t.app).get('/?lang=en').expect(200);
    expect(readable(res.text)).toContain('Cannot scan the QR code?');
    expect(res.text).toContain('href="/cong-khai?lang=en"');
    expect(res.text).toContain('href="/login?lang=en"');
  });
});
