/**
 * The section table (server/routes/sections.ts) is the one place that says who may open a staff
 * section: a line added to it is mounted behind its `may`, and shows in the navigation and on the
 * administration home page for exactly those its `may` admits. Checked with a section of the test's
 * own, and over every line of the real table.
 */
import { Router } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize } from '../server/auth/permissions.ts';
import { STAFF_SECTIONS, type StaffSectionLine } from '../server/routes/sections.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildUser, signIn } from './support/staff.ts';

/** A page for administrators only, under /admin (which managers may open). */
const EXTRA: StaffSectionLine = {
  id: 'extra',
  path: '/admin/extra',
  label: 'nav.label',
  may: (staff) => authorize(staff, 'administerEverything'),
  home: { text: 'admin.home.audit' },
  routes: [
    () => {
      const router = Router();
      router.get('/admin/extra', (_req, res) => {
        res.send('the extra page');
      });
      router.get('/admin/extra/deeper', (_req, res) => {
        res.send('deeper');
      });
      return router;
    },
  ],
};

const navLink = (html: string, href: string) => new RegExp(`<li><a href="${href}"[^>]*>`).test(html);
const homeTile = (html: string, href: string) => html.includes(`<a href="${href}"><span class="tile__title">`);

describe.each(DIALECTS)('the section table on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, {}, { sections: [...STAFF_SECTIONS, EXTRA] });
    await buildUser(t.db, 'quantri', 'admin', null);
    await buildUser(t.db, 'quanly.vinh', 'manager', '16681');
    await buildUser(t.db, 'xem.vinh', 'viewer', '16681');
  });
  afterAll(() => t.close());

  it('mounts a new line behind its `may`, and puts it in the navigation and on the home page of whom it admits', async () => {
    const admin = await signIn(t.app, 'quantri');
    expect((await admin.get('/admin/extra').expect(200)).text).toBe('the extra page');
    const home = await admin.get('/admin').expect(200);
    expect(home.text).toContain('<li><a href="/admin/extra">Điều hướng</a></li>');
    expect(home.text).toContain('<a href="/admin/extra"><span class="tile__title">Điều hướng</span>');
    expect(navLink((await admin.get('/dashboard').expect(200)).text, '/admin/extra')).toBe(true);
    expect(navLink((await admin.get('/dashboard?lang=en').expect(200)).text, '/admin/extra\\?lang=en')).toBe(true);

    const manager = await signIn(t.app, 'quanly.vinh');
    const managerHome = await manager.get('/admin').expect(200);
    expect(navLink(managerHome.text, '/admin/extra')).toBe(false);
    expect(homeTile(managerHome.text, '/admin/extra')).toBe(false);
    expect(homeTile(managerHome.text, '/admin/units')).toBe(true);
    await manager.get('/admin/extra').expect(403);
    await manager.get('/admin/extra/deeper').expect(403);

    const viewer = await signIn(t.app, 'xem.vinh');
    await viewer.get('/admin/extra').expect(403);
    await request(t.app).get('/admin/extra').expect(303).expect('location', '/login?next=%2Fadmin%2Fextra');
  });

  it('shows each role the sections its `may` admits, and refuses the others', async () => {
    for (const [username, role] of [['quantri', 'admin'], ['quanly.vinh', 'manager'], ['xem.vinh', 'viewer']] as const) {
      const agent = await signIn(t.app, username);
      const staff = { id: 0, username, displayName: username, role, unitId: 1, paperEntry: false };
      const nav = (await agent.get('/dashboard').expect(200)).text;
      for (const section of [...STAFF_SECTIONS, EXTRA]) {
        const may = section.may(staff);
        expect(navLink(nav, section.path), `${role} ${section.id}`).toBe(may);
        const answer = await agent.get(section.path);
        expect(answer.status, `${role} GET ${section.path}`).toBe(may ? 200 : 403);
      }
    }
  });
});
