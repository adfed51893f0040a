// fast-check arbitraries for hostile HTTP requests over keydesk's routes: methods, request
// targets (route paths with real and forged tokens, bad escapes, unicode, dot segments,
// absolute-form), headers (Content-Type variants, lying Content-Length, chunked) and
// bodies (JSON, forms, random bytes, invalid UTF-8). Each generated request lists the
// secrets it carries, so a test can look for them where they must never be.
import fc from 'fast-check';
import { signBody } from '../../src/slack/signature.js';
import { SIGNING_SECRET, commandBody, eventBody, interactionBody } from './slack-requests.js';

export interface FuzzContext {
  /** Real, unused link tokens by route prefix ('/reset', '/activate', …). */
  tokens: Record<string, string>;
  /**
   * A valid CSRF cookie and field for '/forgot', '/login' and '/validate', so some posts
   * reach the core; `fields` are real values a step of the form carries (a sealed proof).
   */
  forms: Record<string, { cookie: string; csrf: string; fields?: Record<string, string> }>;
  /** The app's clock, for Slack signatures inside the 5-minute window. */
  nowMs(): number;
  /** A response_url on the Slack emulator, for slash commands. */
  responseUrl: string;
  /** A live session token, sent now and then as a Bearer to any route (it must never reach a log). */
  sessionToken?: string;
  /** METRICS_TOKEN, sent now and then as a Bearer (so some /metrics requests get their 200); never in a log either. */
  metricsToken?: string;
}

export type LengthMode = 'exact' | 'omitted' | 'short' | 'long' | 'chunked' | 'both';

export interface HostileRequest {
  method: string;
  target: string;
  headers: Record<string, string>;
  body: Buffer;
  length: LengthMode;
  /** Tokens and passwords this request carries: none may reach a log line. */
  secrets: string[];
  /** Built after generation (a Slack signature needs the clock at send time). */
  slackSigned: boolean;
}

const TOKEN_ROUTES = ['/reset', '/change-password', '/activate', '/mfa/enroll', '/confirm-email', '/email-not-me'];
// /slack/events thrice: its bodies vary most (commands, interactions, events, signed or not).
const PLAIN_ROUTES = ['/api/v1/login', '/api/v1/otp', '/api/v1/whoami', '/api/v1/session', '/api/v1/logout', '/forgot', '/login', '/validate', '/healthz', '/readyz', '/metrics', '/slack/events', '/slack/events', '/slack/events', '/assets/keydesk.css'];
/** Weighted towards the methods the routes take, so most requests get past the 405. */
const methodArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant('GET') },
  { weight: 6, arbitrary: fc.constant('POST') },
  { weight: 1, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') },
);

/** True `percent` times in a hundred. */
const chance = (percent: number): fc.Arbitrary<boolean> => fc.noBias(fc.integer({ min: 0, max: 99 })).map((n) => n < percent);

/** Random enough to never appear in a log by chance; alphanumeric, so no escaping changes it. */
export const secretArb = fc.stringMatching(/^[A-Za-z0-9]{20,32}$/);
const tokenLikeArb = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/);

