// Bolt's Logger interface over our pino logger, so Slack's own messages share our logs.
// A line below the level is dropped before its text is built: the Web API client logs
// several debug lines on every call.
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../logger.js';

type Level = 'debug' | 'info' | 'warn' | 'error';

export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  const text = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  const at =
    (level: Level) =>
    (...msg: unknown[]) => {
      if (child.isLevelEnabled(level)) child[level](text(msg));
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: () => undefined,
    getLevel: () =>
      child.isLevelEnabled('debug') ? LogLevel.DEBUG : child.isLevelEnabled('info') ? LogLevel.INFO : child.isLevelEnabled('warn') ? LogLevel.WARN : LogLevel.ERROR,
    setName: () => undefined,
  };
}
