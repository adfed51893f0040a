// REDIS_URL, parsed by hand: `new URL` accepts one host, and a Redis Cluster is named by
// several (`redis-cluster://[user:pass@]h1:p1,h2:p2,…`). A single server keeps the usual
// redis:// or rediss:// URL, which ioredis reads itself.
import { z } from 'zod';

export interface RedisNode {
  host: string;
  port: number;
}

export type RedisTarget =
  | { kind: 'single'; url: string; node: RedisNode }
  | {
      kind: 'cluster';
      /** Seed nodes: ioredis asks them for the slot map and finds the others itself. */
      nodes: RedisNode[];
      username?: string;
      password?: string;
      tls: boolean;
    };

export class RedisUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisUrlError';
  }
}

const CLUSTER_SCHEMES = { 'redis-cluster:': false, 'rediss-cluster:': true } as const;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])$/;

function parsePort(text: string, where: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65_535) {
    throw new RedisUrlError(`${where} has no valid port (1-65535)`);
  }
  return Number(text);
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new RedisUrlError(`the ${what} is not valid percent-encoding`);
  }
}

function parseNode(text: string, index: number): RedisNode {
  const where = `node ${index + 1} ("${text}")`;
  const colon = text.lastIndexOf(':');
  // `[::1]:7000`: the port follows the closing bracket, not any colon inside it.
  if (colon < 0 || colon < text.lastIndexOf(']')) throw new RedisUrlError(`${where} needs host:port`);
  const host = text.slice(0, colon);
  if (!HOST.test(host)) throw new RedisUrlError(`${where} has no valid host`);
  return { host: host.startsWith('[') ? host.slice(1, -1) : host, port: parsePort(text.slice(colon + 1), where) };
}

export function parseRedisUrl(raw: string): RedisTarget {
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(raw)?.[1]?.toLowerCase();
  if (scheme === 'redis:' || scheme === 'rediss:') {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      throw new RedisUrlError('the URL does not parse');
    }
    // No host is ioredis' default, as before: 127.0.0.1.
    const host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
    return { kind: 'single', url: raw, node: { host, port: u.port ? Number(u.port) : 6379 } };
  }
  if (scheme === undefined || !(scheme in CLUSTER_SCHEMES)) {
    throw new RedisUrlError('the scheme must be redis://, rediss://, redis-cluster:// or rediss-cluster://');
  }
  let rest = raw.slice(scheme.length + 2);
  // A Cluster has database 0 only, and nothing else belongs after the hosts.
  if (/[/?#]/.test(rest.replace(/\/$/, ''))) throw new RedisUrlError('a Cluster URL takes no path, database or query after the nodes (a Cluster has database 0 only)');
  rest = rest.replace(/\/$/, '');
  let username: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = userinfo.indexOf(':');
    const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    const pass = colon < 0 ? '' : userinfo.slice(colon + 1);
    if (user) username = decode(user, 'user name');
    if (pass) password = decode(pass, 'password');
  }
  const parts = rest.split(',');
  if (parts.length === 1 && parts[0] === '') throw new RedisUrlError('no node is given (redis-cluster://host:port,host:port,…)');
  const nodes = parts.map((p, i) => parseNode(p.trim(), i));
  return {
    kind: 'cluster',
    nodes,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    tls: CLUSTER_SCHEMES[scheme as keyof typeof CLUSTER_SCHEMES],
  };
}

/** REDIS_URL as a zod check: the parser's own words become the issue's message. */
export const redisUrlSchema = z.string().superRefine((v, ctx) => {
  try {
    parseRedisUrl(v);
  } catch (err) {
    if (!(err instanceof RedisUrlError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message });
  }
});

/** A Redis Cluster keeps a multi-key command or script to one slot: the prefix must be a hash tag. */
export function hasHashTag(prefix: string): boolean {
  // Redis' rule: the first "{" and the first "}" after it, with something in between.
  const open = prefix.indexOf('{');
  const close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
  return close > open + 1;
}

/** A REDIS_URL as it may be printed: no user or password. */
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//…@');
}