/** A path segment a client might send instead of a token, each as it goes on the wire. */
const hostileSegmentArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('%', '%z', '%zz', '%E0%A4%A', '%C3%28', '%ED%A0%80', '%FF', '%00', '%2F', '%2e%2e', '..', '.', '', '%20', '+', '~', 'login', 'reset'),
  fc.string({ unit: 'grapheme', maxLength: 8 }).map((s) => encodeURIComponent(s)),
  // Raw bytes: latin1 characters go out one byte each (UTF-8 of é, or a lone 0xff).
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }).map((s) => Buffer.from(s, 'utf8').toString('latin1')),
  fc.constantFrom('\xff', '\xc3', '\xe9t\xe9'),
  fc.integer({ min: 200, max: 6000 }).map((n) => 'a'.repeat(n)),
  fc.constant('x'.repeat(20_000)), // past the 16 KiB header limit: 431
  fc.stringMatching(/^[A-Za-z0-9%._~!$&'()*+,;=:@-]{1,30}$/),
);

interface Target {
  target: string;
  secrets: string[];
}

function pathArb(ctx: FuzzContext): fc.Arbitrary<Target> {
  const tokenRoute = fc.record({
    route: fc.constantFrom(...TOKEN_ROUTES),
    token: fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...TOKEN_ROUTES).map((r) => ({ text: ctx.tokens[r] ?? '', secret: true })) },
      tokenLikeArb.map((text) => ({ text, secret: true })),
      hostileSegmentArb.map((text) => ({ text, secret: false })),
    ),
  });
  const base = fc.oneof(
    { weight: 4, arbitrary: tokenRoute.map(({ route, token }) => ({ target: `${route}/${token.text}`, secrets: token.secret ? [token.text] : [] })) },
    { weight: 4, arbitrary: fc.constantFrom(...PLAIN_ROUTES).map((target) => ({ target, secrets: [] as string[] })) },
    { weight: 1, arbitrary: fc.array(hostileSegmentArb, { maxLength: 4 }).map((segs) => ({ target: `/${segs.join('/')}`, secrets: [] as string[] })) },
  );
  const tail = fc.oneof(
    { weight: 12, arbitrary: fc.constant({ text: '', secrets: [] as string[] }) },
    fc.constantFrom('/', '//', '/extra', '/..', '/%2e', '#frag', '?', '?a=%', '?a=%zz&b').map((text) => ({ text, secrets: [] as string[] })),
    secretArb.map((s) => ({ text: `?token=${s}`, secrets: [s] })),
    secretArb.map((s) => ({ text: `/${s}`, secrets: [s] })),
  );
  const form = fc.oneof(
    { weight: 12, arbitrary: fc.constant({ text: '', secrets: [] as string[] }) },
    fc.constantFrom('http://keydesk.example', 'HTTPS://keydesk.example:8443', 'http://[::1]', 'ftp://x', '/', '//').map((text) => ({ text, secrets: [] as string[] })),
    secretArb.map((s) => ({ text: `https://user:${s}@keydesk.example`, secrets: [s] })),
  );
  return fc
    .tuple(form, base, tail, chance(10))
    .map(([f, b, t, swapCase]) => {
      // Now and then the route in upper case: another path, not the same one.
      const path = swapCase ? b.target.replace(/^\/[a-z]+/, (m) => m.toUpperCase()) : b.target;
      return { target: `${f.text}${path}${t.text}`, secrets: [...f.secrets, ...b.secrets, ...t.secrets] };
    });
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=UTF-8',
  'application/x-www-form-urlencoded-evil',
  'text/plain',
  'text/html',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '',
  ';',
  'application/json; charset=latin1',
  '\xff/\xfe',
];

interface Body {
  bytes: Buffer;
  secrets: string[];
}

const textArb = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }), // lone surrogates and control characters too
  fc.constantFrom('\u0000', 'a\u0000@example.com', '\ud800', '+1 415 555 0134#12', '+999999999999999999', '#', '@', ' ', 'x'.repeat(400), 'Robert\'); DROP TABLE accounts;--', '%00', '${7*7}', '<script>'),
  fc.emailAddress(),
);

const bodyArb: fc.Arbitrary<Body> = fc.oneof(
  fc.record({ login: textArb, password: secretArb, otp: fc.option(fc.stringMatching(/^[0-9]{0,8}$/), { nil: undefined }) }).map((b) => ({
    bytes: Buffer.from(JSON.stringify(b)),
    secrets: [b.password],
  })),
  fc.record({ csrf: textArb, login: textArb, password: secretArb, password2: secretArb, answer: secretArb, proof: textArb }).map((f) => ({
    bytes: Buffer.from(new URLSearchParams(f).toString()),
    secrets: [f.password, f.password2, f.answer],
  })),
  fc.json().map((j) => ({ bytes: Buffer.from(j), secrets: [] })),
  fc.uint8Array({ maxLength: 256 }).map((a) => ({ bytes: Buffer.from(a), secrets: [] })),
  fc.constantFrom(
    Buffer.from([0xff, 0xfe, 0xfd]),
    Buffer.from('{"login":"\xc3\x28","password":"x"}', 'latin1'),
    Buffer.from('login=%C3%28&password=%FF', 'latin1'),
    Buffer.from('login=caf\xe9', 'latin1'),
    Buffer.from('{"login":"a\\u0000b","password":"p\\u0000"}'),
    Buffer.from('login=a%00b&password=%00'),
    Buffer.from('{"__proto__":{"x":1},"login":"a","password":"b"}'),
    Buffer.from('['.repeat(5000)),
  ).map((bytes) => ({ bytes, secrets: [] as string[] })),
  fc.constant({ bytes: Buffer.alloc(17 * 1024, 'a'), secrets: [] as string[] }), // past 16 KiB: 413
  fc.constant({ bytes: Buffer.alloc(0), secrets: [] as string[] }),
);

function anyBodyArb(ctx: FuzzContext): fc.Arbitrary<Body> {
  return fc.oneof(bodyArb, slackBodyArb(ctx.responseUrl).map((b) => ({ bytes: Buffer.from(b.body), secrets: [] as string[] })));
}

