// GET /metrics, in Prometheus' text format. On the public port it exists only with
// METRICS_TOKEN set, and then answers 401 without `Authorization: Bearer <that token>`;
// the METRICS_PORT server (127.0.0.1 only) serves it without a token.
import { createHash, timingSafeEqual } from 'node:crypto';
import { json, type Route } from './http.js';

/** What the route renders: the app's registry (src/metrics/app-metrics.ts). */
export interface MetricsSource {
  render(): Promise<{ contentType: string; body: string }>;
}

/**
 * Compares digests, not the strings: timingSafeEqual needs equal lengths, and comparing
 * lengths first would tell a prober how long the token is.
 */
function sameToken(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function bearerOf(header: string | undefined): string | null {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return m?.[1] ?? null;
}

/** `token`: required as a Bearer token; null: none (the loopback-only METRICS_PORT server). */
export function metricsRoute(source: MetricsSource, token: string | null): Route {
  return {
    method: 'GET',
    path: '/metrics',
    async handle(req) {
      if (token !== null) {
        const given = bearerOf(req.headers.authorization);
        if (given === null || !sameToken(given, token)) {
          return json(401, { error: 'unauthorized' }, { 'www-authenticate': 'Bearer realm="metrics"' });
        }
      }
      const { contentType, body } = await source.render();
      return { status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' }, body };
    },
  };
}
