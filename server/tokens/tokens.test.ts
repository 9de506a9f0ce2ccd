import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { addressPrefix } from '../survey/client.ts';
import { deskIdOfToken, renewFormToken, signDeskToken, signFormToken, verifyDeskToken, verifyFormToken } from './tokens.ts';

const secret = 'k'.repeat(64);

describe('desk tokens', () => {
  it('are short enough for a small QR code and round-trip the desk id', () => {
    const token = signDeskToken(secret, 1234, 1);
    expect(token.length).toBeLessThanOrEqual(30);
    expect(deskIdOfToken(token)).toBe(1234);
    expect(verifyDeskToken(secret, token, 1234, 1)).toBe(true);
  });

  it('fail for another version, another secret or another desk', () => {
    const token = signDeskToken(secret, 7, 1);
    expect(verifyDeskToken(secret, token, 7, 2)).toBe(false);
    expect(verifyDeskToken('x'.repeat(64), token, 7, 1)).toBe(false);
    expect(verifyDeskToken(secret, token, 8, 1)).toBe(false);
  });

  it('reject malformed input without throwing', () => {
    for (const bad of ['', '.', 'abc', '0.AAAAAAAAAAAAAAAAAAAAAA', `${'z'.repeat(11)}.AAAAAAAAAAAAAAAAAAAAAA`]) expect(deskIdOfToken(bad)).toBeNull();
  });
});

describe('form tokens', () => {
  const form = { deskId: 42, questionnaireId: 3, issuedAt: 1_750_000_000, door: 'q', over: false };

  it('carry the nonce, desk, questionnaire version, time they were issued, door and what the guard saw', () => {
    const parsed = verifyFormToken(secret, signFormToken(secret, form));
    expect(parsed).toMatchObject({ deskId: 42, questionnaireId: 3, issuedAt: 1_750_000_000, openedAt: 1_750_000_000, door: 'q', over: false });
    expect(parsed?.nonce).toHaveLength(22);
    expect(verifyFormToken(secret, signFormToken(secret, { ...form, door: 'k1z', over: true }))).toMatchObject({ door: 'k1z', over: true });
  });

  it('fail when any part is changed', () => {
    const token = signFormToken(secret, form);
    const parts = token.split('.');
    expect(parts).toHaveLength(8);
    const changed = (i: number, value: string) => parts.map((p, j) => (j === i ? value : p)).join('.');
    for (const [i, value] of [[1, 'zzzzzz'], [2, '1a'], [3, '4'], [4, '0'], [5, 'k'], [5, 'd'], [6, '1']] as const) expect(verifyFormToken(secret, changed(i, value))).toBeNull();
    expect(verifyFormToken('y'.repeat(64), token)).toBeNull();
    expect(verifyFormToken(secret, `${token}x`)).toBeNull();
  });

  it('are different every time a form is served', () => {
    expect(signFormToken(secret, form)).not.toBe(signFormToken(secret, form));
  });

  it('renewed, keep the form (nonce, desk, version, door, when first opened) with a new issue time; the opening time cannot be changed', () => {
    const first = verifyFormToken(secret, signFormToken(secret, form));
    if (!first) throw new Error('no token');
    const renewed = renewFormToken(secret, first, 1_750_009_000, true);
    expect(verifyFormToken(secret, renewed)).toEqual({ ...first, issuedAt: 1_750_009_000, openedAt: 1_750_000_000, over: true });
    const parts = renewed.split('.');
    parts[4] = (1_750_008_990).toString(36);
    expect(verifyFormToken(secret, parts.join('.'))).toBeNull();
  });

  it('issued before doors were named are still read, for any door, until they expire', () => {
    const body = `${'n'.repeat(22)}.${(1_750_000_000).toString(36)}.${(42).toString(36)}.3`;
    const older = `${body}.${createHmac('sha256', secret).update(`form|${body}`).digest().subarray(0, 16).toString('base64url')}`;
    expect(verifyFormToken(secret, older)).toEqual({ nonce: 'n'.repeat(22), issuedAt: 1_750_000_000, openedAt: 1_750_000_000, deskId: 42, questionnaireId: 3, door: null, over: false });
  });
});

describe('client addresses', () => {
  it('key one subscriber in one spelling: an IPv6 /64 whatever its case, zeros or ::; IPv4 mapped into IPv6 as IPv4', () => {
    const one = addressPrefix('2001:db8:a:b::1');
    expect(one).toBe('2001:db8:a:b::/64');
    for (const spelling of ['2001:DB8:A:B:0:0:0:2', '2001:0db8:000a:000b::3', '2001:db8:a:b:ffff:ffff:ffff:ffff']) expect(addressPrefix(spelling)).toBe(one);
    expect(addressPrefix('2001:db8:a:c::1')).not.toBe(one);
    expect(addressPrefix('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressPrefix('::FFFF:cb00:7107')).toBe('203.0.113.7');
    expect(addressPrefix('203.0.113.7')).toBe('203.0.113.7');
    // Spellings ipaddr.js 1.x does not read by itself: an IPv4 tail, a port a proxy left on.
    expect(addressPrefix('2001:db8:a:b::1.2.3.4')).toBe(one);
    expect(addressPrefix('::ffff:203.0.113.7')).toBe(addressPrefix('203.0.113.7:5123'));
    expect(addressPrefix('[2001:db8:a:b::9]:443')).toBe(one);
  });
});
