/**
 * authorize(staff, action, subject) is the one entry point to who may do what: these pin each action's
 * answer for each role, as the routes asked it before there was one entry point, so a rule changed
 * by mistake shows here before it shows as a 403 somewhere.
 */
import { describe, expect, it } from 'vitest';
import type { Role, Unit } from '../../db/schema.ts';
import { authorize } from './permissions.ts';
import type { Staff } from './scope.ts';

// 1 is a province, 2 a commune below it, 3 another commune elsewhere.
const units: Unit[] = [
  { id: 1, code: 'A', name: 'A', kind: 'province', parent_id: null, active: 1, created_at: '' },
  { id: 2, code: 'B', name: 'B', kind: 'commune', parent_id: 1, active: 1, created_at: '' },
  { id: 3, code: 'C', name: 'C', kind: 'commune', parent_id: null, active: 1, created_at: '' },
];
const staff = (role: Role, unitId: number | null = 1, paperEntry = false): Staff => ({ id: 7, username: role, displayName: role, role, unitId, paperEntry });
const admin = staff('admin', null);
const manager = staff('manager');
const viewer = staff('viewer', 2);
const typist = staff('viewer', 2, true);

describe('authorize', () => {
  it('lets administrators and managers open /admin, and only administrators do what is theirs alone', () => {
    expect([admin, manager, viewer].map((s) => authorize(s, 'administer'))).toEqual([true, true, false]);
    expect([admin, manager, viewer].map((s) => authorize(s, 'administerEverything'))).toEqual([true, false, false]);
  });

  it('lets a manager manage the units at and below their own, and the viewers there', () => {
    expect([1, 2, 3].map((unitId) => authorize(manager, 'manageUnit', { unitId, units }))).toEqual([true, true, false]);
    expect(authorize(admin, 'manageUnit', { unitId: 3, units })).toBe(true);
    expect(authorize(viewer, 'manageUnit', { unitId: 2, units })).toBe(false);
    expect(authorize(manager, 'manageUser', { user: { role: 'viewer', unitId: 2 }, units })).toBe(true);
    expect(authorize(manager, 'manageUser', { user: { role: 'manager', unitId: 2 }, units })).toBe(false);
    expect(authorize(manager, 'manageUser', { user: { role: 'viewer', unitId: 3 }, units })).toBe(false);
    expect(authorize(admin, 'manageUser', { user: { role: 'admin', unitId: null }, units })).toBe(true);
  });

  it('lets a viewer type paper forms only when granted, and only for their own unit', () => {
    expect([admin, manager, viewer, typist].map((s) => authorize(s, 'enterPaper', null))).toEqual([true, true, false, true]);
    expect(authorize(typist, 'enterPaper', { unitId: 2, units })).toBe(true);
    expect(authorize(typist, 'enterPaper', { unitId: 1, units })).toBe(false);
    expect(authorize(viewer, 'enterPaper', { unitId: 2, units })).toBe(false);
    expect(authorize(manager, 'enterPaper', { unitId: 3, units })).toBe(false);
  });

  it('lets a manager decide on the paper forms of their units that someone else typed, never on other channels', () => {
    const paper = { unitId: 2, channel: 'paper', enteredBy: 99 } as const;
    expect(authorize(manager, 'review', { response: paper, units })).toBe(true);
    expect(authorize(manager, 'review', { response: { ...paper, enteredBy: manager.id }, units })).toBe(false);
    expect(authorize(manager, 'review', { response: { ...paper, channel: 'qr', enteredBy: null }, units })).toBe(false);
    expect(authorize(admin, 'review', { response: { ...paper, channel: 'qr', enteredBy: null }, units })).toBe(true);
  });

  it('lets moderators hide comments, and each person see the units of their scope', () => {
    expect([admin, manager, viewer].map((s) => authorize(s, 'moderate'))).toEqual([true, true, false]);
    expect([1, 2, 3].map((unitId) => authorize(viewer, 'seeUnit', { unitId, units }))).toEqual([false, true, false]);
    expect([1, 2, 3].map((unitId) => authorize(manager, 'seeUnit', { unitId, units }))).toEqual([true, true, false]);
  });
});
