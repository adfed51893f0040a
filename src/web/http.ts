// keydesk's one HTTP server: a node:http server with a small route table.
// It owns the guards that must run before any parsing (the request target, the method,
// the body size, then the route's own checks), so the auth API, the web pages and the
// Slack receiver share them. Whatever a client sends, it gets a 4xx with a small JSON
// body, never a 5xx or a stack: a 5xx means a bug or an outage on our side.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logger.js';
import { redactPath, runWithRequestId } from '../logger.js';
import { outageLog } from '../outage-log.js';
import { HttpError } from './http-error.js';
import { readBody } from './request-body.js';
import { requestIdFor } from './request-id.js';
import { parseTarget } from './request-target.js';

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

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): WebResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

const DEFAULT_MAX_BODY = 16 * 1024;

/** One segment of a route's path: a literal, or a `:name` parameter. */
type Segment = { literal: string } | { param: string };

interface CompiledRoute extends Route {
  methods: string[];
  segments: Segment[];
}

function compile(route: Route): CompiledRoute {
  const segments = route.path
    .slice(1)
    .split('/')
    .map((seg): Segment => (seg.startsWith(':') ? { param: seg.slice(1) } : { literal: seg }));
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  return { ...route, methods, segments };
}

/** Matches decoded path segments against a route; a parameter takes one non-empty segment. */
function matchRoute(route: CompiledRoute, segments: string[]): Record<string, string> | null {
  if (segments.length !== route.segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, want] of route.segments.entries()) {
    const got = segments[i] ?? '';
    if ('literal' in want) {
      if (got !== want.literal) return null;
    } else if (got === '') return null;
    else params[want.param] = got;
  }
  return params;
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

/** What the server counts (/metrics): each answered request, by its route's pattern. */
export interface HttpMetrics {
  /** `route` is the matched pattern ('/reset/:token', never the raw path: it may hold a token) or 'unmatched'. */
  observeRequest(route: string, method: string, status: number, seconds: number): void;
}

export interface HttpServerOptions {
  routes: Route[];
  trustProxy: number;
  logger: Logger;
  /**
   * Tells an outage (the store out of reach) from a bug. Such an error is answered
   * 503 {"error":"unavailable"} with Retry-After, and logged as one line per outage, not a
   * stack per request (see src/outage-log.ts).
   */
  isUnavailable?: (err: unknown) => boolean;
  metrics?: HttpMetrics;
}

/** The route label of a request that matched no route (404, or a target that did not parse). */
const UNMATCHED = 'unmatched';

