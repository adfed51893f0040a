// The environment, validated once at boot into one frozen Config.
// Every setting has a default and a sentence; a bad value becomes ConfigError,
// whose message is the single line main.ts prints before exiting with code 2.
import { z } from 'zod';
import { base64Key, emptyAsUndefined, int, optionalString, url } from './config-values.js';
import { hasHashTag, parseRedisUrl, redisUrlSchema } from './redis-url.js';
import { LOCALES, RESET_POLICIES, ROLES, type Locale, type ResetPolicy, type Role } from './core/types.js';

export const SMTP_TLS_MODES = ['required', 'off'] as const;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
  ) {
    super(`config: ${variable} ${expected}`);
    this.name = 'ConfigError';
  }
}

/** What each variable expects, in the words of the one-line error. */
const EXPECTS: Record<string, string> = {
  NODE_ENV: 'must be development, production or test',
  PORT: 'must be a port number (1-65535)',
  PUBLIC_URL: 'must be an http(s) URL such as https://keydesk.example.com',
  SLACK_API_URL: 'must be an http(s) base URL ending in /api/',
  HELPDESK_LOCALE: `must be one of ${LOCALES.join(', ')} (the language of the helpdesk channel's cards)`,
  DATABASE_URL: 'must be a postgres:// or postgresql:// URL',
  REDIS_URL: 'must be a redis:// or rediss:// URL, or redis-cluster://host:port,host:port,… (rediss-cluster:// for TLS)',
  SMTP_URL: 'must be an smtp:// or smtps:// URL',
  SMTP_TLS: 'must be required (the default: smtp:// must upgrade with STARTTLS) or off (plain SMTP, for a local relay only)',
  SECRETS_KEY: 'must be 32 random bytes in base64 (openssl rand -base64 32)',
  SECRETS_KEY_PREVIOUS: 'must be 32 random bytes in base64 (the key SECRETS_KEY replaced)',
  TRUST_PROXY: 'must be the number of proxies in front of keydesk (0 trusts none), or true/false',
  MFA_REQUIRED_ROLES: `must be a comma-separated list of ${ROLES.join(', ')}`,
  ADMIN_RESET_POLICY: `must be one of ${RESET_POLICIES.join(', ')}`,
  LOG_LEVEL: 'must be one of fatal, error, warn, info, debug, trace, silent',
  PHONE_DEFAULT_REGION: 'must be a two-letter country code such as US or FR',
  MAIL_FROM: 'must be an address such as "keydesk <keydesk@example.com>"',
  EMAIL_RETRY_BASE_MS: 'must be a whole number of milliseconds (1-3600000)',
  SMS_RETRY_BASE_MS: 'must be a whole number of milliseconds (1-3600000)',
  SESSION_IDLE_SECONDS: 'must be a whole number of seconds (60-31536000)',
  SESSION_MAX_SECONDS: 'must be a whole number of seconds (60-31536000)',
  // Worker job locks (fault tolerance).
  WORKER_LOCK_MS: 'must be a whole number of milliseconds (500-600000)',
  WORKER_STALLED_INTERVAL_MS: 'must be a whole number of milliseconds (250-600000)',
  METRICS_TOKEN: 'must be at least 16 characters with no spaces (openssl rand -hex 24)',
  METRICS_PORT: 'must be a port number (1-65535) other than PORT',
  SMS_URL: 'must be outbox, webhook+https://host/path, or webhook+http://127.0.0.1[:port]/path',
  SMS_WEBHOOK_SECRET: 'must be at least 16 characters (it signs each SMS webhook request)',
};

/** SMS_URL: `outbox` (default), or `webhook+` an https URL (http only to 127.0.0.1, for a local gateway). */
function smsUrlOk(v: string): boolean {
  if (v === 'outbox') return true;
  if (!v.startsWith('webhook+')) return false;
  try {
    const u = new URL(v.slice('webhook+'.length));
    return u.protocol === 'https:' || (u.protocol === 'http:' && u.hostname === '127.0.0.1');
  } catch {
    return false;
  }
}

