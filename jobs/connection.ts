// Workers block on Redis: their connection must wait out a reconnect rather than fail
// a command after N retries (BullMQ requires maxRetriesPerRequest: null).
import type { Redis } from 'ioredis';

export function assertWorkerConnection(connection: Redis): void {
  if (connection.options.maxRetriesPerRequest !== null) {
    throw new Error('a worker connection needs maxRetriesPerRequest: null (use connectRedis)');
  }
}

/** Issue paths and codes only: a zod message may quote the input, which may be personal. */
export function describeIssues(issues: readonly { path: PropertyKey[]; code: string }[]): string {
  return issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.code}`).join('; ');
}
