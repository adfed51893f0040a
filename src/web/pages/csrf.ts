// Double-submit CSRF: each rendered form gets a random nonce, set in the kd_csrf cookie,
// and a hidden `csrf` field = HMAC(derive('csrf'), nonce + path). A POST verifies the field
// against the cookie's nonce and its own path; a field from another page or another
// browser's cookie doesn't verify.
import { createHmac, randomBytes } from 'node:crypto';
import type { SecretBox, SecretKey } from '../../core/secret-box.js';
import type { WebRequest } from '../http.js';

export const CSRF_COOKIE = 'kd_csrf';

export interface CsrfIssue {
  field: string;
  /** The Set-Cookie header value. */
  cookie: string;
}

function mac(secrets: SecretBox, nonce: string, path: string, key: SecretKey = secrets.current): string {
  return createHmac('sha256', secrets.derive('csrf', key).bytes).update(`${nonce}\n${path}`).digest('base64url');
}

export function issueCsrf(secrets: SecretBox, publicUrl: string, path: string): CsrfIssue {
  const nonce = randomBytes(18).toString('base64url');
  const secure = publicUrl.startsWith('https:') ? '; Secure' : '';
  return { field: mac(secrets, nonce, path), cookie: `${CSRF_COOKIE}=${nonce}; HttpOnly; SameSite=Strict; Path=/${secure}` };
}

export function cookieValue(req: WebRequest, name: string): string | null {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

export function verifyCsrf(secrets: SecretBox, req: WebRequest, submitted: string | null): boolean {
  const nonce = cookieValue(req, CSRF_COOKIE);
  if (!nonce || !submitted || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) return false;
  const path = req.path.replace(/\/+$/, '') || '/';
  // A form shown just before a key rotation still posts: its field was made under the previous key.
  return secrets.madeUnderSomeKey(submitted, (key) => mac(secrets, nonce, path, key));
}
