// keydesk's one HTTP server: a node:http server with a small route table.
// It owns the guards that must run before any parsing (body size, then the route's
// own checks), so the auth API, the web pages and the Slack receiver share them.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import { redactPath } from '../logger.js';

export interface WebRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  clientAddress: string;
  /** Route parameters, from `:name` segments. */
  params: Record<string, string>;
  /** Reads the body up to the route's limit; throws HttpError(413) beyond it. */
  body(): Promise<Buffer>;
}

export interface WebResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface Route {
  method: string | string[];
  /** '/api/v1/login' or '/reset/:token'. */
  path: string;
  /** Largest body accepted, in bytes. */
  maxBody?: number;
  handle(req: WebRequest): Promise<WebResponse> | WebResponse;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(`HTTP ${status}`);
  }
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): WebResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

const DEFAULT_MAX_BODY = 16 * 1024;

interface CompiledRoute extends Route {
  methods: string[];
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((seg) => {
      if (seg.startsWith(':')) {
        names.push(seg.slice(1));
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  return { ...route, methods, pattern: new RegExp(`^${source}/?$`), names };
}

/**
 * The client address to believe: the socket's, or with `trustProxy` = N proxies in
 * front of us, the N-th address from the right of X-Forwarded-For (the one our
 * outermost proxy saw). Anything further left is client-supplied and forgeable.
 */
export function clientAddressOf(req: IncomingMessage, trustProxy: number): string {
  const socketAddress = (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
  if (trustProxy <= 0) return socketAddress;
  const header = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // Fewer entries than proxies: a request that skipped one of them (or a misconfigured
  // TRUST_PROXY). Every entry left may be the client's own writing, so believe the socket.
  if (chain.length < trustProxy) return socketAddress;
  return chain[chain.length - trustProxy] ?? socketAddress;
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) return Promise.reject(new HttpError(413, { error: 'payload_too_large' }));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new HttpError(413, { error: 'payload_too_large' }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export interface HttpServerOptions {
  routes: Route[];
  trustProxy: number;
  logger: Logger;
}

export function createHttpServer(options: HttpServerOptions): http.Server {
  const routes = options.routes.map(compile);
  const log = options.logger;

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    let allowed: string[] | null = null;
    for (const route of routes) {
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      if (!route.methods.includes(method)) {
        allowed = route.methods;
        continue;
      }
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1] ?? '')));
      let bodyPromise: Promise<Buffer> | undefined;
      const webReq: WebRequest = {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        clientAddress: clientAddressOf(req, options.trustProxy),
        params,
        body: () => (bodyPromise ??= readBody(req, route.maxBody ?? DEFAULT_MAX_BODY)),
      };
      // Refuse an oversized body before the route can parse anything.
      const declared = Number(req.headers['content-length'] ?? '0');
      if (declared > (route.maxBody ?? DEFAULT_MAX_BODY)) {
        send(res, json(413, { error: 'payload_too_large' }), true);
        return;
      }
      send(res, await route.handle(webReq));
      return;
    }
    if (allowed) send(res, json(405, { error: 'method_not_allowed' }, { allow: allowed.join(', ') }));
    else send(res, json(404, { error: 'not_found' }));
  }

  return http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      log.info(
        {
          method: req.method,
          path: redactPath(req.url ?? '/'),
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'http',
      );
    });
    dispatch(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) {
        send(res, json(err.status, err.body), err.status === 413);
        return;
      }
      log.error({ err, path: redactPath(req.url ?? '/') }, 'unhandled error in route');
      if (!res.headersSent) send(res, json(500, { error: 'internal_error' }));
      else res.destroy();
    });
  });
}

function send(res: ServerResponse, response: WebResponse, closeConnection = false): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = { 'x-content-type-options': 'nosniff', ...response.headers };
  // After a refused body we do not read the rest of it: close rather than keep-alive.
  if (closeConnection) headers.connection = 'close';
  res.writeHead(response.status, headers);
  res.end(response.body);
}
