// The auth API the company's product calls: POST /api/v1/login (which starts a session),
// POST /api/v1/otp (sends a sign-in code by email or SMS),
// GET /api/v1/session and POST /api/v1/logout (the session's bearer token), and
// GET /api/v1/whoami (an access key).
// One generic 401 body for every credential failure; `otp_required` only after a correct
// password. The body limit (16 KiB) is enforced by the server before anything is parsed;
// a body that is not application/json is refused with 415 before it is read.
import { z } from 'zod';
import type { AccountRow } from '../store/schema.js';
import { verifyAccessKey } from '../core/access-keys.js';
import { webActor, type CoreDeps } from '../core/deps.js';
import { login } from '../core/login.js';
import { requestLoginCode } from '../core/login-code.js';
import { MFA_METHODS, type MfaMethod } from '../core/types.js';
import { endSession, verifySession } from '../core/sessions.js';
import { json, type Route, type WebRequest, type WebResponse } from './http.js';
import { expectMediaType, utf8Text } from './request-body.js';
import type { RateLimiter } from './rate-limit.js';

const LoginBody = z.strictObject({
  login: z.string().min(1).max(320),
  password: z.string().min(1).max(1024),
  otp: z.string().max(16).optional(),
});

const OtpBody = z.strictObject({
  login: z.string().min(1).max(320),
  password: z.string().min(1).max(1024),
  method: z.enum(MFA_METHODS),
});

/** The 401 that asks for a second factor names the account's methods (after a right password only). */
function otpRequired(methods: readonly MfaMethod[]) {
  const message = methods.includes('totp')
    ? 'Enter the 6-digit code from your authenticator app.'
    : `Enter the 6-digit code we send by ${methods.includes('sms') ? 'SMS' : 'email'}: ask for one with POST /api/v1/otp.`;
  return json(401, { error: 'otp_required', methods, message });
}

const INVALID_SESSION = { error: 'invalid_session', message: 'A valid session is required: sign in again.' };

/** The bearer token of an Authorization header, or null when there is none of a sane shape. */
function bearerOf(req: WebRequest): string | null {
  const match = /^Bearer (\S{1,200})$/.exec(String(req.headers.authorization ?? ''));
  return match?.[1] ?? null;
}

const INVALID = { error: 'invalid_credentials', message: 'The login or password is not correct.' };

/**
 * What POST /login and POST /otp do first, alike: the client address's attempts counted
 * (they share one budget: /otp checks a password too), then the JSON body checked.
 */
async function signInBody<T>(req: WebRequest, limiter: RateLimiter, schema: z.ZodType<T>): Promise<{ ok: true; value: T } | { ok: false; answer: WebResponse }> {
  if (!(await limiter.hit(`login:${req.clientAddress}`))) {
    return { ok: false, answer: json(429, { error: 'rate_limited', message: 'Too many attempts. Wait a minute and try again.' }, { 'retry-after': '60' }) };
  }
  const body = await parseJson(req);
  if (!body.ok) return { ok: false, answer: json(400, { error: 'bad_request', message: body.message }) };
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) return { ok: false, answer: json(400, { error: 'bad_request', message: z.prettifyError(parsed.error) }) };
  return { ok: true, value: parsed.data };
}

async function parseJson(req: WebRequest): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  expectMediaType(req, 'application/json'); // anything else is a 415, before the body is read
  const raw = await req.body(); // an oversized body throws HttpError(413) from here
  const text = utf8Text(raw); // bytes that are not UTF-8 throw HttpError(400)
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, message: 'The body is not valid JSON' };
  }
}

/** Who a session or an access key belongs to, as /session and /whoami both answer it. */
function identityOf(account: AccountRow) {
  return { account_id: account.id, email: account.email, display_name: account.display_name, role: account.role };
}

export function authApiRoutes(deps: CoreDeps, limiter: RateLimiter): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/v1/login',
      maxBody: 16 * 1024,
      async handle(req) {
        const input = await signInBody(req, limiter, LoginBody);
        if (!input.ok) return input.answer;
        const outcome = await login(deps, webActor(req.clientAddress), input.value, { startSession: true });
        if (!outcome.ok) {
          // The hashing line is full: refused before any lookup, so a client may simply retry.
          if (outcome.error === 'busy') return json(503, { error: 'busy', message: 'Busy. Try again in a moment.' }, { 'retry-after': '1' });
          return outcome.error === 'otp_required' ? otpRequired(outcome.methods ?? ['totp']) : json(401, INVALID);
        }
        return json(200, {
          account_id: outcome.accountId,
          must_change_password: outcome.mustChangePassword,
          ...(outcome.changePasswordToken
            ? { change_password_token: outcome.changePasswordToken, change_password_url: outcome.changePasswordLink }
            : {}),
          ...(outcome.session
            ? { session_token: outcome.session.token, session_expires_at: new Date(outcome.session.expiresAt).toISOString() }
            : {}),
        });
      },
    },
    {
      // Sends a sign-in code to an email or SMS account. 202 whatever happens (an unknown
      // login, a wrong password, another method, the send limit): it enumerates nothing,
      // and the core spends one hash on every path. Only a malformed body (400), the
      // per-address limit (429) and a full hashing line (503) answer otherwise, none of
      // which depends on the account.
      method: 'POST',
      path: '/api/v1/otp',
      maxBody: 16 * 1024,
      async handle(req) {
        const input = await signInBody(req, limiter, OtpBody);
        if (!input.ok) return input.answer;
        const result = await requestLoginCode(deps, webActor(req.clientAddress), input.value);
        if (result === 'busy') return json(503, { error: 'busy', message: 'Busy. Try again in a moment.' }, { 'retry-after': '1' });
        return json(202, { status: 'accepted' });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/session',
      async handle(req) {
        const token = bearerOf(req);
        const found = token ? await verifySession(deps, token) : null;
        if (!found) return json(401, INVALID_SESSION, { 'www-authenticate': 'Bearer' });
        return json(200, { ...identityOf(found.account), session_expires_at: new Date(found.expiresAt).toISOString() });
      },
    },
    {
      method: 'POST',
      path: '/api/v1/logout',
      // Nothing is read from a body: the token rides in the Authorization header.
      async handle(req) {
        const token = bearerOf(req);
        if (token) await endSession(deps, token, req.clientAddress);
        return { status: 204, headers: { 'cache-control': 'no-store' }, body: '' };
      },
    },
    {
      method: 'GET',
      path: '/api/v1/whoami',
      async handle(req) {
        const key = bearerOf(req);
        const found = key ? await verifyAccessKey(deps, key, req.clientAddress) : null;
        if (!found) {
          return json(401, { error: 'invalid_key', message: 'A valid access key is required.' }, { 'www-authenticate': 'Bearer' });
        }
        return json(200, { ...identityOf(found.account), key_id: found.keyId });
      },
    },
  ];
}
