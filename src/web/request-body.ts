// Reading a request's body: its media type (415 unless expected), its size (413 past the
// route's limit, declared or streamed) and its text (400 unless UTF-8).
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/** The body's media type, lower-cased, without parameters such as `charset`. */
export function mediaTypeOf(headers: IncomingHttpHeaders): string {
  return String(headers['content-type'] ?? '')
    .split(';', 1)[0]!
    .trim()
    .toLowerCase();
}

/** Throws HttpError(415) unless the request's Content-Type is one of `types`. */
export function expectMediaType(req: { headers: IncomingHttpHeaders }, ...types: string[]): string {
  const type = mediaTypeOf(req.headers);
  if (!types.includes(type)) {
    throw new HttpError(415, { error: 'unsupported_media_type', message: `Content-Type must be ${types.join(' or ')}` });
  }
  return type;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text; bytes that are not UTF-8 are the client's mistake (HttpError 400), not U+FFFD. */
export function utf8Text(raw: Buffer): string {
  try {
    return strictUtf8.decode(raw);
  } catch {
    throw new HttpError(400, { error: 'bad_request', message: 'The body is not valid UTF-8' });
  }
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
    // The client hung up mid-body ('aborted', ECONNRESET): its mistake, and nobody is left
    // to read an answer — an HttpError keeps it out of the error log.
    req.on('error', () => reject(new HttpError(400, { error: 'bad_request', message: 'The body ended early' })));
  });
}
