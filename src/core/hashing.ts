// argon2id for what people choose (passwords, PINs, security answers): slow on purpose,
// at OWASP parameters or stronger. Hashing is bounded by a semaphore so a burst queues
// instead of exhausting memory, and the line is bounded too (`busy`); verify treats a malformed hash as a mismatch; an unknown
// login still pays one verify (verifyDummy) so timing doesn't reveal which logins exist.
import { randomBytes } from 'node:crypto';
import { argon2id, hash as argon2Hash, verify as argon2Verify } from 'argon2';
import { Semaphore } from './semaphore.js';

export interface HashParams {
  memoryKiB: number;
  timeCost: number;
  parallelism: number;
  /** How many hashes or verifies may run at once; the rest wait in line. */
  concurrency: number;
  /**
   * How long that line may grow before callers are turned away (`busy`): past it a burst
   * answers "try again in a moment" at once instead of queueing for seconds.
   */
  queueLimit?: number;
}

const ARGON2_VERSION = 19;
const ENCODED = /^\$argon2id\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

export class Hasher {
  private readonly gate: Semaphore;
  private dummy: Promise<string> | undefined;
  private asked = 0;

  constructor(private readonly params: HashParams) {
    this.gate = new Semaphore(params.concurrency);
  }

  /** Hashes waiting for a slot (not counting those running). */
  get pending(): number {
    return this.gate.pending;
  }

  /**
   * True when the line is full: callers check this before they look anything up, so an
   * overloaded server refuses cheaply. (The line itself never drops work it accepted.)
   */
  get busy(): boolean {
    return this.gate.pending >= (this.params.queueLimit ?? Number.POSITIVE_INFINITY);
  }

  /** Hashes and verifies asked for since start (a counter for metrics and for tests that race the line). */
  get requested(): number {
    return this.asked;
  }

  /** Hashes running now. */
  get running(): number {
    return this.gate.running;
  }

  hash(plain: string): Promise<string> {
    this.asked++;
    return this.gate.run(() =>
      argon2Hash(plain, {
        type: argon2id,
        memoryCost: this.params.memoryKiB,
        timeCost: this.params.timeCost,
        parallelism: this.params.parallelism,
      }),
    );
  }

  /** False for a wrong password and for a hash that isn't a well-formed argon2id hash. */
  async verify(hash: string, plain: string): Promise<boolean> {
    if (!ENCODED.test(hash)) return false;
    this.asked++;
    try {
      return await this.gate.run(() => argon2Verify(hash, plain));
    } catch {
      return false;
    }
  }

  /** True when the hash is weaker than the configured parameters (or not argon2id v19). */
  needsRehash(hash: string): boolean {
    const m = ENCODED.exec(hash);
    if (!m) return true;
    const [version, memory, time, lanes] = m.slice(1).map(Number);
    return (
      version !== ARGON2_VERSION ||
      (memory ?? 0) < this.params.memoryKiB ||
      (time ?? 0) < this.params.timeCost ||
      (lanes ?? 0) < this.params.parallelism
    );
  }

  /** Costs what a real verify costs, then says no: for logins that match no account. */
  async verifyDummy(plain: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(16).toString('base64url')).catch((e: unknown) => {
      this.dummy = undefined; // try again next time rather than cache a failure
      throw e;
    });
    await this.verify(await this.dummy, plain);
    return false;
  }
}

/** Security answers: "  Café  de Flore! " and "cafe de flore" are the same answer. */
export function normalizeAnswer(answer: string): string {
  return answer
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '');
}
