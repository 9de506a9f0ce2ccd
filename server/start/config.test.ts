/** TRUST_PROXY: the proxy's addresses in Express's syntax, a hop count as before, and a fix-it message otherwise. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const trust = (value: string) => loadConfig({ TRUST_PROXY: value }).trustProxy;

describe('TRUST_PROXY', () => {
  it('takes addresses, subnets and named ranges, or a hop count', () => {
    expect(trust('')).toBe(0);
    expect(trust('1')).toBe(1);
    expect(trust('127.0.0.1')).toEqual(['127.0.0.1']);
    expect(trust(' 10.0.0.2, 10.0.0.3 ,fd00::/8')).toEqual(['10.0.0.2', '10.0.0.3', 'fd00::/8']);
    expect(trust('loopback,uniquelocal')).toEqual(['loopback', 'uniquelocal']);
  });

  it('refuses true (every client would choose its own address) and anything that is not an address, naming the fix', () => {
    expect(() => trust('true')).toThrow(ConfigError);
    expect(() => trust('true')).toThrow(/list the proxy's addresses instead, e\.g\. TRUST_PROXY=127\.0\.0\.1/);
    expect(() => trust('nginx')).toThrow(/"nginx" is neither an address, a subnet \(10\.0\.0\.0\/24\) nor one of loopback, linklocal, uniquelocal/);
    expect(() => trust('10.0.0.0/33')).toThrow(/"10\.0\.0\.0\/33"/);
    expect(() => trust('11')).toThrow(/from 0 to 10/);
  });
});
