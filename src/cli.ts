// `npx keydesk …`: the command line, for someone on the server (see src/cli/program.ts).
import { runCli } from './cli/program.js';

process.exitCode = await runCli(process.argv);
// Everything is closed by now; should a stray handle linger, don't hang the shell.
setTimeout(() => process.exit(), 2000).unref();
