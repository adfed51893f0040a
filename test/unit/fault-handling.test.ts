// The small rules the fault tests (test/faults/) rely on: what counts as the store being
// out of reach, one log line per outage, a Slack rate limit's wait, the job-lock settings.
import { describe, expect, it } from 'vitest';
import { retryAfterSeconds } from '../../jobs/notify.worker.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { outageLog } from '../../src/outage-log.js';
import { isStoreUnavailable } from '../../src/store/db.js';
import { capturingLogger } from '../support/log-capture.js';

const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isStoreUnavailable', () => {
  it('is true for a server that is down, shutting down, starting or full', () => {
    expect(isStoreUnavailable(coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isStoreUnavailable(coded('terminating connection due to administrator command', '57P01'))).toBe(true);
    expect(isStoreUnavailable(coded('the database system is starting up', '57P03'))).toBe(true);
    expect(isStoreUnavailable(coded('connection failure', '08006'))).toBe(true);
    expect(isStoreUnavailable(coded('sorry, too many clients already', '53300'))).toBe(true);
    expect(isStoreUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isStoreUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });

  it('is false for a query that is wrong, and for anything that is not an error', () => {
    expect(isStoreUnavailable(coded('duplicate key value violates unique constraint', '23505'))).toBe(false);
    expect(isStoreUnavailable(coded('syntax error at or near "x"', '42601'))).toBe(false);
    expect(isStoreUnavailable(new Error('boom'))).toBe(false);
    expect(isStoreUnavailable('ECONNREFUSED')).toBe(false);
    expect(isStoreUnavailable(undefined)).toBe(false);
  });
});

describe('outageLog', () => {
  it('logs the first error as one line, stays quiet for the window, then says how many it swallowed', () => {
    const { logger, lines } = capturingLogger('info');
    let now = 1_000;
    const report = outageLog(logger, 'store unavailable', 60_000, () => now);
    report(coded('connect ECONNREFUSED', 'ECONNREFUSED'));
    for (let i = 0; i < 5; i++) report(coded('connect ECONNREFUSED', 'ECONNREFUSED'));
    now += 60_000;
    report(new Error('still down'));
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((l) => [l.msg, l.err, l.code, l.suppressed])).toEqual([
      ['store unavailable', 'connect ECONNREFUSED', 'ECONNREFUSED', 0],
      ['store unavailable', 'still down', undefined, 5],
    ]);
    expect(lines.join('\n')).not.toContain('stack');
  });
});

describe('retryAfterSeconds', () => {
  it("reads the Web API client's rate-limit error, and nothing else", () => {
    expect(retryAfterSeconds(Object.assign(new Error('limited'), { code: 'slack_webapi_rate_limited_error', retryAfter: 3 }))).toBe(3);
    expect(retryAfterSeconds(Object.assign(new Error('limited'), { code: 'slack_webapi_rate_limited_error', retryAfter: 86_400 }))).toBe(3600);
    expect(retryAfterSeconds(Object.assign(new Error('limited'), { code: 'slack_webapi_rate_limited_error' }))).toBeNull();
    expect(retryAfterSeconds(Object.assign(new Error('500'), { code: 'slack_webapi_http_error', retryAfter: 3 }))).toBeNull();
    expect(retryAfterSeconds(null)).toBeNull();
  });
});

describe('job-lock settings', () => {
  it("default to BullMQ's 30 s and take milliseconds within bounds", () => {
    expect(loadConfig({}).worker).toEqual({ lockMs: 30_000, stalledIntervalMs: 30_000 });
    expect(loadConfig({ WORKER_LOCK_MS: '1000', WORKER_STALLED_INTERVAL_MS: '500' }).worker).toEqual({ lockMs: 1000, stalledIntervalMs: 500 });
    expect(() => loadConfig({ WORKER_LOCK_MS: '10' })).toThrow(ConfigError);
    expect(() => loadConfig({ WORKER_STALLED_INTERVAL_MS: 'soon' })).toThrow(/WORKER_STALLED_INTERVAL_MS must be a whole number/);
  });
});
