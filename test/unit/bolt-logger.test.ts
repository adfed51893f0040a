// Bolt's and the Web API client's log lines go through our pino logger, at its level; a
// line below the level is dropped before its text is built (the client logs a few debug
// lines per call, each with a JSON dump of the request or the answer).
import { Writable } from 'node:stream';
import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { boltLogger } from '../../src/slack/bolt-logger.js';

function sink(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('boltLogger', () => {
  it('logs at and above the level, as one text line tagged component bolt', () => {
    const out = sink();
    const log = boltLogger(createLogger('info', out.stream));
    log.debug('http request body:', { channel: 'D1' });
    log.info('socket', 'connected', { n: 2 });
    log.warn('slow');
    expect(out.lines().map((l) => [l.component, l.msg])).toEqual([
      ['bolt', 'socket connected {"n":2}'],
      ['bolt', 'slow'],
    ]);
    expect(log.getLevel()).toBe(LogLevel.INFO);
    expect(boltLogger(createLogger('debug', out.stream)).getLevel()).toBe(LogLevel.DEBUG);
  });

  it('does not build the text of a line below the level', () => {
    let built = 0;
    const costly = { toJSON: () => ((built += 1), 'dump') };
    const out = sink();
    boltLogger(createLogger('info', out.stream)).debug('http request result:', costly);
    expect(built).toBe(0);
    boltLogger(createLogger('debug', out.stream)).debug('http request result:', costly);
    expect(built).toBe(1);
    expect(out.lines().at(-1)?.msg).toBe('http request result: "dump"');
  });
});
