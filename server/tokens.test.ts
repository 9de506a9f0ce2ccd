import { describe, expect, it } from 'vitest';
import { deskIdOfToken, signDeskToken, signFormToken, verifyDeskToken, verifyFormToken } from './tokens.ts';

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
});
