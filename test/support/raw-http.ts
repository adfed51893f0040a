// Raw HTTP/1.1 over a socket, for requests fetch() refuses to send: malformed targets,
// absolute-form, bytes that are not UTF-8, lying Content-Length, oversized headers.
import net from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** True when the server closed without answering (nothing to assert on but that). */
  closed: boolean;
}

export interface RawRequest {
  method: string;
  /** Written verbatim into the request line. A string is sent as latin1 (one byte a char). */
  target: string | Buffer;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export function encodeRequest(req: RawRequest): Buffer {
  const headers = { host: '127.0.0.1', connection: 'close', ...req.headers };
  const body = req.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  if (req.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
    (headers as Record<string, string>)['content-length'] = String(body.length);
  }
  const target = Buffer.isBuffer(req.target) ? req.target : Buffer.from(req.target, 'latin1');
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return Buffer.concat([Buffer.from(`${req.method} `, 'latin1'), target, Buffer.from(` HTTP/1.1\r\n${head}\r\n`, 'latin1'), body]);
}

/**
 * The first final response in `data` (1xx interim answers skipped), or null while it is
 * incomplete. With `closed`, a body without length ends where the data ends.
 */
export function parseResponse(data: Buffer, opts: { head?: boolean; closed?: boolean } = {}): RawResponse | null {
  let start = 0;
  for (;;) {
    const end = data.indexOf('\r\n\r\n', start);
    if (end < 0) return opts.closed ? { status: 0, headers: {}, body: data.toString('latin1'), closed: true } : null;
    const [statusLine = '', ...lines] = data.subarray(start, end).toString('latin1').split('\r\n');
    const status = Number(statusLine.split(' ')[1] ?? 0);
    if (status >= 100 && status < 200) {
      start = end + 4;
      continue;
    }
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const rest = data.subarray(end + 4);
    const done = (body: Buffer): RawResponse => ({ status, headers, body: body.toString('utf8'), closed: false });
    if (opts.head || status === 204 || status === 304) return done(Buffer.alloc(0));
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const body = dechunk(rest);
      return body ? done(body) : opts.closed ? done(Buffer.alloc(0)) : null;
    }
    if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      return rest.length >= length ? done(rest.subarray(0, length)) : opts.closed ? done(rest) : null;
    }
    return opts.closed ? done(rest) : null;
  }
}

/** A chunked body, or null until its last chunk has arrived. */
function dechunk(data: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', at);
    if (eol < 0) return null;
    const size = parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (!size) return Buffer.concat(parts);
    if (data.length < eol + 2 + size) return null;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/**
 * Sends one request on a fresh connection and reads its first answer (or until the
 * server hangs up). `halfClose` ends our side after writing, so a body shorter than its
 * Content-Length reaches the server as an aborted request instead of a wait.
 */
export function rawRequest(
  port: number,
  req: RawRequest | Buffer,
  opts: { halfClose?: boolean; timeoutMs?: number; head?: boolean } = {},
): Promise<RawResponse> {
  const bytes = Buffer.isBuffer(req) ? req : encodeRequest(req);
  const head = opts.head ?? (!Buffer.isBuffer(req) && req.method === 'HEAD');
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    const socket = net.connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${opts.timeoutMs ?? 5000} ms`));
    }, opts.timeoutMs ?? 5000);
    const finish = (res: RawResponse) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(res);
    };
    socket.on('connect', () => {
      socket.write(bytes);
      if (opts.halfClose) socket.end();
    });
    socket.on('data', (c: Buffer) => {
      data = Buffer.concat([data, c]);
      const res = parseResponse(data, { head });
      if (res) finish(res);
    });
    // A reset after the answer was written is still an answer.
    socket.on('error', () => undefined);
    socket.on('close', () => finish(parseResponse(data, { head, closed: true })!));
  });
}
