// AES-256-GCM under SECRETS_KEY, for what must be readable again later (TOTP secrets,
// links and temporary passwords travelling in jobs). Each ciphertext names its key by a
// short id, so after a rotation SECRETS_KEY_PREVIOUS still opens older ones.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { constantTimeEqual } from './token-secret.js';

const VERSION = 'v1';

export interface SecretKey {
  id: string;
  bytes: Buffer;
}

export function secretKeyFromBase64(b64: string): SecretKey {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length !== 32) throw new Error('a secrets key must be 32 bytes');
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes };
}

export class SecretBox {
  readonly current: SecretKey;
  private readonly byId: Map<string, SecretKey>;

  constructor(current: SecretKey, previous: SecretKey[] = []) {
    this.current = current;
    this.byId = new Map([current, ...previous].map((k) => [k.id, k]));
  }

  /** `context` binds a ciphertext to its use (e.g. 'totp:<account id>'): it can't be moved elsewhere. */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.bytes, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, this.current.id, iv.toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string, context: string): string {
    const [version, keyId, ivText, bodyText] = sealed.split('.');
    const key = keyId === undefined ? undefined : this.byId.get(keyId);
    if (version !== VERSION || !key || ivText === undefined || bodyText === undefined) {
      throw new Error('sealed value is malformed or its key is unknown');
    }
    const body = Buffer.from(bodyText, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(ivText, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
  }

  /** A key for one purpose, derived from a secrets key, so one leak doesn't expose the others. */
  derive(purpose: string, key: SecretKey = this.current): SecretKey {
    return { id: key.id, bytes: createHmac('sha256', key.bytes).update(`keydesk:${purpose}`).digest() };
  }

  keyById(id: string): SecretKey | undefined {
    return this.byId.get(id);
  }

  /** Every key this box knows, the current one first: what was made under a previous one still checks. */
  keys(): SecretKey[] {
    return [this.current, ...[...this.byId.values()].filter((k) => k.id !== this.current.id)];
  }

  /**
   * Whether `given` is what `made` makes under one of this box's keys (current first),
   * compared in constant time: a code, an offered secret or a form field made just before
   * a rotation still checks while the old key is SECRETS_KEY_PREVIOUS.
   */
  madeUnderSomeKey(given: string, made: (key: SecretKey) => string): boolean {
    return this.keys().some((key) => constantTimeEqual(made(key), given));
  }

  /** The id of the key a sealed value was sealed under (null when it isn't one of ours). */
  keyIdOf(sealed: string): string | null {
    const [version, keyId] = sealed.split('.');
    return version === VERSION && keyId ? keyId : null;
  }
}
