#!/usr/bin/env node
// `npx keydesk …`: the compiled command line (dist/cli.js), on plain node. From a checkout
// whose sources changed since the last build it rebuilds first, as `npm start` does (a
// fraction of a second); in a production image, which holds dist/ and no sources, it never does.
import { ensureBuilt } from '../scripts/build-dist.mjs';

try {
  await ensureBuilt();
} catch (err) {
  process.stderr.write(`keydesk: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
await import('../dist/cli.js');