const schema = z.object({
  NODE_ENV: z.preprocess(emptyAsUndefined, z.enum(['development', 'production', 'test']).default('development')),
  PORT: int(1, 65535).default(3000),
  PUBLIC_URL: url(/^https?:$/),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),

  SLACK_SIGNING_SECRET: optionalString(),
  SLACK_BOT_TOKEN: optionalString(),
  SLACK_APP_TOKEN: optionalString(),
  SLACK_API_URL: url(/^https?:$/).refine((v) => v === undefined || v.endsWith('/api/')),
  HELPDESK_CHANNEL: optionalString(),
  HELPDESK_LOCALE: z.preprocess(emptyAsUndefined, z.enum(LOCALES).default('en')),

  DATABASE_URL: url(/^postgres(ql)?:$/),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
  REDIS_URL: z.preprocess(emptyAsUndefined, redisUrlSchema.default('redis://127.0.0.1:6379')),
  QUEUE_PREFIX: z.preprocess(emptyAsUndefined, z.string().regex(/^[A-Za-z0-9{}_-]+$/).default('{keydesk}')),

  SMTP_URL: url(/^smtps?:$/),
  // `required`: an smtp:// URL must upgrade with STARTTLS or the send fails (smtps:// is TLS
  // from the first byte either way). `off` sends smtp:// in clear: for a relay on the same host only.
  SMTP_TLS: z.preprocess(emptyAsUndefined, z.enum(SMTP_TLS_MODES).default('required')),
  MAIL_FROM: z.preprocess(emptyAsUndefined, z.string().regex(/@/).default('keydesk <keydesk@localhost>')),
  // First retry delay of a failed email; doubles each attempt (10 attempts ≈ 60 min at 7 s).
  EMAIL_RETRY_BASE_MS: int(1, 3_600_000).default(7_000),
  // First retry delay of an SMS the webhook refused; doubles each attempt (5 attempts).
  SMS_RETRY_BASE_MS: int(1, 3_600_000).default(7_000),

  SECRETS_KEY: base64Key(),
  SECRETS_KEY_PREVIOUS: base64Key(),
  TRUST_PROXY: z.preprocess(
    (v) => (v === 'true' ? '1' : v === 'false' ? '0' : emptyAsUndefined(v)),
    z.coerce.number().int().min(0).max(10).default(0),
  ),
  MFA_REQUIRED_ROLES: z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : v,
    z.array(z.enum(ROLES)).default([]),
  ),
  PHONE_DEFAULT_REGION: z.preprocess(emptyAsUndefined, z.string().regex(/^[A-Z]{2}$/).default('US')),

  LOCKOUT_THRESHOLD: int(1, 1000).default(5),
  LOCKOUT_WINDOW_SECONDS: int(1, 86_400 * 30).default(15 * 60),
  LOCKOUT_DURATION_SECONDS: int(1, 86_400 * 30).default(60 * 60),
  LOGIN_RATE_LIMIT_PER_MINUTE: int(1, 100_000).default(20),

  PASSWORD_MIN_LENGTH: int(8, 128).default(15),
  PASSWORD_MIN_LENGTH_WITH_MFA: int(8, 128).default(8),
  PASSWORD_MAX_LENGTH: int(64, 1024).default(128),

  // Below OWASP's floor (19 MiB, t=2) only under NODE_ENV=test, so the suite can run fast.
  ARGON2_MEMORY_KIB: int(64, 4_194_304).default(19_456),
  ARGON2_TIME_COST: int(1, 100).default(2),
  ARGON2_PARALLELISM: int(1, 16).default(1),
  HASH_CONCURRENCY: int(1, 64).default(2),
  // Hashes that may wait for a slot; past it the auth API answers 503 busy and pages say so.
  HASH_QUEUE_LIMIT: int(1, 100_000).default(64),
  // Form posts per client address and per link, in 10 minutes, on the pages that hash
  // (/activate, /change-password, /reset, /mfa/enroll); beyond them a polite 429 page.
  // Per address is generous: a whole office may sit behind one NAT address on day one.
  PAGE_POSTS_PER_ADDRESS: int(1, 100_000).default(100),
  PAGE_POSTS_PER_LINK: int(1, 100_000).default(15),

  ADMIN_RESET_POLICY: z.preprocess(emptyAsUndefined, z.enum(RESET_POLICIES).default('link')),
  ACTIVATION_TTL_SECONDS: int(60, 86_400 * 60).default(7 * 86_400),
  RESET_TTL_SECONDS: int(60, 86_400).default(30 * 60),
  MFA_ENROL_TTL_SECONDS: int(60, 86_400).default(30 * 60),
  TEMP_PASSWORD_TTL_SECONDS: int(60, 86_400 * 7).default(24 * 3600),
  ACCESS_KEY_ROTATION_GRACE_SECONDS: int(0, 86_400 * 90).default(86_400),
  // An approval (unlock, MFA reset, access key) nobody decided within this expires.
  APPROVAL_TTL_SECONDS: int(60, 86_400 * 30).default(86_400),
  // A sign-in session (POST /api/v1/login) ends after this long unused (each use slides it)…
  SESSION_IDLE_SECONDS: int(60, 86_400 * 365).default(8 * 3600),
  // …and this long after sign-in whatever happens.
  SESSION_MAX_SECONDS: int(60, 86_400 * 365).default(7 * 86_400),

  // A running job holds a lock its worker renews every half of this; a worker that died
  // (SIGKILL, a lost machine) stops renewing, and the job runs again once the lock lapsed
  // and a stalled-job check found it. BullMQ's defaults: 30 s each.
  WORKER_LOCK_MS: int(500, 600_000).default(30_000),
  WORKER_STALLED_INTERVAL_MS: int(250, 600_000).default(30_000),
  // /metrics: off (404) unless one of these is set. The token guards it on PORT (Bearer);
  // METRICS_PORT serves it without a token on 127.0.0.1 only, for a scraper on the same host.
  METRICS_TOKEN: z.preprocess(emptyAsUndefined, z.string().regex(/^\S{16,512}$/).optional()),
  METRICS_PORT: int(1, 65535),
  // Where SMS codes go: `outbox` writes DATA_DIR/outbox/<id>.sms.json; `webhook+https://…`
  // POSTs {to, text} signed with SMS_WEBHOOK_SECRET (required then).
  SMS_URL: z.preprocess(emptyAsUndefined, z.string().refine(smsUrlOk).default('outbox')),
  SMS_WEBHOOK_SECRET: z.preprocess(emptyAsUndefined, z.string().min(16).optional()),
});

