import { describe, expect, it } from 'vitest';
import { addressPrefix } from './survey/client.ts';
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
  it('carry the nonce, desk, questionnaire version and time they were issued', () => {
    const token = signFormToken(secret, 42, 3, 1_750_000_000);
    const parsed = verifyFormToken(secret, token);
    expect(parsed).toMatchObject({ deskId: 42, questionnaireId: 3, issuedAt: 1_750_000_000 });
    expect(parsed?.nonce).toHaveLength(22);
  });

  it('fail when any part is changed', () => {
    const token = signFormToken(secret, 42, 3, 1_750_000_000);
    const [nonce, issued, desk, questionnaire, mac] = token.split('.');
    expect(verifyFormToken(secret, [nonce, issued, '1a', questionnaire, mac].join('.'))).toBeNull();
    expect(verifyFormToken(secret, [nonce, 'zzzzzz', desk, questionnaire, mac].join('.'))).toBeNull();
    expect(verifyFormToken(secret, [nonce, issued, desk, '4', mac].join('.'))).toBeNull();
    expect(verifyFormToken('y'.repeat(64), token)).toBeNull();
    expect(verifyFormToken(secret, `${token}x`)).toBeNull();
  });

  it('are different every time a form is served', () => {
    expect(signFormToken(secret, 1, 1, 1)).not.toBe(signFormToken(secret, 1, 1, 1));
  });

  it('renewed, keep the form (nonce, desk, version, when first opened) with a new issue time; the opening time cannot be changed', () => {
    const first = verifyFormToken(secret, signFormToken(secret, 42, 3, 1_750_000_000));
    if (!first) throw new Error('no token');
    const renewed = renewFormToken(secret, first, 1_750_009_000);
    expect(verifyFormToken(secret, renewed)).toEqual({ ...first, issuedAt: 1_750_009_000, openedAt: 1_750_000_000 });
    const parts = renewed.split('.');
    expect(parts).toHaveLength(6);
    parts[4] = (1_750_008_990).toString(36);
    expect(verifyFormToken(secret, parts.join('.'))).toBeNull();
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
  });
});
