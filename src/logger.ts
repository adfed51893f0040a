// One pino logger. Token-bearing URL paths and secret-looking fields are redacted here,
// so no call site has to remember to.
import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths whose last segment is a one-time token (see src/web/pages): keep the route, drop the token. */
const TOKEN_PATH = /^(\/(?:reset|activate|change-password|set-password|mfa\/enroll)\/)[^/?#]+/;

export function redactPath(url: string): string {
  const [pathname = '', query] = url.split('?', 2);
  const safe = pathname.replace(TOKEN_PATH, '$1[redacted]');
  return query === undefined ? safe : `${safe}?[redacted]`;
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: undefined,
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
