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

/** Parses the first response in `data` (Content-Length or close-delimited body). */
export function parseResponse(data: Buffer): RawResponse {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, body: data.toString('latin1'), closed: true };
  const [statusLine = '', ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const rest = data.subarray(end + 4);
  const body = /chunked/i.test(headers['transfer-encoding'] ?? '')
    ? dechunk(rest)
    : rest.subarray(0, headers['content-length'] === undefined ? rest.length : Number(headers['content-length']));
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body: body.toString('utf8'), closed: false };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (!size) break;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/**
 * Sends one request on a fresh connection and reads until the server closes it.
 * `halfClose` ends our side after writing, so a body shorter than its Content-Length
 * reaches the server as an aborted request instead of a wait.
 */
export function rawRequest(port: number, req: RawRequest | Buffer, opts: { halfClose?: boolean; timeoutMs?: number } = {}): Promise<RawResponse> {
  const bytes = Buffer.isBuffer(req) ? req : encodeRequest(req);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${opts.timeoutMs ?? 5000} ms`));
    }, opts.timeoutMs ?? 5000);
    socket.on('connect', () => {
      socket.write(bytes);
      if (opts.halfClose) socket.end();
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    // A reset after the answer was written is still an answer.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseResponse(Buffer.concat(chunks)));
    });
  });
}
