// One pino logger. Token-bearing URL paths and secret-looking fields are redacted here,
// so no call site has to remember to.
import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The HTTP request being served, if any. src/web/http.ts runs each request inside it, so
 * every line logged on that request's behalf — the route, the core, Bolt and our Slack
 * listeners, none of which is handed a logger per request — carries its `reqId`.
 */
const requestScope = new AsyncLocalStorage<{ reqId: string }>();

export function runWithRequestId<T>(reqId: string, work: () => T): T {
  return requestScope.run({ reqId }, work);
}

/**
 * The words of keydesk's own routes, which a logged path may show. Every other segment was
 * written by the client — a token, a mangled link, a probe — and logs as `[redacted]`, so
 * no request form (absolute-form, `//`, `%2F`, `..`, a token in the query) can carry a
 * secret into the log. A route missing here logs redacted: the safe way to be wrong.
 */
const ROUTE_WORDS = new Set(['api', 'v1', 'login', 'whoami', 'healthz', 'forgot', 'reset', 'change-password', 'set-password', 'activate', 'mfa', 'enroll', 'slack', 'events', 'assets', 'keydesk.css', '.', '..']);
/** A token follows these words (see src/web/pages), even if it happens to spell a route word. */
const TOKEN_AFTER = new Set(['reset', 'change-password', 'set-password', 'activate', 'enroll']);
const MAX_LOGGED_SEGMENTS = 12;

export function redactPath(target: string): string {
  // Absolute-form: the authority is client-written too (it may hold `user:password@`).
  const origin = target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const cut = origin.search(/[?#]/);
  const segments = (cut < 0 ? origin : origin.slice(0, cut)).split('/');
  const shown = segments
    .slice(0, MAX_LOGGED_SEGMENTS)
    .map((seg, i) => (seg === '' || (ROUTE_WORDS.has(seg) && !TOKEN_AFTER.has(segments[i - 1] ?? '')) ? seg : '[redacted]'));
  return `${shown.join('/')}${segments.length > MAX_LOGGED_SEGMENTS ? '/…' : ''}${cut < 0 ? '' : '?[redacted]'}`;
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      mixin: () => {
        const scope = requestScope.getStore();
        return scope ? { reqId: scope.reqId } : {};
      },
      redact: {
        paths: [
          '*.password',
          '*.pin',
          '*.otp',
          '*.token',
          '*.secret',
          '*.answer',
          '*.authorization',
          'req.headers.authorization',
          'req.headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    destination as pino.DestinationStream | undefined,
  );
}
