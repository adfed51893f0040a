// The deployment recipes (Dockerfile, compose.yaml, deploy/) cannot be built or run here (no
// Docker registry, no systemd): check what can be checked without running them — every
// variable they set for keydesk is one config.ts reads, and with the operator's values
// filled in, config.ts accepts the whole environment.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_KEYS, loadConfig } from '../../src/config.js';
import { TEST_SECRETS_KEY } from '../support/config.js';

interface ComposeService {
  build?: string;
  image?: string;
  command?: string[];
  environment?: Record<string, string | number> | string[];
  deploy?: { replicas?: number };
  healthcheck?: { disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync('compose.yaml', 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const keydeskServices = Object.entries(compose.services).filter(([, s]) => s.image === 'keydesk:local' || s.build !== undefined);

/**
 * Variables the recipes may set for the process rather than for keydesk (none today; glibc's
 * MALLOC_* tuning was measured and left out, see the README). Kept short and explicit, so a
 * misspelt keydesk setting still fails here.
 */
const PROCESS_LEVEL: string[] = [];
const notForConfig = (k: string) => !CONFIG_KEYS.includes(k) && !PROCESS_LEVEL.includes(k);

/** What the operator exports before `docker compose up` (the `${VAR:?…}` ones). */
const OPERATOR: Record<string, string> = {
  PUBLIC_URL: 'https://keydesk.example.com',
  SECRETS_KEY: TEST_SECRETS_KEY,
  POSTGRES_PASSWORD: '0123456789abcdef',
};

/** Compose's interpolation, for the forms compose.yaml uses: ${V}, ${V:-default}, ${V:?error}. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_m, name: string, op?: string, rest?: string) => {
    const given = vars[name];
    if (given !== undefined && given !== '') return given;
    if (op === '-') return rest ?? '';
    if (op === '?') throw new Error(`compose would stop: ${name}: ${rest}`);
    return '';
  });
}

function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  const pairs = Array.isArray(env) ? env.map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]) : Object.entries(env).map(([k, v]) => [k, String(v)] as const);
  return Object.fromEntries(pairs);
}

/** KEY=VALUE lines of an env file, and the Environment= lines of a systemd unit. */
function assignments(text: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix) || line.startsWith('#')) continue;
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.slice(prefix.length));
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

describe('compose.yaml', () => {
  it('runs keydesk, two worker-only replicas, PostgreSQL and Redis with AOF and noeviction', () => {
    expect(keydeskServices.map(([name]) => name).sort()).toEqual(['keydesk', 'worker']);
    expect(compose.services.keydesk!.command).toBeUndefined(); // the image's CMD: node dist/main.cjs
    expect(compose.services.worker!.command).toEqual(['node', 'dist/main.cjs', '--worker-only']);
    expect(compose.services.worker!.deploy?.replicas).toBe(2);
    expect(compose.services.worker!.healthcheck?.disable).toBe(true);
    const redisCommand = compose.services.redis!.command!.join(' ');
    expect(redisCommand).toMatch(/--appendonly yes/);
    expect(redisCommand).toMatch(/--maxmemory-policy noeviction/);
    for (const [, service] of keydeskServices) {
      expect(service.depends_on?.postgres?.condition).toBe('service_healthy');
      expect(service.depends_on?.redis?.condition).toBe('service_healthy');
    }
  });

  it('sets only variables config.ts reads, and config.ts accepts them once the operator filled theirs in', () => {
    for (const [name, service] of keydeskServices) {
      const env = environmentOf(service);
      expect(Object.keys(env).filter(notForConfig), name).toEqual([]);
      const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(v, OPERATOR)]));
      const config = loadConfig(resolved);
      expect(config.env).toBe('production');
      expect(config.databaseUrl).toBe('postgres://keydesk:0123456789abcdef@postgres:5432/keydesk');
      expect(config.redisUrl).toBe('redis://redis:6379');
      expect(config.slack).toBeNull();
    }
  });

  it('stops at once when the operator forgot a required value', () => {
    const env = environmentOf(compose.services.keydesk!);
    expect(() => interpolate(env.SECRETS_KEY!, {})).toThrow(/SECRETS_KEY/);
  });
});

describe('systemd units', () => {
  const example = assignments(readFileSync('deploy/keydesk.env.example', 'utf8'));
  const units = ['deploy/keydesk.service', 'deploy/keydesk-worker@.service'].map((file) => [file, readFileSync(file, 'utf8')] as const);

  it('run dist/main.cjs on plain node, the worker with --worker-only, and read the env file', () => {
    const [[, app], [, worker]] = units as [readonly [string, string], readonly [string, string]];
    expect(app).toMatch(/^ExecStart=\/usr\/bin\/node dist\/main\.cjs$/m);
    expect(worker).toMatch(/^ExecStart=\/usr\/bin\/node dist\/main\.cjs --worker-only$/m);
    for (const [, unit] of units) {
      expect(unit).toMatch(/^EnvironmentFile=\/etc\/keydesk\/keydesk\.env$/m);
      expect(unit).toMatch(/^User=keydesk$/m);
      expect(unit).toMatch(/^RestartPreventExitStatus=2$/m);
    }
  });

  it('set only variables config.ts reads, and config.ts accepts them with a SECRETS_KEY', () => {
    for (const [file, unit] of units) {
      const env = { ...example, ...assignments(unit, 'Environment=') };
      expect(Object.keys(env).filter(notForConfig), file).toEqual([]);
      expect(loadConfig({ ...env, SECRETS_KEY: TEST_SECRETS_KEY }).env).toBe('production');
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('builds in one stage and runs dist/ as a non-root user with production dependencies only', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^RUN node scripts\/build-dist\.mjs \\\n && npm prune --omit=dev/m);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/main\.cjs"\]$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m);
    expect(runtime).not.toMatch(/^COPY (src|handlers|jobs|test) /m);
  });

  it('sets only variables config.ts reads', () => {
    const env = runtime.match(/^ENV ((?:.*\\\n)*.*)$/m)![1]!;
    const names = [...env.matchAll(/([A-Z_]+)=/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter(notForConfig)).toEqual([]);
  });

  it('npm start and npm run worker start keydesk as the other recipes do', () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toContain('node dist/main.cjs');
    expect(scripts.worker).toContain('node dist/main.cjs --worker-only');
  });
});