/** What Slack sends (commands, interactions, events, url_verification), with random fields. */
function slackBodyArb(responseUrl: string): fc.Arbitrary<{ body: string; contentType: string }> {
  const form = 'application/x-www-form-urlencoded';
  return fc.oneof(
    fc.record({ command: fc.constantFrom('/keydesk', '/reset-password', '/unlock', '/login-help', '/nope'), text: textArb, user: fc.stringMatching(/^U[A-Z0-9]{1,10}$/) }).map((c) => ({
      body: commandBody({ command: c.command, text: c.text, user_id: c.user, response_url: responseUrl }),
      contentType: form,
    })),
    fc.record({ type: fc.constantFrom('block_actions', 'view_submission', 'shortcut', 'nope'), action: textArb, value: textArb }).map((p) => ({
      body: interactionBody({ type: p.type, user: { id: 'U0FUZZ' }, actions: [{ action_id: p.action, value: p.value }], view: { callback_id: p.action, state: { values: {} } } }),
      contentType: form,
    })),
    fc.record({ type: fc.constantFrom('app_home_opened', 'message', 'app_mention', 'nope'), text: textArb }).map((e) => ({
      body: eventBody({ type: e.type, user: 'U0FUZZ', text: e.text, channel: 'C0GENERAL' }),
      contentType: 'application/json',
    })),
    textArb.map((challenge) => ({ body: JSON.stringify({ type: 'url_verification', challenge, token: 'x' }), contentType: 'application/json' })),
    fc.constant({ body: 'ssl_check=1&token=x', contentType: form }),
    fc.json().map((body) => ({ body, contentType: 'application/json' })),
    fc.string().map((payload) => ({ body: new URLSearchParams({ payload }).toString(), contentType: form })),
  );
}

/** A body that fits the route (the right type and shape), so requests get past the first guards. */
function fittingBodyArb(target: string, ctx: FuzzContext): fc.Arbitrary<Body & { contentType: string; cookie?: string }> {
  if (target.includes('/slack/events')) return slackBodyArb(ctx.responseUrl).map((b) => ({ bytes: Buffer.from(b.body), contentType: b.contentType, secrets: [] }));
  if (target.includes('/api/')) {
    // A login's shape, or POST /api/v1/otp's (a method, with now and then a stray one).
    return fc
      .record({
        login: textArb,
        password: secretArb,
        otp: fc.option(fc.stringMatching(/^[0-9]{0,8}$/), { nil: undefined }),
        method: fc.option(fc.constantFrom('email', 'sms', 'totp', 'EMAIL', 'push', ''), { nil: undefined, freq: 2 }),
      })
      .map((b) => ({ bytes: Buffer.from(JSON.stringify(b.method === undefined ? b : { login: b.login, password: b.password, method: b.method })), contentType: 'application/json', secrets: [b.password] }));
  }
  // On /forgot and /login (where no account can change), a real CSRF pair half the time.
  const form = Object.entries(ctx.forms).find(([path]) => target === path)?.[1];
  return fc
    .record({
      csrf: fc.oneof(textArb, fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)),
      real: chance(form ? 50 : 0),
      login: textArb,
      password: secretArb,
      password2: secretArb,
      answer: secretArb,
      otp: fc.stringMatching(/^[0-9]{6}$/),
      // /validate's fields: a channel (or junk), a code, and now and then the page's real proof.
      channel: fc.constantFrom('email', 'sms', 'fax', ''),
      code: fc.oneof(fc.stringMatching(/^[0-9]{6}$/), textArb),
      realFields: chance(form?.fields ? 50 : 0),
    })
    .map(({ real, realFields, ...f }) => ({
      bytes: Buffer.from(new URLSearchParams({ ...f, ...(realFields && form?.fields ? form.fields : {}), csrf: real && form ? form.csrf : f.csrf }).toString()),
      contentType: 'application/x-www-form-urlencoded',
      cookie: real && form ? form.cookie : undefined,
      secrets: [f.password, f.password2, f.answer],
    }));
}

const headerValueArb = fc.oneof(
  fc.stringMatching(/^[\x20-\x7e]{0,40}$/),
  fc.string({ unit: 'grapheme', maxLength: 10 }).map((s) => Buffer.from(s, 'utf8').toString('latin1').replace(/[\r\n]/g, '')),
);

const extraHeadersArb = fc.dictionary(
  fc.constantFrom('accept-language', 'cookie', 'x-forwarded-for', 'user-agent', 'origin', 'referer', 'x-slack-retry-num', 'accept', 'connection', 'expect', 'x-request-id'),
  headerValueArb,
  { maxKeys: 3 },
);

