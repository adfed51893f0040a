// AppMetrics on its own: one registry per instance (several apps share a test process),
// the scrape-time gauges read from their sources, a hung source never hangs a scrape, and
// label values stay few whatever method or Slack URL comes in.
import { describe, expect, it } from 'vitest';
import { AppMetrics, type MetricSources } from '../../src/metrics/app-metrics.js';
import { countingFetch, slackMethodOf } from '../../src/slack/counting-fetch.js';

const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

const sources = (over: Partial<MetricSources> = {}): MetricSources => ({
  pendingApprovals: () => Promise.resolve({ unlock: 2, mfa_reset: 0 }),
  queueJobs: () => Promise.resolve({ email: { waiting: 3, active: 1, failed: 0, delayed: 0 } }),
  hashLine: () => ({ waiting: 7, running: 2 }),
  ...over,
});

describe('AppMetrics', () => {
  it('keeps one registry per instance: two apps in one process count apart', async () => {
    const a = new AppMetrics();
    const b = new AppMetrics();
    a.loginEnded('success');
    a.loginEnded('success');
    b.loginEnded('wrong_password');
    const [ta, tb] = [(await a.render()).body, (await b.render()).body];
    expect(sample(ta, 'keydesk_logins_total{result="success"}')).toBe(2);
    expect(sample(ta, 'keydesk_logins_total{result="wrong_password"}')).toBeUndefined();
    expect(sample(tb, 'keydesk_logins_total{result="wrong_password"}')).toBe(1);
    a.withProcessMetrics();
    b.withProcessMetrics();
    expect((await b.render()).body).toContain('keydesk_process_cpu_user_seconds_total');
  });

  it('reads its gauges from the sources at scrape time', async () => {
    const m = new AppMetrics();
    let waiting = 7;
    m.watch(sources({ hashLine: () => ({ waiting, running: 2 }) }));
    let text = (await m.render()).body;
    expect(sample(text, 'keydesk_hash_queue_length')).toBe(7);
    expect(sample(text, 'keydesk_hash_running')).toBe(2);
    expect(sample(text, 'keydesk_pending_approvals{kind="unlock"}')).toBe(2);
    expect(sample(text, 'keydesk_queue_jobs{queue="email",state="waiting"}')).toBe(3);
    waiting = 0;
    text = (await m.render()).body;
    expect(sample(text, 'keydesk_hash_queue_length')).toBe(0);
  });

  it('leaves out a gauge whose source fails or hangs, and still answers within its deadline', async () => {
    const m = new AppMetrics();
    m.watch(sources({ queueJobs: () => new Promise(() => undefined), pendingApprovals: () => Promise.reject(new Error('store down')) }));
    const started = Date.now();
    const text = (await m.render()).body;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(text).not.toMatch(/^keydesk_queue_jobs\{/m);
    expect(text).not.toMatch(/^keydesk_pending_approvals\{/m);
    expect(sample(text, 'keydesk_hash_queue_length')).toBe(7);
  });

  it('labels an unknown HTTP method as other, and the status as a number', async () => {
    const m = new AppMetrics();
    m.observeRequest('/healthz', 'PROPFIND', 405, 0.001);
    m.observeRequest('/healthz', 'GET', 200, 0.002);
    const text = (await m.render()).body;
    expect(sample(text, 'keydesk_http_request_duration_seconds_count{route="/healthz",method="other",status="405"}')).toBe(1);
    expect(sample(text, 'keydesk_http_request_duration_seconds_count{route="/healthz",method="GET",status="200"}')).toBe(1);
  });

  it('counts Slack calls by Web API method, response_url for any other URL, 429s apart', async () => {
    expect(slackMethodOf('https://slack.com/api/chat.postMessage')).toBe('chat.postMessage');
    expect(slackMethodOf('http://127.0.0.1:1/api/admin.users.session.reset')).toBe('admin.users.session.reset');
    expect(slackMethodOf('https://hooks.slack.com/commands/T1/2/abc')).toBe('response_url');
    expect(slackMethodOf(`https://slack.com/api/${'a.'.repeat(40)}b`)).toBe('response_url');
    expect(slackMethodOf('not a url')).toBe('response_url');
    const m = new AppMetrics();
    const answers = [new Response('{"ok":true}', { status: 200 }), new Response('', { status: 429, headers: { 'retry-after': '1' } })];
    const f = countingFetch(m, () => Promise.resolve(answers.shift()!));
    await f('https://slack.com/api/chat.update');
    await f(new URL('https://slack.com/api/chat.update'));
    await expect(countingFetch(m, () => Promise.reject(new Error('ECONNREFUSED')))('https://slack.com/api/auth.test')).rejects.toThrow();
    const text = (await m.render()).body;
    expect(sample(text, 'keydesk_slack_api_calls_total{method="chat.update",status="200"}')).toBe(1);
    expect(sample(text, 'keydesk_slack_api_calls_total{method="chat.update",status="429"}')).toBe(1);
    expect(sample(text, 'keydesk_slack_api_rate_limited_total{method="chat.update"}')).toBe(1);
    expect(sample(text, 'keydesk_slack_api_calls_total{method="auth.test",status="error"}')).toBe(1);
  });
});
