// The request target as the client wrote it, checked before any route sees it.
// Node hands us req.url verbatim: origin-form (`/reset/abc?x=1`), absolute-form
// (`http://host/reset/abc`, which RFC 9112 §3.2.2 says a server must accept), or whatever
// a hostile client typed. Each path segment is decoded strictly: a bad escape or bytes
// that are not UTF-8 are the client's mistake (400), not an exception in dispatch (500).
// A decoded `%2F` stays inside its segment and dot segments are not resolved, so
// `/x/../reset/t` or `/reset%2Ft` match no route rather than sneaking into one.

export interface RequestTarget {
  /** The path as sent (still percent-encoded), without scheme, authority or query. */
  path: string;
  /** The path's segments, each percent-decoded; one trailing slash adds none. */
  segments: string[];
  query: URLSearchParams;
}

export type TargetProblem = 'not_ascii' | 'bad_form' | 'bad_escape';

export type ParsedTarget = { ok: true; target: RequestTarget } | { ok: false; problem: TargetProblem };

/** `http://` or `https://` and the authority after it; the authority is never used. */
const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

export function parseTarget(raw: string): ParsedTarget {
  // A request target is visible ASCII (RFC 9112 §3.2). Node passes other bytes through as
  // latin1 characters; a browser always percent-encodes them, so only a hostile or broken
  // client sends them raw.
  if (!/^[\x21-\x7e]+$/.test(raw)) return { ok: false, problem: 'not_ascii' };
  let rest: string;
  const absolute = ABSOLUTE_FORM.exec(raw);
  if (absolute) rest = raw.slice(absolute[0].length).replace(/^(?=\?|$)/, '/');
  else if (raw.startsWith('/')) rest = raw;
  else return { ok: false, problem: 'bad_form' }; // `*`, authority-form, a bare word
  // A fragment is never sent on the wire: a target holding one was built by hand.
  if (rest.includes('#')) return { ok: false, problem: 'bad_form' };

  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  const encoded = path.slice(1).split('/');
  if (encoded.length > 1 && encoded[encoded.length - 1] === '') encoded.pop();
  const segments: string[] = [];
  for (const segment of encoded) {
    const decoded = decodeSegment(segment);
    if (decoded === null) return { ok: false, problem: 'bad_escape' };
    segments.push(decoded);
  }
  // The query is parsed leniently (URLSearchParams keeps a stray `%` as it is); no route
  // needs it strict.
  return { ok: true, target: { path, segments, query: new URLSearchParams(q < 0 ? '' : rest.slice(q + 1)) } };
}

/** decodeURIComponent, which throws URIError on a bad escape and on escapes that are not UTF-8. */
function decodeSegment(segment: string): string | null {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
