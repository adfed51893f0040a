// Compiles what production runs into dist/: esbuild bundles dist/server.js (`npm start`,
// `--worker-only`) and dist/cli.js (the `keydesk` command), for plain `node`, with the code
// they share and what the CLI imports lazily in dist/chunks/ (code splitting keeps those
// imports lazy: `keydesk --help` then loads a third of what the server does). Production
// starts dist/main.cjs, a few lines of CommonJS that size libuv's thread pool before the
// server's modules load (src/thread-pool.ts says why), then import dist/server.js.
//   node scripts/build-dist.mjs              build
//   node scripts/build-dist.mjs --if-stale   build only when dist/ is missing or older than its sources
//   … --outdir DIR                           somewhere else (the tests)
//
// Why esbuild rather than tsc's emit: type checking stays with `tsc` (`npm run build`, over
// tests too), while the emit is a 0.3 s bundle instead of a 25 s compile, so `npm start`
// can rebuild whenever a source changed without anyone noticing; one file per entry also
// loads faster than some 250 modules. npm packages stay external (native addons such as
// argon2 and better-sqlite3 cannot be bundled), so dist/ needs node_modules beside it.
// Plain JavaScript on purpose: it must run on a fresh clone, before anything is built.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_OUT_DIR = path.join(ROOT, 'dist');
const ENTRIES = { server: 'src/main.ts', cli: 'src/cli.ts' };
/** The launcher, CommonJS (an ES module entry would start libuv's pool before it could size it). */
const LAUNCHER = { name: 'main.cjs', entry: 'src/launch.ts' };
const STAMP = 'build-info.json';
// Read by esbuild without being modules of the bundle, so they are not in its metafile.
const ALSO_INPUTS = ['scripts/build-dist.mjs', 'tsconfig.json', 'package.json'];

/** What the last build wrote to outDir (its `outputs`) and read (`inputs`), or null. */
function readStamp(outDir) {
  try {
    const stamp = JSON.parse(readFileSync(path.join(outDir, STAMP), 'utf8'));
    return Array.isArray(stamp.outputs) && Array.isArray(stamp.inputs) ? stamp : null;
  } catch {
    return null;
  }
}

/**
 * Why dist/ must be rebuilt, or null when it is current. Current means: every output is
 * there and no input the last build read (from esbuild's metafile, so a test or sandbox
 * file never counts) changed since that build started. An input that is gone is not a
 * reason: the file that imported it changed too. In a production image, which holds dist/
 * but no sources, dist/ is always current.
 */
export function staleReason(outDir = DEFAULT_OUT_DIR) {
  const stamp = readStamp(outDir);
  if (!stamp) return 'never built';
  for (const output of stamp.outputs) {
    if (!existsSync(path.join(outDir, output))) return `${output} is missing`;
  }
  // A production image holds dist/ and no sources: nothing to rebuild from, dist/ is what runs.
  if (![...Object.values(ENTRIES), LAUNCHER.entry].some((entry) => existsSync(path.join(ROOT, entry)))) return null;
  for (const input of stamp.inputs) {
    let mtimeMs;
    try {
      mtimeMs = statSync(path.join(ROOT, input)).mtimeMs;
    } catch {
      continue;
    }
    if (mtimeMs > stamp.startedAt) return `${input} changed`;
  }
  return null;
}

/**
 * Bundles both entries into outDir. Each file is renamed into place, chunks (named by their
 * content) before the entries that import them, so a process starting meanwhile reads whole
 * files of one build. The previous build's chunks are removed afterwards: a server imports
 * all of its chunks at start, and a command is done in seconds.
 */
export async function buildDist(outDir = DEFAULT_OUT_DIR) {
  const startedAt = Date.now();
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('dist/ needs building and esbuild is missing: run `npm ci` (with the dev dependencies), then `npm run build`');
  }
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    splitting: true,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    // Stack traces and pino's `err.type` keep the source's class and function names.
    keepNames: true,
    // Beside the bundle for NODE_OPTIONS=--enable-source-maps; not loaded otherwise.
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  const launcher = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [LAUNCHER.entry],
    outfile: path.join(outDir, LAUNCHER.name),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  const files = [...result.outputFiles, ...launcher.outputFiles];
  // Chunks first, then the entries, then the launcher that imports the server.
  const entryFiles = new Set(Object.keys(ENTRIES).flatMap((name) => [`${name}.js`, `${name}.js.map`]));
  const rank = (file) => {
    const name = path.relative(outDir, file.path);
    return name === LAUNCHER.name ? 2 : entryFiles.has(name) ? 1 : 0;
  };
  const outputs = files.map((file) => path.relative(outDir, file.path));
  const previous = readStamp(outDir)?.outputs ?? [];
  const ordered = files.sort((a, b) => rank(a) - rank(b));
  for (const file of ordered) {
    mkdirSync(path.dirname(file.path), { recursive: true });
    const tmp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
  const inputs = [...new Set([...Object.keys(result.metafile.inputs), ...Object.keys(launcher.metafile.inputs)].filter((p) => !p.includes('node_modules'))), ...ALSO_INPUTS].sort();
  const stampTmp = path.join(outDir, `${STAMP}.${process.pid}.tmp`);
  writeFileSync(stampTmp, `${JSON.stringify({ startedAt, outputs: outputs.sort(), inputs }, null, 1)}\n`);
  renameSync(stampTmp, path.join(outDir, STAMP));
  for (const old of previous) {
    if (!outputs.includes(old)) rmSync(path.join(outDir, old), { force: true });
  }
  return { ms: Date.now() - startedAt, inputs: inputs.length };
}

/** Builds when stale; says so on stderr (stdout may be a command's --json). */
export async function ensureBuilt(outDir = DEFAULT_OUT_DIR) {
  const reason = staleReason(outDir);
  if (reason === null) return false;
  const { ms } = await buildDist(outDir);
  process.stderr.write(`keydesk: built ${shown(outDir)} in ${ms} ms (${reason})\n`);
  return true;
}

function shown(outDir) {
  return `${path.relative(ROOT, outDir) || '.'}/`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--outdir');
  const outDir = at >= 0 ? path.resolve(args[at + 1] ?? '') : DEFAULT_OUT_DIR;
  try {
    if (args.includes('--if-stale')) await ensureBuilt(outDir);
    else {
      const { ms, inputs } = await buildDist(outDir);
      process.stderr.write(`keydesk: built ${shown(outDir)} from ${inputs} files in ${ms} ms\n`);
    }
  } catch (err) {
    process.stderr.write(`keydesk: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
