import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('config', () => {
  it('has defaults for everything on an empty environment, with Slack off', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.slack).toBeNull();
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.dataDir).toBe('./data');
    expect(c.lockout).toEqual({ threshold: 5, windowMs: 900_000, durationMs: 3_600_000 });
    expect(c.argon2.memoryKiB).toBeGreaterThanOrEqual(19_456);
    expect(c.adminResetPolicy).toBe('link');
    expect(c.smtpTls).toBe('required');
    expect(c.session).toEqual({ idleMs: 8 * 3_600_000, maxMs: 7 * 86_400_000 });
    expect(c.helpdeskLocale).toBe('en');
    expect(c.accessKeyRotationGraceMs).toBe(86_400_000);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('derives PUBLIC_URL from PORT', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ SECRETS_KEY: 'c2hvcnQ=' }, 'SECRETS_KEY'],
    [{ NODE_ENV: 'production' }, 'SECRETS_KEY'],
    [{ MFA_REQUIRED_ROLES: 'admin,wizard' }, 'MFA_REQUIRED_ROLES'],
    [{ ADMIN_RESET_POLICY: 'email' }, 'ADMIN_RESET_POLICY'],
    [{ HELPDESK_LOCALE: 'de' }, 'HELPDESK_LOCALE'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET'],
    [{ SLACK_API_URL: 'http://127.0.0.1:1/nope' }, 'SLACK_API_URL'],
    [{ ARGON2_MEMORY_KIB: '1024' }, 'ARGON2_MEMORY_KIB'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ SMTP_TLS: 'maybe' }, 'SMTP_TLS'],
    [{ SMTP_URL: 'smtps://mail.example.com', SMTP_TLS: 'off' }, 'SMTP_TLS'],
    [{ SMTP_URL: 'smtp://mail.example.com?tls.rejectUnauthorized=false' }, 'SMTP_URL'],
    [{ SMTP_URL: 'smtp://mail.example.com?requireTLS=false' }, 'SMTP_URL'],
    [{ SESSION_IDLE_SECONDS: '0' }, 'SESSION_IDLE_SECONDS'],
    [{ SESSION_IDLE_SECONDS: '1.5' }, 'SESSION_IDLE_SECONDS'],
    [{ SESSION_MAX_SECONDS: '-3' }, 'SESSION_MAX_SECONDS'],
    [{ SESSION_IDLE_SECONDS: '7200', SESSION_MAX_SECONDS: '3600' }, 'SESSION_IDLE_SECONDS'],
    [{ SESSION_IDLE_SECONDS: '700000' }, 'SESSION_IDLE_SECONDS'],
    [{ SMS_RETRY_BASE_MS: '0' }, 'SMS_RETRY_BASE_MS'],
    [{ SMS_RETRY_BASE_MS: 'soon' }, 'SMS_RETRY_BASE_MS'],
    [{ ACCESS_KEY_ROTATION_GRACE_SECONDS: '-1' }, 'ACCESS_KEY_ROTATION_GRACE_SECONDS'],
    [{ ACCESS_KEY_ROTATION_GRACE_SECONDS: 'a day' }, 'ACCESS_KEY_ROTATION_GRACE_SECONDS'],
  ])('refuses %o naming %s', (env, variable) => {
    try {
      loadConfig(env);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const e = err as ConfigError;
      expect(e.variable).toBe(variable);
      expect(e.message).toMatch(new RegExp(`^config: ${variable} `));
      expect(e.message).not.toContain('\n');
    }
  });

  it('takes the first retry delays of emails and SMS, 7 s unless set', () => {
    expect(loadConfig({})).toMatchObject({ emailRetryBaseMs: 7_000, smsRetryBaseMs: 7_000 });
    expect(loadConfig({ SMS_RETRY_BASE_MS: '250' }).smsRetryBaseMs).toBe(250);
  });

  it('takes session lengths in seconds, idle up to max', () => {
    expect(loadConfig({ SESSION_IDLE_SECONDS: '3600', SESSION_MAX_SECONDS: '3600' }).session).toEqual({ idleMs: 3_600_000, maxMs: 3_600_000 });
    expect(() => loadConfig({ SESSION_IDLE_SECONDS: '7200', SESSION_MAX_SECONDS: '3600' })).toThrow('config: SESSION_IDLE_SECONDS must not exceed SESSION_MAX_SECONDS');
  });

  it('takes ACCESS_KEY_ROTATION_GRACE_SECONDS=0 (a rotated key ends at once)', () => {
    expect(loadConfig({ ACCESS_KEY_ROTATION_GRACE_SECONDS: '0' }).accessKeyRotationGraceMs).toBe(0);
  });

  it('takes SMTP_TLS=off for an smtp:// relay', () => {
    expect(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:25', SMTP_TLS: 'off' }).smtpTls).toBe('off');
    expect(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:25?pool=true' }).smtpTls).toBe('required');
  });

  it('never echoes a secret value in its error', () => {
    expect(() => loadConfig({ SECRETS_KEY: 'not-a-real-key-but-secret' })).toThrow(/SECRETS_KEY .*\(got "…"\)/);
  });

  it('turns Slack on when the whole group is given', () => {
    const c = loadConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1', HELPDESK_CHANNEL: 'C1' });
    expect(c.slack).toMatchObject({ signingSecret: 's', botToken: 'xoxb-1', helpdeskChannel: 'C1' });
  });

  it('npm start with a bad value prints one line and exits 2, no stack trace', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, PORT: 'nope' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('config: PORT must be a port number (1-65535) (got "nope")');
    expect(run.stdout).toBe('');
  });

  it('takes HELPDESK_LOCALE=fr; with HELPDESK_LOCALE=de npm start prints one line and exits 2', () => {
    expect(loadConfig({ HELPDESK_LOCALE: 'fr' }).helpdeskLocale).toBe('fr');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, HELPDESK_LOCALE: 'de' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(`config: HELPDESK_LOCALE must be one of en, fr (the language of the helpdesk channel's cards) (got "de")`);
    expect(run.stdout).toBe('');
  });

  it('serves /metrics only when METRICS_TOKEN or METRICS_PORT is set, and checks both', () => {
    expect(loadConfig({}).metrics).toEqual({ token: undefined, port: undefined });
    expect(loadConfig({ METRICS_TOKEN: 'a'.repeat(16), METRICS_PORT: '9464' }).metrics).toEqual({ token: 'a'.repeat(16), port: 9464 });
    expect(loadConfig({ METRICS_TOKEN: '' }).metrics.token).toBeUndefined();
    // Too short, or with a space: refused, and the token itself never shown.
    expect(() => loadConfig({ METRICS_TOKEN: 'short-secret' })).toThrow('config: METRICS_TOKEN must be at least 16 characters with no spaces (openssl rand -hex 24) (got "…")');
    expect(() => loadConfig({ METRICS_TOKEN: 'sixteen chars or more' })).toThrow(/^config: METRICS_TOKEN .*\(got "…"\)$/);
    expect(() => loadConfig({ METRICS_PORT: '0' })).toThrow(/^config: METRICS_PORT must be a port number/);
    expect(() => loadConfig({ PORT: '9464', METRICS_PORT: '9464' })).toThrow('config: METRICS_PORT must be a port number (1-65535) other than PORT (got "9464")');
  });
  describe('SMS_URL', () => {
    const SECRET = 'sms-webhook-secret-0123';
    it('unset, empty or outbox: the outbox', () => {
      expect(loadConfig({}).sms).toEqual({ kind: 'outbox' });
      expect(loadConfig({ SMS_URL: '' }).sms).toEqual({ kind: 'outbox' });
      expect(loadConfig({ SMS_URL: 'outbox' }).sms).toEqual({ kind: 'outbox' });
      // The outbox needs no secret, and a stray one changes nothing.
      expect(loadConfig({ SMS_URL: 'outbox', SMS_WEBHOOK_SECRET: SECRET }).sms).toEqual({ kind: 'outbox' });
    });

    it('webhook+https:// anywhere, webhook+http:// only to 127.0.0.1; the URL loses its webhook+', () => {
      expect(loadConfig({ SMS_URL: 'webhook+https://sms.example.com/send?route=eu', SMS_WEBHOOK_SECRET: SECRET }).sms).toEqual({
        kind: 'webhook',
        url: 'https://sms.example.com/send?route=eu',
        secret: SECRET,
      });
      expect(loadConfig({ SMS_URL: 'webhook+http://127.0.0.1:8025/sms', SMS_WEBHOOK_SECRET: SECRET }).sms).toEqual({
        kind: 'webhook',
        url: 'http://127.0.0.1:8025/sms',
        secret: SECRET,
      });
    });

    it.each([
      'webhook+http://example.com/sms',
      'webhook+http://localhost:8025/sms',
      'webhook+http://127.0.0.1.example.com/sms',
      'webhook+ftp://127.0.0.1/sms',
      'webhook+',
      'webhook+not a url',
      'https://sms.example.com/send',
      'smtp://127.0.0.1',
      'OUTBOX',
    ])('refuses SMS_URL=%s with the one-line rule', (value) => {
      expect(() => loadConfig({ SMS_URL: value, SMS_WEBHOOK_SECRET: SECRET })).toThrow(
        `config: SMS_URL must be outbox, webhook+https://host/path, or webhook+http://127.0.0.1[:port]/path (got "${value}")`,
      );
    });

    it('never shows the credentials a refused webhook URL carries', () => {
      expect(() => loadConfig({ SMS_URL: 'webhook+http://user:hunter2@example.com/sms', SMS_WEBHOOK_SECRET: SECRET })).toThrow(/^config: SMS_URL .*\(got "webhook\+http:\/\/…@example\.com\/sms"\)$/);
    });

    it('a webhook needs SMS_WEBHOOK_SECRET, at least 16 characters, never echoed', () => {
      expect(() => loadConfig({ SMS_URL: 'webhook+https://sms.example.com/send' })).toThrow(
        'config: SMS_WEBHOOK_SECRET is required with a webhook SMS_URL (it signs each request)',
      );
      expect(() => loadConfig({ SMS_URL: 'webhook+https://sms.example.com/send', SMS_WEBHOOK_SECRET: '' })).toThrow(/^config: SMS_WEBHOOK_SECRET is required/);
      expect(() => loadConfig({ SMS_URL: 'webhook+https://sms.example.com/send', SMS_WEBHOOK_SECRET: 'short-secret' })).toThrow(
        'config: SMS_WEBHOOK_SECRET must be at least 16 characters (it signs each SMS webhook request) (got "…")',
      );
    });
  });
});
