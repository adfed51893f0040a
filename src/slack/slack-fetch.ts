// The `fetch` every Slack client of keydesk is given (the Web API clients, Bolt's respond()).
// Node's own fetch builds a WHATWG Request, a ReadableStream and a Response for each call,
// and that was half the client's cost: 1,000 chat.postMessage through the WebClient took
// 0.92-1.22 ms of CPU each on the global fetch and 0.46-0.58 ms on this one, and building a
// real Response from the bytes still cost 0.62-0.72 ms (measured on the 2-core development
// machine, against the Slack emulator; bench/unlock.ts is where it shows).
// So this is undici's request() on one keep-alive pool, the whole answer read into memory
// (Slack answers are small JSON documents), handed back as the parts of a Response those
// clients read: ok, status, statusText, url, headers, text(), json(), arrayBuffer().
// Anything it can't send as it is (a FormData upload, a Request object, a stream) goes to
// the global fetch unchanged.
import { STATUS_CODES } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { Agent, request } from 'undici';

/** The part of a fetch Response the Slack clients read; whatever else they might ask is absent. */
export interface SlackFetchResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly headers: Headers;
  readonly bodyUsed: boolean;
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

type FetchInput = Parameters<typeof fetch>[0];
type FetchInit = NonNullable<Parameters<typeof fetch>[1]>;

/** A body undici sends as it is; anything else (FormData, Blob, a stream) takes the global fetch. */
function plainBody(body: FetchInit['body']): string | Uint8Array | undefined | false {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof URLSearchParams) return body.toString();
  return false;
}

function plainHeaders(headers: FetchInit['headers']): Record<string, string> {
  if (headers === undefined) return {};
  if (headers instanceof Headers || Array.isArray(headers)) return Object.fromEntries(new Headers(headers).entries());
  return headers as Record<string, string>;
}

function responseHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

/**
 * The body as the global fetch would give it. No Accept-Encoding is sent, so Slack answers
 * uncompressed; a body compressed all the same is decoded here, as fetch would.
 */
function decoded(bytes: Buffer, encoding: string | string[] | undefined): Buffer {
  switch (String(encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(bytes);
    case 'deflate':
      return inflateSync(bytes);
    case 'br':
      return brotliDecompressSync(bytes);
    default:
      return bytes;
  }
}

class BufferedResponse implements SlackFetchResponse {
  bodyUsed = false;
  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    private readonly bytes: Buffer,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  /** The body, once, as a fetch Response gives it: a second read rejects, as would a parse that fails. */
  private read<T>(as: (bytes: Buffer) => T): Promise<T> {
    try {
      if (this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
      this.bodyUsed = true;
      return Promise.resolve(as(this.bytes));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  text(): Promise<string> {
    return this.read((bytes) => bytes.toString('utf8'));
  }

  json(): Promise<unknown> {
    return this.read((bytes) => JSON.parse(bytes.toString('utf8')) as unknown);
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.read((bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  }
}

export interface SlackFetchOptions {
  /** Where requests go; a pool of its own by default (keep-alive, as the global fetch's). */
  dispatcher?: Agent;
  /** What anything this can't send goes to. */
  fallback?: typeof fetch;
}

/**
 * A fetch for Slack clients. Redirects are not followed: neither the Web API nor a
 * response_url redirects, and a 3xx comes back as it is. The WebClient then reports an HTTP
 * error (any status but 200 and 429), where its redirect: 'error' on the global fetch gave a
 * request error; it retries both alike. Bolt's respond() sees a response that is not ok.
 */
export function createSlackFetch(opts: SlackFetchOptions = {}): typeof fetch {
  const dispatcher = opts.dispatcher ?? new Agent();
  const fallback = opts.fallback ?? globalThis.fetch;
  const slackFetch = async (input: FetchInput, init: FetchInit = {}): Promise<SlackFetchResponse> => {
    const body = plainBody(init.body);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : null;
    if (url === null || body === false) return fallback(input, init);
    const res = await request(url, {
      method: (init.method ?? 'GET') as 'GET',
      headers: plainHeaders(init.headers),
      body,
      signal: init.signal ?? undefined,
      dispatcher,
    });
    const bytes = decoded(Buffer.from(await res.body.arrayBuffer()), res.headers['content-encoding']);
    // undici's request() gives no reason phrase: the standard one stands in (it only shows in error text).
    return new BufferedResponse(url, res.statusCode, STATUS_CODES[res.statusCode] ?? '', responseHeaders(res.headers), bytes);
  };
  // The clients' option is typed as the global fetch; they read only what SlackFetchResponse has.
  return slackFetch as unknown as typeof fetch;
}

/** The process's one Slack fetch: every client shares its connections. */
export const slackFetch: typeof fetch = createSlackFetch();
