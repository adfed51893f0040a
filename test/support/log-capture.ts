// A real pino logger whose lines land in an array, so a test can search what was logged
// (secrets that must not be there, a reference id that must).
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.js';

export function capturingLogger(level = 'trace'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger(level, sink), lines };
}
