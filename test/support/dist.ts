// The production bundles (scripts/build-dist.mjs, 0.3-0.7 s) built once for a test file
// into its own folder of test-output/ (inside the checkout, so their npm imports resolve),
// never over the dist/ someone may be running. Processes started from it skip tsx's
// compile of every module, which four processes on two cores feel.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface TestBuild {
  /** dist/main.cjs of this build. */
  readonly main: string;
  remove(): void;
}

export function buildDist(): TestBuild {
  const outDir = path.join(ROOT, 'test-output', `dist-${randomUUID()}`);
  const run = spawnSync(process.execPath, ['scripts/build-dist.mjs', '--outdir', outDir], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`build-dist failed:\n${run.stderr}`);
  return { main: path.join(outDir, 'main.cjs'), remove: () => rmSync(outDir, { recursive: true, force: true }) };
}