function authorizationArb(ctx: FuzzContext): fc.Arbitrary<{ value?: string; secrets: string[] }> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant({ secrets: [] as string[] }) },
    secretArb.map((s) => ({ value: `Bearer kd_${s.slice(0, 8)}_${s}`, secrets: [s] })),
    // Session-shaped tokens, and now and then the live one.
    tokenLikeArb.map((s) => ({ value: `Bearer ${s}`, secrets: [s] })),
    ...(ctx.sessionToken ? [fc.constant<{ value?: string; secrets: string[] }>({ value: `Bearer ${ctx.sessionToken}`, secrets: [ctx.sessionToken] })] : []),
    ...(ctx.metricsToken ? [fc.constant<{ value?: string; secrets: string[] }>({ value: `Bearer ${ctx.metricsToken}`, secrets: [ctx.metricsToken] })] : []),
    headerValueArb.map((value) => ({ value, secrets: [] as string[] })),
  );
}

export function hostileRequestArb(ctx: FuzzContext): fc.Arbitrary<HostileRequest> {
  // Built once per kind of route: building arbitraries inside chain() for every sample
  // cost more than sending the requests.
  const fitting = new Map<string, ReturnType<typeof fittingBodyArb>>();
  const fittingFor = (target: string) => {
    const kind = target.includes('/slack/events') ? 'slack' : target.includes('/api/') ? 'api' : (Object.keys(ctx.forms).find((p) => p === target) ?? 'page');
    let arb = fitting.get(kind);
    if (!arb) fitting.set(kind, (arb = fittingBodyArb(kind === 'slack' ? '/slack/events' : kind === 'api' ? '/api/' : kind, ctx)));
    return arb;
  };
  const anyPayload = fc
    .record({ contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }), body: fc.option(anyBodyArb(ctx), { nil: undefined, freq: 3 }) })
    .map((p) => ({ contentType: p.contentType, cookie: undefined, bytes: p.body?.bytes, secrets: p.body?.secrets ?? [] }));
  return pathArb(ctx)
    .chain((target) =>
      fc.record({
        method: methodArb,
        target: fc.constant(target),
        // Half the time a body that fits the route; otherwise anything, of any type.
        payload: fc.oneof(fittingFor(target.target), anyPayload),
        length: fc.constantFrom<LengthMode>('exact', 'exact', 'exact', 'exact', 'exact', 'exact', 'omitted', 'short', 'long', 'chunked', 'both'),
        extra: extraHeadersArb,
        authorization: authorizationArb(ctx),
        slackSigned: chance(70),
      }),
    )
    .map((r) => {
      const headers: Record<string, string> = { ...r.extra };
      if (headers.expect !== undefined) headers.expect = '100-continue';
      if (r.payload.contentType !== undefined) headers['content-type'] = r.payload.contentType;
      if (r.payload.cookie !== undefined) headers.cookie = r.payload.cookie;
      if (r.authorization.value !== undefined) headers.authorization = r.authorization.value;
      return {
        method: r.method,
        target: r.target.target,
        headers,
        body: r.payload.bytes ?? Buffer.alloc(0),
        length: r.payload.bytes ? r.length : 'exact',
        secrets: [...r.target.secrets, ...r.payload.secrets, ...r.authorization.secrets],
        slackSigned: r.slackSigned && r.target.target.includes('/slack/events'),
      };
    });
}

/** The request's bytes, signed for Slack when asked (with the clock at send time). */
export function encodeHostile(req: HostileRequest, nowMs: number): Buffer {
  const headers: Record<string, string> = { host: '127.0.0.1', ...req.headers };
  if (req.slackSigned) {
    const ts = Math.floor(nowMs / 1000);
    headers['x-slack-request-timestamp'] = String(ts);
    headers['x-slack-signature'] = signBody(SIGNING_SECRET, ts, req.body);
  }
  let body = req.body;
  switch (req.length) {
    case 'exact':
      if (body.length > 0 || req.method === 'POST') headers['content-length'] = String(body.length);
      break;
    case 'omitted':
      break; // the body bytes become a second, garbage request on the connection
    case 'short':
      headers['content-length'] = String(Math.floor(body.length / 2));
      break;
    case 'long':
      headers['content-length'] = String(body.length + 10);
      break;
    case 'chunked':
      headers['transfer-encoding'] = 'chunked';
      body = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from(body.length ? '\r\n0\r\n\r\n' : '\r\n')]);
      break;
    case 'both':
      headers['transfer-encoding'] = 'chunked';
      headers['content-length'] = String(body.length);
      break;
  }
  headers.connection ??= 'close';
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return Buffer.concat([Buffer.from(`${req.method} ${req.target} HTTP/1.1\r\n${head}\r\n`, 'latin1'), body]);
}
