import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { redactPath } from '../../src/logger.js';
import { clientAddressOf } from '../../src/web/http.js';

const req = (remote: string, xff?: string) =>
  ({ socket: { remoteAddress: remote }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;

describe('clientAddressOf (TRUST_PROXY)', () => {
  it('believes only the socket with no trusted proxy, whatever X-Forwarded-For says', () => {
    expect(clientAddressOf(req('::ffff:10.0.0.5', '1.2.3.4'), 0)).toBe('10.0.0.5');
  });
  it('with N proxies, takes the N-th address from the right (a client can only prepend)', () => {
    expect(clientAddressOf(req('10.0.0.5', 'forged, 203.0.113.7'), 1)).toBe('203.0.113.7');
    expect(clientAddressOf(req('10.0.0.5', 'forged, 203.0.113.7, 10.0.0.9'), 2)).toBe('203.0.113.7');
    expect(clientAddressOf(req('10.0.0.5'), 1)).toBe('10.0.0.5');
  });
  it('with fewer than N entries, believes the socket, never an entry the client wrote', () => {
    // Two proxies are configured, but only one entry arrived: it may be the client's own.
    expect(clientAddressOf(req('10.0.0.5', 'forged'), 2)).toBe('10.0.0.5');
    expect(clientAddressOf(req('10.0.0.5', 'forged, 203.0.113.7'), 3)).toBe('10.0.0.5');
    expect(clientAddressOf(req('10.0.0.5', ' , ,'), 1)).toBe('10.0.0.5');
  });
});

describe('redactPath', () => {
  it('keeps the route and drops the token and any query', () => {
    expect(redactPath('/reset/abcDEF123_-xyz')).toBe('/reset/[redacted]');
    expect(redactPath('/mfa/enroll/abc?x=1')).toBe('/mfa/enroll/[redacted]?[redacted]');
    expect(redactPath('/activate/tok/extra')).toBe('/activate/[redacted]/[redacted]');
    expect(redactPath('/healthz')).toBe('/healthz');
  });
  it('redacts the token whatever form the target takes', () => {
    const tok = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd';
    const cases: [string, string][] = [
      [`http://keydesk.example/activate/${tok}`, '/activate/[redacted]'],
      [`HTTPS://user:${tok}@keydesk.example:8443/healthz?x=1`, '/healthz?[redacted]'],
      [`//reset/${tok}`, '//reset/[redacted]'],
      [`/reset//${tok}`, '/reset//[redacted]'],
      [`/reset%2F${tok}`, '/[redacted]'],
      [`/reset/${tok}%2Fx/`, '/reset/[redacted]/'],
      [`/x/../reset/${tok}`, '/[redacted]/../reset/[redacted]'],
      [`/RESET/${tok}`, '/[redacted]/[redacted]'],
      [`/${tok}`, '/[redacted]'],
      [`/login?next=/reset/${tok}`, '/login?[redacted]'],
      [`/reset/${tok}#x`, '/reset/[redacted]?[redacted]'],
      [`*`, '[redacted]'],
      [`${tok}`, '[redacted]'],
    ];
    for (const [target, logged] of cases) {
      expect(redactPath(target), target).toBe(logged);
      expect(redactPath(target)).not.toContain(tok);
    }
  });
  it('keeps a logged path short', () => {
    expect(redactPath('/'.repeat(10_000)).length).toBeLessThanOrEqual(200);
  });
});