/** Every variable loadConfig reads, from the schema itself (the deployment recipes are checked against it). */
export const CONFIG_KEYS: readonly string[] = Object.freeze(Object.keys(schema.shape));

export type SmtpTls = (typeof SMTP_TLS_MODES)[number];

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  publicUrl: string;
  logLevel: string;
  /** null when the Slack settings are absent: keydesk runs with Slack off. */
  slack: {
    signingSecret: string;
    botToken: string;
    appToken: string | undefined;
    apiUrl: string | undefined;
    helpdeskChannel: string;
  } | null;
  /** The language of the helpdesk channel's cards and thread lines. */
  helpdeskLocale: Locale;
  databaseUrl: string | undefined;
  dataDir: string;
  redisUrl: string;
  queuePrefix: string;
  smtpUrl: string | undefined;
  /** Whether an smtp:// URL must upgrade with STARTTLS (`required`) or may send in clear (`off`). */
  smtpTls: SmtpTls;
  mailFrom: string;
  /** First retry delay of a failed email send, doubled on each further attempt. */
  emailRetryBaseMs: number;
  /** The same for an SMS the webhook did not take. */
  smsRetryBaseMs: number;
  /** Base64 key material; undefined until resolveSecretsKey() fills it in development. */
  secretsKey: string | undefined;
  secretsKeyPrevious: string | undefined;
  trustProxy: number;
  mfaRequiredRoles: readonly Role[];
  phoneDefaultRegion: string;
  lockout: { threshold: number; windowMs: number; durationMs: number };
  loginRateLimitPerMinute: number;
  password: { minLength: number; minLengthWithMfa: number; maxLength: number };
  argon2: { memoryKiB: number; timeCost: number; parallelism: number; concurrency: number; queueLimit: number };
  /** Form posts allowed in 10 minutes on the pages that hash, per client address and per link. */
  pagePosts: { perAddress: number; perLink: number };
  adminResetPolicy: ResetPolicy;
  ttl: { activationMs: number; resetMs: number; mfaEnrolMs: number; tempPasswordMs: number };
  accessKeyRotationGraceMs: number;
  /** How long an approval waits for a decision before it expires. */
  approvalTtlMs: number;
  /** Sign-in sessions: idle expiry (slides on each use) and absolute lifetime. */
  session: { idleMs: number; maxMs: number };
  /** Job locks: how long a job's lock lasts, and how often stalled jobs are looked for. */
  worker: { lockMs: number; stalledIntervalMs: number };
  /** /metrics: with `token`, on PORT behind that Bearer token; with `port`, on 127.0.0.1:port without one; neither: 404. */
  metrics: { token: string | undefined; port: number | undefined };
  /** How SMS codes leave: the outbox folder, or a signed webhook. */
  sms: SmsSettings;
}