export function createHttpServer(options: HttpServerOptions): http.Server {
  const routes = options.routes.map(compile);
  const log = options.logger;
  const reportOutage = outageLog(log, 'store unavailable');

  /** `matched.route` is set to the pattern of the route that answers, for the metrics. */
  async function dispatch(req: IncomingMessage, res: ServerResponse, matched: { route: string }): Promise<void> {
    const parsed = parseTarget(req.url ?? '/');
    if (!parsed.ok) {
      send(res, json(400, { error: 'bad_request', message: 'The request target is not a valid path' }));
      return;
    }
    const { target } = parsed;
    // HEAD is GET without the body (Node leaves a HEAD answer's body out by itself), as
    // monitors and link checkers expect.
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    let allowed: string[] | null = null;
    for (const route of routes) {
      const params = matchRoute(route, target.segments);
      if (!params) continue;
      matched.route = route.path;
      if (!route.methods.includes(method)) {
        allowed = route.methods;
        continue;
      }
      let bodyPromise: Promise<Buffer> | undefined;
      const webReq: WebRequest = {
        method,
        path: target.path,
        query: target.query,
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
    if (allowed) send(res, json(405, { error: 'method_not_allowed' }, { allow: allowed.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])).join(', ') }));
    else send(res, json(404, { error: 'not_found' }));
  }

  // The response each connection is writing, so a parse error that arrives behind a
  // request (pipelined garbage) does not write into the middle of its answer.
  const inFlight = new WeakMap<Duplex, { req: IncomingMessage; res: ServerResponse }>();

  const server = http.createServer({ maxHeaderSize: MAX_HEADER_SIZE }, (req, res) => {
    const reqId = requestIdFor(req.headers['x-request-id']);
    // Echoed on every answer; send()'s writeHead merges it with the route's headers.
    res.setHeader('x-request-id', reqId);
    runWithRequestId(reqId, () => serve(req, res, reqId));
  });

  function serve(req: IncomingMessage, res: ServerResponse, reqId: string): void {
    const started = process.hrtime.bigint();
    const matched = { route: UNMATCHED };
    inFlight.set(req.socket, { req, res });
    res.on('close', () => {
      if (inFlight.get(req.socket)?.res === res) inFlight.delete(req.socket);
    });
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      options.metrics?.observeRequest(matched.route, req.method ?? 'GET', res.statusCode, seconds);
      // 'finish' fires from the socket, outside the request's async scope: enter it again.
      runWithRequestId(reqId, () =>
        log.info({ method: req.method, path: redactPath(req.url ?? '/'), status: res.statusCode, ms: seconds * 1000 }, 'http'),
      );
    });
    dispatch(req, res, matched).catch((err: unknown) => {
      if (err instanceof HttpError) {
        send(res, json(err.status, err.body), err.status === 413);
        return;
      }
      if (options.isUnavailable?.(err)) {
        reportOutage(err);
        if (!res.headersSent) send(res, json(503, { error: 'unavailable' }, { 'retry-after': '5' }));
        else res.destroy();
        return;
      }
      log.error({ err, path: redactPath(req.url ?? '/') }, 'unhandled error in route');
      if (!res.headersSent) send(res, json(500, { error: 'internal_error' }));
      else res.destroy();
    });
  }

  // Node's parser gave up on the bytes (headers over MAX_HEADER_SIZE, a malformed request
  // line, a lying Content-Length…): there is no request object, so the answer goes straight
  // onto the socket. Never log `err` itself: its rawPacket holds the request's bytes, and
  // with them perhaps a token.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const status = CLIENT_ERROR_STATUS[err.code ?? ''] ?? 400;
    log.info({ code: err.code, status }, 'http client error');
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const pending = inFlight.get(socket);
    if (pending && !pending.res.writableFinished) {
      if (!pending.req.complete) {
        // The request in progress is what broke (its body ended early): it can never
        // complete, so hang up; its handler sees an aborted body, an HttpError.
        socket.destroy();
        return;
      }
      // Garbage behind a complete request (pipelined): let that answer finish, then hang up.
      pending.res.shouldKeepAlive = false;
      pending.res.once('close', () => socket.destroy());
      return;
    }
    socket.end(rawJsonResponse(status, { error: CLIENT_ERROR_CODE[status] ?? 'bad_request' }));
  });
  return server;
}

/** Node's default is 16 KiB; fixed here so a NODE_OPTIONS flag cannot change what we accept. */
const MAX_HEADER_SIZE = 16 * 1024;

const CLIENT_ERROR_STATUS: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

const CLIENT_ERROR_CODE: Record<number, string> = {
  400: 'bad_request',
  408: 'request_timeout',
  431: 'request_header_fields_too_large',
};

function rawJsonResponse(status: number, body: Record<string, unknown>): string {
  const text = JSON.stringify(body);
  return [
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}`,
    'content-type: application/json; charset=utf-8',
    'cache-control: no-store',
    'x-content-type-options: nosniff',
    `content-length: ${Buffer.byteLength(text)}`,
    'connection: close',
    '',
    text,
  ].join('\r\n');
}

function send(res: ServerResponse, response: WebResponse, closeConnection = false): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = { 'x-content-type-options': 'nosniff', ...response.headers };
  // After a refused body we do not read the rest of it: close rather than keep-alive.
  if (closeConnection) headers.connection = 'close';
  res.writeHead(response.status, headers);
  res.end(response.body);
}