export type SmsSettings = { kind: 'outbox' } | { kind: 'webhook'; url: string; secret: string };

/** Query keys of SMTP_URL that would weaken TLS behind SMTP_TLS's back (nodemailer reads them). */
export const SMTP_TLS_QUERY_KEY = /^(secure|requireTLS|ignoreTLS|opportunisticTLS|tls\..*)$/i;

const SLACK_GROUP = ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'HELPDESK_CHANNEL'] as const;

/** Parses the environment. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const got = env[variable];
    const shown = got === undefined ? '' : ` (got "${redactIfSecret(variable, got)}")`;
    // REDIS_URL is parsed by hand: its issue says which part is wrong.
    const detail = variable === 'REDIS_URL' && issue.code === 'custom' ? `: ${issue.message}` : '';
    throw new ConfigError(variable, (EXPECTS[variable] ? EXPECTS[variable] + detail : `is invalid: ${issue.message}`) + shown);
  }
  const e = parsed.data;

  if (parseRedisUrl(e.REDIS_URL).kind === 'cluster' && !hasHashTag(e.QUEUE_PREFIX)) {
    // BullMQ's scripts touch several keys of a queue at once: on a Cluster they must share a slot.
    throw new ConfigError('QUEUE_PREFIX', `must hold a hash tag such as {keydesk} with a redis-cluster:// REDIS_URL (got "${e.QUEUE_PREFIX}")`);
  }
  if (e.NODE_ENV === 'production' && !e.SECRETS_KEY) {
    throw new ConfigError('SECRETS_KEY', 'is required when NODE_ENV=production (openssl rand -base64 32)');
  }
  if (e.NODE_ENV !== 'test' && e.ARGON2_MEMORY_KIB < 19_456) {
    throw new ConfigError('ARGON2_MEMORY_KIB', 'must be at least 19456 (OWASP) outside NODE_ENV=test');
  }
  if (e.NODE_ENV !== 'test' && e.ARGON2_TIME_COST < 2) {
    throw new ConfigError('ARGON2_TIME_COST', 'must be at least 2 (OWASP) outside NODE_ENV=test');
  }
  if (e.PASSWORD_MIN_LENGTH_WITH_MFA > e.PASSWORD_MIN_LENGTH) {
    throw new ConfigError('PASSWORD_MIN_LENGTH_WITH_MFA', 'must not exceed PASSWORD_MIN_LENGTH');
  }
  if (Math.max(e.PASSWORD_MIN_LENGTH, e.PASSWORD_MIN_LENGTH_WITH_MFA) > e.PASSWORD_MAX_LENGTH) {
    throw new ConfigError('PASSWORD_MAX_LENGTH', 'must be at least PASSWORD_MIN_LENGTH');
  }

  if (e.SESSION_IDLE_SECONDS > e.SESSION_MAX_SECONDS) {
    throw new ConfigError('SESSION_IDLE_SECONDS', 'must not exceed SESSION_MAX_SECONDS');
  }

  if (e.METRICS_PORT !== undefined && e.METRICS_PORT === e.PORT) {
    throw new ConfigError('METRICS_PORT', `${EXPECTS.METRICS_PORT} (got "${e.METRICS_PORT}")`);
  }

  if (e.SMTP_URL !== undefined) {
    // nodemailer lets URL query keys override the transport's own options: TLS is SMTP_TLS's to decide.
    const tlsKeys = [...new URL(e.SMTP_URL).searchParams.keys()].filter((k) => SMTP_TLS_QUERY_KEY.test(k));
    if (tlsKeys.length > 0) {
      throw new ConfigError('SMTP_URL', `must not set ${tlsKeys.join(', ')} in its query (SMTP_TLS decides TLS)`);
    }
    if (e.SMTP_TLS === 'off' && new URL(e.SMTP_URL).protocol === 'smtps:') {
      throw new ConfigError('SMTP_TLS', 'must not be off with an smtps:// SMTP_URL (smtps:// is TLS from the first byte)');
    }
  }

  const slackGiven = SLACK_GROUP.filter((k) => e[k] !== undefined);
  if (slackGiven.length > 0 && slackGiven.length < SLACK_GROUP.length) {
    const missing = SLACK_GROUP.find((k) => e[k] === undefined)!;
    throw new ConfigError(missing, `is required with ${slackGiven.join(', ')} (set all of ${SLACK_GROUP.join(', ')}, or none to run with Slack off)`);
  }

  let sms: SmsSettings = { kind: 'outbox' };
  if (e.SMS_URL !== 'outbox') {
    if (e.SMS_WEBHOOK_SECRET === undefined) throw new ConfigError('SMS_WEBHOOK_SECRET', 'is required with a webhook SMS_URL (it signs each request)');
    sms = { kind: 'webhook', url: e.SMS_URL.slice('webhook+'.length), secret: e.SMS_WEBHOOK_SECRET };
  }

  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    slack:
      slackGiven.length === 0
        ? null
        : {
            signingSecret: e.SLACK_SIGNING_SECRET!,
            botToken: e.SLACK_BOT_TOKEN!,
            appToken: e.SLACK_APP_TOKEN,
            apiUrl: e.SLACK_API_URL,
            helpdeskChannel: e.HELPDESK_CHANNEL!,
          },
    helpdeskLocale: e.HELPDESK_LOCALE,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    smtpUrl: e.SMTP_URL,
    smtpTls: e.SMTP_TLS,
    mailFrom: e.MAIL_FROM,
    emailRetryBaseMs: e.EMAIL_RETRY_BASE_MS,
    smsRetryBaseMs: e.SMS_RETRY_BASE_MS,
    secretsKey: e.SECRETS_KEY,
    secretsKeyPrevious: e.SECRETS_KEY_PREVIOUS,
    trustProxy: e.TRUST_PROXY,
    mfaRequiredRoles: Object.freeze([...e.MFA_REQUIRED_ROLES]),
    phoneDefaultRegion: e.PHONE_DEFAULT_REGION,
    lockout: {
      threshold: e.LOCKOUT_THRESHOLD,
      windowMs: e.LOCKOUT_WINDOW_SECONDS * 1000,
      durationMs: e.LOCKOUT_DURATION_SECONDS * 1000,
    },
    loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
    password: {
      minLength: e.PASSWORD_MIN_LENGTH,
      minLengthWithMfa: e.PASSWORD_MIN_LENGTH_WITH_MFA,
      maxLength: e.PASSWORD_MAX_LENGTH,
    },
    argon2: {
      memoryKiB: e.ARGON2_MEMORY_KIB,
      timeCost: e.ARGON2_TIME_COST,
      parallelism: e.ARGON2_PARALLELISM,
      concurrency: e.HASH_CONCURRENCY,
      queueLimit: e.HASH_QUEUE_LIMIT,
    },
    pagePosts: { perAddress: e.PAGE_POSTS_PER_ADDRESS, perLink: e.PAGE_POSTS_PER_LINK },
    adminResetPolicy: e.ADMIN_RESET_POLICY,
    ttl: {
      activationMs: e.ACTIVATION_TTL_SECONDS * 1000,
      resetMs: e.RESET_TTL_SECONDS * 1000,
      mfaEnrolMs: e.MFA_ENROL_TTL_SECONDS * 1000,
      tempPasswordMs: e.TEMP_PASSWORD_TTL_SECONDS * 1000,
    },
    accessKeyRotationGraceMs: e.ACCESS_KEY_ROTATION_GRACE_SECONDS * 1000,
    approvalTtlMs: e.APPROVAL_TTL_SECONDS * 1000,
    session: { idleMs: e.SESSION_IDLE_SECONDS * 1000, maxMs: e.SESSION_MAX_SECONDS * 1000 },
    worker: { lockMs: e.WORKER_LOCK_MS, stalledIntervalMs: e.WORKER_STALLED_INTERVAL_MS },
    metrics: { token: e.METRICS_TOKEN, port: e.METRICS_PORT },
    sms,
  });
}

function redactIfSecret(variable: string, value: string): string {
  if (/SECRET|TOKEN|KEY|PASSWORD/.test(variable)) return '…';
  if (/_URL$/.test(variable)) return value.replace(/\/\/[^@/]*@/, '//…@');
  return value.length > 60 ? `${value.slice(0, 57)}…` : value;
}
